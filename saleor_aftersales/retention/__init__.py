"""Forgetting data: orders the shop deleted (``deletion``), data past its retention (``purge``)."""
