"""Where the shopper's links point: storefront, checkout, product pages and the status page."""

from __future__ import annotations

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "storefront_url",
        "url",
        "",
        "Storefront URL",
        "Your shop's address, e.g. https://shop.example.com.",
    ),
    Field(
        "checkout_url",
        "url",
        "",
        "Checkout URL",
        "Where buy again sends the shopper; {checkout_id} and {token} are replaced.",
    ),
    Field(
        "product_url_template",
        "url",
        "",
        "Product URL template",
        "Product page address; {slug} is replaced, e.g. https://shop.example.com/products/{slug}.",
    ),
    Field(
        "status_page_url",
        "url",
        "",
        "Public status page base URL",
        "The public address of this plugin's channel route; leave empty to derive it "
        "from the API host.",
    ),
)
