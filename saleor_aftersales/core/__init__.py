"""The ground floor: what every layer may use and that imports nothing above it.

Enqueueing tasks by name and the transactional outbox, prepared statements and bulk writes,
the shared cache and rate limits, templating, signed links and tokens, bounded request bodies,
brand colours, formatting, exceptions, ids, the parcel status vocabulary and the signals one
service announces to another.
"""
