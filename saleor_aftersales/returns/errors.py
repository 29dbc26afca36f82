"""Why a return cannot be made: a code for programs and a translated message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..core.exceptions import AftersalesError

MESSAGES = {
    "disabled": _("Returns are not offered for this order."),
    "cancelled": _("This order was cancelled, so there is nothing to return."),
    "not_delivered": _("Only delivered items can be returned."),
    "too_many": _("You can return at most %(max)d of “%(name)s”."),
    "outside_window": _("The return period for “%(name)s” ended on %(date)s."),
    "non_returnable": _("“%(name)s” cannot be returned."),
    "out_of_stock": _("The item you chose in exchange for “%(name)s” is out of stock."),
    "not_exchangeable": _(
        "“%(name)s” can only be exchanged for another size or colour of the same product."
    ),
    "already_submitted": _("You have already sent this return; it is shown below."),
    "unknown_line": _("This item is not part of the order."),
    "no_lines": _("Choose at least one item to return."),
    "bad_quantity": _("Enter a quantity of at least 1."),
    "bad_reason": _("Choose a reason for each item."),
    "bad_resolution": _("Choose refund, exchange or store credit as the shop offers them."),
    "bad_method": _("Choose how to send the items back as the shop offers it."),
    "bad_photo": _("Photos must be JPEG, PNG or WebP images of at most 5 MB (3 at most)."),
    "bad_state": _("This return cannot be changed that way now (it is %(state)s)."),
    "too_long": _("Please keep the text under 2000 characters."),
    "try_again": _(
        "The return label could not be created just now. Please try again in a few minutes."
    ),
}


class ReturnRefused(AftersalesError, ValueError):
    """A return (or a change to one) is refused; ``code`` is a key of :data:`MESSAGES`.

    ``str(error)`` is the message in the active language; ``field`` names the input
    (``lines``, ``resolution`` …) and ``line_id`` the order line it is about, if any.
    """

    def __init__(
        self,
        code: str,
        *,
        field: str | None = None,
        line_id: str = "",
        existing=None,
        **params: object,
    ) -> None:
        self.code = code
        self.field = field
        self.line_id = line_id
        self.params = params
        self.existing = existing  # the earlier request of a double submit
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(MESSAGES[self.code])
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message
