"""Shipment tracking: carrier detection, carrier APIs, push webhooks, estimates, problems."""
