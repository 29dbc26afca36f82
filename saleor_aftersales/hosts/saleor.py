"""The Saleor 3.23 host: builds views from Saleor's ORM and acts through Saleor's own code.

Only this module, its reads (``saleor_reads``) and ``plugin.py`` import ``saleor``. Queries
are fixed in number per call (the status page's reads are one statement each), writes run
inside Saleor's ``allow_writer()`` (Saleor restricts writer access in tasks and requests),
and nothing here fires Saleor order hooks.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from saleor.channel.models import Channel
from saleor.core.db.connection import allow_writer
from saleor.order.models import Fulfillment, Order, OrderLine
from saleor.plugins.models import PluginConfiguration
from saleor.product.models import (
    Product,
    ProductChannelListing,
)

from ..config import AftersalesConfig
from ..core.ids import PLUGIN_ID
from . import saleor_reads
from .base import (
    CheckoutRef,
    OrderView,
    Principal,
    ProductCard,
    VariantAvailability,
    voucher_code,
)
from .rows import fulfillment_order_id, order_ids_page
from .saleor_returns import SaleorReturnsMixin
from .saleor_settings import SaleorSettingsMixin

logger = logging.getLogger(__name__)

PLUGIN_PATH = "saleor_aftersales.plugin.AftersalesPlugin"


class SaleorHost(SaleorReturnsMixin, SaleorSettingsMixin):
    """Host over Saleor 3.23's ORM."""

    name = "saleor"
    #: Deleting one of these (API, expiry task, admin) makes the plugin forget the order.
    order_model = "order.Order"

    # --- configuration ---------------------------------------------------------------------

    def channel_slugs(self) -> list[str]:
        return sorted(Channel.objects.values_list("slug", flat=True))

    def get_config(self, channel_slug: str) -> AftersalesConfig | None:
        if PLUGIN_PATH not in settings.PLUGINS:
            return None
        # the plugin class Saleor loads from settings.PLUGINS, by path as Saleor's manager
        # does: its configuration form fills defaults (the adapter above is not imported)
        plugin_class = import_string(PLUGIN_PATH)

        row = (
            PluginConfiguration.objects.filter(identifier=PLUGIN_ID, channel__slug=channel_slug)
            .select_related("channel")
            .first()
        )
        if row is not None:
            plugin = plugin_class(
                configuration=row.configuration, active=row.active, channel=row.channel
            )
        else:
            channel = Channel.objects.filter(slug=channel_slug).first()
            if channel is None:
                return None
            plugin = plugin_class(
                configuration=plugin_class.DEFAULT_CONFIGURATION,
                active=plugin_class.get_default_active(),
                channel=channel,
            )
        return plugin.config if plugin.active else None

    @contextlib.contextmanager
    def task_scope(self) -> Iterator[None]:
        """Saleor restricts writer access outside ``allow_writer``; tasks write."""
        with allow_writer():
            yield

    def http_send(
        self,
        method: str,
        url: str,
        *,
        headers: dict | None = None,
        params: dict | None = None,
        json: Any = None,
        timeout: float = 10.0,
        stream: bool = False,
    ) -> Any:
        """Carrier calls go through Saleor's hardened client (refuses private addresses)."""
        from saleor.core.http_client import HTTPClient

        return HTTPClient.send_request(
            method,
            url,
            headers=headers,
            params=params,
            json=json,
            timeout=timeout,
            allow_redirects=False,
            stream=stream,
        )

    # --- orders ----------------------------------------------------------------------------

    def get_order(self, order_id: str, *, availability: bool = False) -> OrderView | None:
        """The order, its lines (with product slug and thumbnail) and fulfillments, and with
        ``availability`` its variants' (:meth:`check_variants`): 1 query."""
        try:
            found = saleor_reads.order_view(order_id, with_variants=availability)
        except (ValueError, TypeError):
            return None
        except Exception as exc:
            if exc.__class__.__name__ == "ValidationError":
                return None
            raise
        if found is None or not availability:
            return found and found[0]
        ids = dict.fromkeys(line.variant_id for line in found[0].lines if line.variant_id)
        return replace(found[0], availability=_availability(list(ids), found[1]))

    def order_ids_since(self, since, channel_slug=None, *, after=None, limit=500):
        return order_ids_page(Order.objects.non_draft(), since, channel_slug, after, limit)

    def get_fulfillment_order_id(self, fulfillment_id: str) -> str | None:
        return fulfillment_order_id(Fulfillment.objects, fulfillment_id)

    # --- catalogue -------------------------------------------------------------------------

    def check_variants(
        self, channel_slug: str, variant_ids: list[str]
    ) -> dict[str, VariantAvailability]:
        ids = [int(v) for v in variant_ids if str(v).isdigit()]
        return _availability(variant_ids, saleor_reads.variant_rows(channel_slug, ids))

    def create_checkout(
        self, channel_slug: str, lines: list[tuple[str, int]], email: str = ""
    ) -> CheckoutRef:
        """By the rules of Saleor's ``checkoutCreateFromOrder`` (see ``saleor_checkout``)."""
        from .saleor_checkout import create_checkout

        return create_checkout(channel_slug, lines, email)

    def recommendations(
        self, channel_slug: str, product_ids: list[str], limit: int = 4
    ) -> list[ProductCard]:
        now = timezone.now()
        bought = [int(p) for p in product_ids if str(p).isdigit()]
        sellable = Q(
            channel_listings__channel__slug=channel_slug,
            channel_listings__is_published=True,
            channel_listings__available_for_purchase_at__lte=now,
        )
        co_orders = OrderLine.objects.filter(
            order__channel__slug=channel_slug, variant__product_id__in=bought
        ).values("order_id")
        together = (
            OrderLine.objects.filter(order_id__in=co_orders, variant__isnull=False)
            .exclude(variant__product_id__in=bought)
            .values("variant__product_id")
            .annotate(score=Count("order_id", distinct=True))
            .order_by("-score", "variant__product_id")
        )
        candidate_ids = [row["variant__product_id"] for row in together[: limit * 5]]
        if len(candidate_ids) < limit * 5:
            best = (
                OrderLine.objects.filter(order__channel__slug=channel_slug, variant__isnull=False)
                .exclude(variant__product_id__in=bought + candidate_ids)
                .values("variant__product_id")
                .annotate(sold=Sum("quantity"))
                .order_by("-sold", "variant__product_id")
            )
            candidate_ids += [row["variant__product_id"] for row in best[: limit * 5]]
        products = {
            p.pk: p
            for p in Product.objects.filter(sellable, pk__in=candidate_ids)
            .annotate(aftersales_media=saleor_reads.first_image(OuterRef("pk")))
            .prefetch_related(
                Prefetch(
                    "channel_listings",
                    queryset=ProductChannelListing.objects.filter(channel__slug=channel_slug),
                    to_attr="aftersales_listings",
                ),
            )
            .distinct()
        }
        cards: list[ProductCard] = []
        for pk in candidate_ids:
            product = products.get(pk)
            if product is None or any(c.product_id == str(pk) for c in cards):
                continue
            listing = next(iter(product.aftersales_listings), None)
            cards.append(
                ProductCard(
                    product_id=str(pk),
                    name=product.name,
                    slug=product.slug,
                    thumbnail_url=saleor_reads.thumbnail_url(product.aftersales_media),
                    price=listing.discounted_price_amount if listing else None,
                    currency=listing.currency if listing else "",
                )
            )
            if len(cards) >= limit:
                break
        return cards

    # --- actions ---------------------------------------------------------------------------

    def create_voucher(
        self,
        channel_slug: str,
        *,
        percent: int,
        valid_days: int,
        name: str,
        idempotency_key: str = "",
    ) -> str:
        """One-use percentage voucher; a repeated ``idempotency_key`` returns the same code.

        The code is an HMAC of the key, so a retry finds the voucher made before (under a
        row lock on the code) instead of creating a second one.
        """
        from saleor.discount import DiscountValueType, VoucherType
        from saleor.discount.models import Voucher, VoucherChannelListing, VoucherCode

        code = voucher_code(idempotency_key)  # a repeat finds the same row
        with allow_writer(), transaction.atomic():
            if VoucherCode.objects.select_for_update().filter(code=code).exists():
                return code
            channel = Channel.objects.get(slug=channel_slug)
            voucher = Voucher.objects.create(
                name=name[:255],
                type=VoucherType.ENTIRE_ORDER,
                discount_value_type=DiscountValueType.PERCENTAGE,
                usage_limit=1,
                single_use=True,
                end_date=timezone.now() + timedelta(days=valid_days),
                private_metadata={"aftersales_key": idempotency_key} if idempotency_key else {},
            )
            VoucherCode.objects.create(voucher=voucher, code=code)
            VoucherChannelListing.objects.create(
                voucher=voucher,
                channel=channel,
                discount_value=Decimal(percent),
                currency=channel.currency_code,
            )
        return code

    def set_fulfillment_tracking_number(self, fulfillment_id: str, tracking_number: str) -> bool:
        """Staff correction of a fulfillment's number, with Saleor's order event."""
        from saleor.order import events

        with allow_writer(), transaction.atomic():
            try:
                fulfillment = (
                    Fulfillment.objects.select_related("order")
                    .select_for_update(of=("self",))
                    .get(pk=int(fulfillment_id))
                )
            except (Fulfillment.DoesNotExist, TypeError, ValueError):
                return False
            fulfillment.tracking_number = tracking_number
            fulfillment.save(update_fields=["tracking_number"])
            events.fulfillment_tracking_updated_event(
                order=fulfillment.order,
                user=None,
                app=None,
                tracking_number=tracking_number,
                fulfillment=fulfillment,
            )
        return True

    def authenticate(self, request: Any) -> Principal | None:
        """Staff/customer JWT or app token from the request, checked by Saleor; never raises."""
        import jwt
        from saleor.core.auth import get_token_from_request
        from saleor.core.auth_backend import load_user_from_request
        from saleor.core.jwt import is_saleor_token
        from saleor.graphql.app.dataloaders.utils import promise_app
        from saleor.permission.enums import get_permission_names

        try:
            token = get_token_from_request(request)
            if not token:
                return None
            if is_saleor_token(token):
                try:
                    user = load_user_from_request(request)
                except jwt.PyJWTError:
                    return None
                if user is None or not user.is_active:
                    return None
                if not user.is_staff:
                    return Principal("customer", str(user.pk), frozenset(), None, user.email)
                return staff_principal(user, request)
            app = promise_app(request).get()
            if app is None:
                return None
            permissions = frozenset(get_permission_names(app.permissions.all()))
            return Principal("app", str(app.pk), permissions, None, "")
        except Exception:
            logger.exception("aftersales: could not authenticate a request")
            return None

    def set_order_public_metadata(self, order_id: str, items: dict[str, str]) -> None:
        """Merge into ``Order.metadata`` with a row lock; fires no Saleor hooks (no loops)."""
        with allow_writer(), transaction.atomic():
            order = Order.objects.select_for_update().filter(pk=order_id).only("metadata").first()
            if order is None:
                return
            merged = {**(order.metadata or {}), **items}
            if merged != order.metadata:
                Order.objects.filter(pk=order_id).update(metadata=merged)


