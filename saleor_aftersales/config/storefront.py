"""Where the shopper's links point: storefront, checkout, product pages and the status page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .fields import Field

FIELDS: tuple[Field, ...] = (
    Field(
        "storefront_url",
        "url",
        "",
        _("Storefront URL"),
        _("Your shop's address, e.g. https://shop.example.com."),
    ),
    Field(
        "checkout_url",
        "url",
        "",
        _("Checkout URL"),
        _("Where buy again sends the shopper; {checkout_id} and {token} are replaced."),
    ),
    Field(
        "product_url_template",
        "url",
        "",
        _("Product URL template"),
        _(
            "Product page address; {slug} is replaced, e.g. https://shop.example.com/products/{slug}."
        ),
    ),
    Field(
        "status_page_url",
        "url",
        "",
        _("Public status page base URL"),
        _(
            "The public address of this plugin's channel route; leave empty to derive it "
            "from the API host."
        ),
    ),
)
