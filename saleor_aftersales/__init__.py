"""saleor-aftersales: the post-purchase experience for Saleor shops."""

__version__ = "0.1.0"
