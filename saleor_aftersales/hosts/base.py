"""What the plugin needs from the shop it runs in: plain views of orders and a few actions.

Services never touch the shop's ORM; they take an :class:`OrderView` from a :class:`Host`.
``hosts/saleor.py`` reads Saleor 3.23; ``sandbox/host.py`` (beside the package, not shipped)
serves the demo and the tests that need no Saleor. Views are immutable snapshots: build one
per request or task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

from ..config import AftersalesConfig


@dataclass(frozen=True)
class AddressView:
    """A postal address; personal data, shown only after verification."""

    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    street_address_1: str = ""
    street_address_2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    phone: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class LineView:
    """One order line; ``variant_id``/``product_id`` are the host's ids (strings)."""

    id: str
    product_name: str
    variant_name: str = ""
    sku: str = ""
    variant_id: str | None = None
    product_id: str | None = None
    product_slug: str = ""
    quantity: int = 1
    quantity_fulfilled: int = 0
    unit_price: Decimal = Decimal("0")
    currency: str = "EUR"
    thumbnail_url: str = ""


@dataclass(frozen=True)
class FulfillmentView:
    """A fulfillment (one parcel): its tracking number and which lines it carries."""

    id: str
    status: str = "fulfilled"
    tracking_number: str = ""
    created_at: datetime | None = None
    lines: tuple[tuple[str, int], ...] = ()  # (line id, quantity)


def voucher_code(idempotency_key: str = "") -> str:
    """The code of an apology voucher: an HMAC of ``idempotency_key`` (a retry finds the
    voucher made before; nobody can guess a code from an order), else random."""
    import secrets

    from django.utils.crypto import salted_hmac

    if idempotency_key:
        digest = salted_hmac("aftersales.voucher", idempotency_key).hexdigest()
        return "SORRY-" + digest[:10].upper()
    return "SORRY-" + secrets.token_hex(5).upper()


