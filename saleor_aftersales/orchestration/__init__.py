"""Composition: lifecycle events run through the services, and the status view built from them.

``lifecycle`` (an order or fulfillment event → parcels, milestones, messages, summary),
``loading`` (order + channel configuration + our row), ``status_view`` (one view per order for
every reader), ``summary`` (the status link and sentence in order metadata) and ``analytics``
(KPIs over the services' rows).
"""
