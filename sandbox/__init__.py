"""A tiny stand-in shop (channels, products, orders, fulfillments) for the demo and tests.

Installed only where Saleor is not: add ``sandbox`` to INSTALLED_APPS.
"""