@dataclass(frozen=True)
class OrderView:
    """Everything the plugin reads about one order."""

    id: str  # UUID string
    number: str
    channel_slug: str
    created_at: datetime
    status: str  # Saleor OrderStatus value: unconfirmed, unfulfilled, fulfilled, canceled …
    charge_status: str = "none"  # Saleor OrderChargeStatus: none, partial, full, overcharged
    language_code: str = "en"
    currency: str = "EUR"
    total_gross: Decimal = Decimal("0")
    subtotal_gross: Decimal | None = None  # the lines' total; None: sum the lines
    shipping_gross: Decimal | None = None  # None when the host does not say
    customer_email: str = ""
    user_id: str | None = None
    shipping_address: AddressView | None = None
    billing_address: AddressView | None = None
    shipping_method_name: str = ""
    lines: tuple[LineView, ...] = ()
    fulfillments: tuple[FulfillmentView, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    private_metadata: dict[str, str] = field(default_factory=dict)
    #: the checkout it was placed from, in ``CheckoutRef.id`` form; "" when none
    checkout_id: str = ""
    availability: dict[str, VariantAvailability] | None = None  # Host.get_order(availability=)

    @property
    def is_paid(self) -> bool:
        return self.charge_status in ("full", "overcharged")

    @property
    def is_cancelled(self) -> bool:
        return self.status in ("canceled", "cancelled", "expired")

    @property
    def destination_country(self) -> str:
        return self.shipping_address.country if self.shipping_address else ""

    def line(self, line_id: str) -> LineView | None:
        return next((line for line in self.lines if line.id == line_id), None)


@dataclass(frozen=True)
class VariantAvailability:
    """Whether a variant can be bought again in a channel, and at what price."""

    variant_id: str
    available: bool
    quantity_available: int = 0
    name: str = ""
    price: Decimal | None = None
    currency: str = ""
    reason: str = ""  # why not, for the shopper: "unavailable", "out_of_stock", "unpublished"


@dataclass(frozen=True)
class ProductCard:
    """A product for cross-selling: published and available in the channel."""

    product_id: str
    name: str
    slug: str
    thumbnail_url: str = ""
    price: Decimal | None = None
    currency: str = ""


@dataclass(frozen=True)
class CheckoutRef:
    """A checkout created in the host for buy again."""

    id: str  # the host's public id (Saleor: the checkout token / global id)
    token: str
    lines: tuple[tuple[str, int], ...] = ()  # (variant id, quantity) put into it


@dataclass(frozen=True)
class ReturnableLine:
    """What the shop knows about returning one order line (``Host.returnable_lines``)."""

    line_id: str
    product_type: str = ""  # the product type's name
    product_slug: str = ""
    non_returnable: bool = False  # metadata "aftersales.returnable" = "false" (product/type)
    returned_quantity: int = 0  # already in the shop's returned/replaced fulfillments
    exchange_variant_ids: tuple[str, ...] = ()  # the product's other variants


@dataclass(frozen=True)
class ReturnItem:
    """One line handed to ``Host.process_return``."""

    line_id: str
    quantity: int
    reason: str = ""  # the reason's text, as staff read it in the shop
    reason_reference: str = ""  # the shop's reason page id (Saleor's returnReasonReference)
    exchange_variant_id: str = ""


@dataclass(frozen=True)
class ReturnOutcome:
    """What ``Host.process_return`` made in the shop."""

    return_id: str
    refund_id: str = ""
    replacement_order_id: str = ""
    gift_card_code: str = ""


@dataclass(frozen=True)
class Principal:
    """Who calls the plugin's GraphQL API, as authenticated by the host.

    ``kind`` is ``"staff"`` (a staff user's JWT), ``"app"`` (an app token) or ``"customer"``
    (a customer's JWT). ``permissions`` are Saleor permission enum names such as
    ``"MANAGE_ORDERS"``. ``channel_slugs`` is ``None`` when the caller may see every channel,
    else the slugs it may access (staff groups with restricted channel access).
    """

    kind: str  # "staff" | "app" | "customer"
    id: str
    permissions: frozenset[str] = frozenset()
    channel_slugs: frozenset[str] | None = None
    email: str = ""

    def has_any(self, *permissions: str) -> bool:
        return bool(self.permissions.intersection(permissions))

    def can_access_channel(self, channel_slug: str) -> bool:
        return self.channel_slugs is None or channel_slug in self.channel_slugs

    def owns(self, order: OrderView) -> bool:
        """Whether this is the customer who placed ``order`` (by user id, else by email)."""
        if self.kind != "customer":
            return False
        if order.user_id and self.id:
            return str(order.user_id) == str(self.id)
        return bool(self.email) and self.email.lower() == (order.customer_email or "").lower()


@runtime_checkable
class Host(Protocol):
    """The operations services call. Implementations must not raise for unknown ids."""

    name: str
    #: ``"app_label.Model"`` of the host's orders: their ``post_delete`` makes the plugin
    #: forget the order (``retention/deletion.py``); empty when the host has none.
    order_model: str

    def channel_slugs(self) -> list[str]:
        """Slugs of every channel of the shop, sorted (for reports over all channels)."""

    def get_config(self, channel_slug: str) -> AftersalesConfig | None:
        """The channel's settings, or ``None`` where the plugin is inactive or unknown."""

    def get_order(self, order_id: str, *, availability: bool = False) -> OrderView | None:
        """The order with lines and fulfillments in a fixed number of queries, or ``None``;
        ``availability``: also its ``availability`` (else ``None``; hosts may leave it out)."""

    def get_fulfillment_order_id(self, fulfillment_id: str) -> str | None:
        """The order UUID a fulfillment belongs to."""

    def order_ids_since(
        self,
        since: datetime,
        channel_slug: str | None = None,
        *,
        after: tuple[datetime, str] | None = None,
        limit: int = 500,
    ) -> list[tuple[datetime, str]]:
        """``(created_at, order id)`` of orders placed at or after ``since`` (all channels, or
        one), oldest first by ``(created_at, id)``, at most ``limit``, starting after the
        pair ``after`` (keyset paging, for backfills). Drafts are left out.

        Saleor: ``Order.objects.non_draft()`` on ``created_at`` (indexed), ``channel__slug``.
        """

    def check_variants(
        self, channel_slug: str, variant_ids: list[str]
    ) -> dict[str, VariantAvailability]:
        """Availability of each variant in the channel (missing ids map to unavailable)."""

    def create_checkout(
        self, channel_slug: str, lines: list[tuple[str, int]], email: str = ""
    ) -> CheckoutRef:
        """Create a checkout with these (variant id, quantity) lines."""

    def recommendations(
        self, channel_slug: str, product_ids: list[str], limit: int = 4
    ) -> list[ProductCard]:
        """Products bought together with ``product_ids``, else best-sellers; published only."""

    def create_voucher(
        self,
        channel_slug: str,
        *,
        percent: int,
        valid_days: int,
        name: str,
        idempotency_key: str = "",
    ) -> str:
        """Create a one-time voucher and return its code.

        A one-use (``usage_limit=1``), entire-order percentage voucher of ``percent`` %,
        valid from now for ``valid_days`` days in the channel. With an ``idempotency_key``
        a repeated call returns the code of the voucher created before under that key and
        creates nothing (Saleor: look it up by the key kept in the voucher's private
        metadata ``aftersales_key``, or derive the code from an HMAC of the key).
        """

    def set_order_public_metadata(self, order_id: str, items: dict[str, str]) -> None:
        """Merge items into the order's public metadata without firing order hooks."""

    def http_send(
        self, method: str, url: str, *, headers: dict, params: dict | None, json: object,
        timeout: float, stream: bool = False,
    ):
        """Send one outbound HTTP request (carrier APIs) and return a ``requests.Response``.

        No redirects. Saleor: ``HTTPClient.send_request(method, url, headers=…, params=…,
        json=…, timeout=…, allow_redirects=False, stream=…)`` (refuses private addresses).
        ``stream=True``: the body is left unread (``tracking/http.py`` reads it within its
        deadline and size limit). Retries, backoff and the circuit breaker are done by
        ``tracking/http.py``, not here.
        """

    def set_fulfillment_tracking_number(self, fulfillment_id: str, tracking_number: str) -> bool:
        """Staff correction: store ``tracking_number`` on the fulfillment; ``False`` if unknown.

        Saleor: ``Fulfillment.tracking_number`` saved (update_fields) inside
        ``allow_writer()``, plus an order event like ``order.actions
        .fulfillment_tracking_updated`` (``events.fulfillment_tracking_updated_event`` with
        user=None, app=None). Firing ``tracking_number_updated`` is optional: our parcel is
        already updated by the caller and a re-sync is idempotent.
        """

    def authenticate(self, request) -> Principal | None:
        """The caller of an HTTP request from its ``Authorization`` header, or ``None``.

        Accepts ``Authorization: Bearer <token>`` (also ``JWT <token>``, and Saleor's
        ``Authorization-Bearer`` header). Saleor: a staff or customer JWT (access or
        third-party access token, checked like ``saleor.core.auth_backend
        .load_user_from_request``: signature, ``type``, the user's ``jwt_token_key``, active
        user, token permission limits) or an app token (30 characters, checked like
        ``saleor.graphql.app.dataloaders.app.AppByTokenLoader``: active app). Permissions are
        Saleor ``PermissionEnum`` names (``"MANAGE_ORDERS"``); staff ``channel_slugs`` are the
        slugs of ``AccessibleChannelsByUserIdLoader`` when every group of the user has
        ``restricted_access_to_channels`` (else ``None``); apps and customers get ``None``.
        Invalid or expired tokens return ``None`` (never raise); the API then treats the caller
        as anonymous.
        """

    # --- returns (returns/) -------------------------------------------------------------

    def returnable_lines(self, order_id: str) -> dict[str, ReturnableLine]:
        """Per order line id: product type, the non-returnable flag, the quantity the shop
        has returned already and the product's other variants (exchange candidates).

        Saleor: ``OrderLine → variant → product → product_type``; the flag is the metadata
        key ``aftersales.returnable`` = ``"false"`` on the product or its type; returned
        quantities sum ``FulfillmentLine.quantity`` of the order's fulfillments with status
        returned, refunded_and_returned or replaced. Unknown order: ``{}``.
        """

    def return_reasons(self, channel_slug: str, language_code: str) -> list[tuple[str, str]] | None:
        """``(id, title)`` of the shop's return reasons, or ``None`` when it has no reason model.

        Saleor 3.23: the pages of ``SiteSettings.return_reason_reference_type``
        (``returnReasonReferenceType``), published, titles translated when a page
        translation exists in ``language_code``.
        """

    def process_return(
        self, order_id: str, items: list[ReturnItem], *, resolution: str, idempotency_key: str
    ) -> ReturnOutcome:
        """Carry a received return into the shop, all in the caller's transaction.

        The shop's return of ``items`` with their reasons (so stock and order history are
        right), then the resolution: ``"refund"`` to the original payment, ``"exchange"``
        a replacement (draft) order with each item's ``exchange_variant_id``,
        ``"store_credit"`` a gift card worth the items for the order's email. Saleor:
        ``order.actions.create_fulfillments_for_returned_products`` (``refund=True``, or
        ``replace=True`` lines), ``giftcard.utils``. The caller records the outcome under
        a row lock and never calls twice for one ``idempotency_key``; a gift card is also
        found again by the key.
        """
