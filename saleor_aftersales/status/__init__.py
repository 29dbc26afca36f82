"""The status contract: the plain dataclasses of a shopper's status view and the rules behind them.

``types`` (the view), ``timeline`` and ``progress`` (steps and overall state), ``rows`` (our own
rows of an order in a fixed number of queries), ``cache`` (built anonymous views), ``privacy``
(what an unverified reader sees) and ``access`` (tokens and the postcode/email gate). Services
fill the view; ``orchestration.status_view`` builds it; readers (page, widget, GraphQL, emails)
only read it.
"""