def staff_principal(user: Any, request: Any = None) -> Principal:
    """A staff user's principal: effective permissions (a token's limits already applied by
    Saleor) and, when every group restricts channel access, the accessible channels' slugs
    (``AccessibleChannelsByUserIdLoader``, as Saleor's staff GraphQL API checks)."""
    from django.http import HttpRequest
    from saleor.graphql.account.dataloaders import (
        AccessibleChannelsByUserIdLoader,
        RestrictedChannelAccessByUserIdLoader,
    )
    from saleor.permission.enums import get_permission_names

    context = request if request is not None else HttpRequest()
    permissions = frozenset(get_permission_names(user.effective_permissions))
    channels = None
    if RestrictedChannelAccessByUserIdLoader(context).load(user.id).get():
        accessible = AccessibleChannelsByUserIdLoader(context).load(user.id).get()
        channels = frozenset(c.slug for c in accessible)
    return Principal("staff", str(user.pk), permissions, channels, user.email)


def _availability(variant_ids: list[str], rows: list[dict]) -> dict[str, VariantAvailability]:
    """:meth:`SaleorHost.check_variants` from :func:`saleor_reads.variant_rows`."""
    now = timezone.now()
    variants = {str(row["id"]): row for row in rows}
    result: dict[str, VariantAvailability] = {}
    for variant_id in variant_ids:
        variant = variants.get(str(variant_id))
        if variant is None:
            result[variant_id] = VariantAvailability(variant_id, False, reason="unavailable")
            continue
        v_listing = variant["variant_listing"]
        p_listing = variant["product_listing"]
        name = variant["product__name"] + (f" ({variant['name']})" if variant["name"] else "")
        free = int(variant["free"] or 0)
        published_at = saleor_reads.parse_time(p_listing and p_listing["published_at"])
        available_at = saleor_reads.parse_time(p_listing and p_listing["available_at"])
        reason = ""
        if (
            p_listing is None
            or not p_listing["is_published"]
            or (published_at and published_at > now)
            or available_at is None
            or available_at > now
            or v_listing is None
            or v_listing["price"] is None
        ):
            reason = "unavailable"
        elif variant["track_inventory"] and free <= 0:
            reason = "out_of_stock"
        price = Decimal(v_listing["price"]) if v_listing and v_listing["price"] else None
        currency = v_listing["currency"] if v_listing else ""
        quantity = free if variant["track_inventory"] else 999
        result[variant_id] = VariantAvailability(
            variant_id, not reason, quantity, name, price, currency, reason
        )
    return result
