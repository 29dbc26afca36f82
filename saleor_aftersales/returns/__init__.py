"""Returns and exchanges: the shopper's return request and staff's handling of it.

``rules`` decides what may be returned (window, non-returnable items, quantities);
``service`` carries a request through its states and through the host (Saleor's return,
refund, replacement, gift card), each effect exactly once.
"""
