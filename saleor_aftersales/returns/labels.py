"""The prepaid return label: ordered from the carrier when a return is approved.

The label's PDF (and QR code, for label-free drop-off) go to Django's default storage; the
request keeps the shipment number and the stored names. Any failure of the carrier raises
``ReturnRefused("try_again")`` inside the caller's transaction, so the approval is rolled
back and nothing half-made is left.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..config import AftersalesConfig
from ..hosts.base import OrderView
from .errors import ReturnRefused
from .models import ReturnRequest


def methods(config: AftersalesConfig) -> tuple[str, ...]:
    """How shoppers of the channel may send items back: a prepaid label (where the carrier
    account is set), to the return address, or to one of the stores (where listed)."""
    from ..tracking.carriers import dhl_returns

    found = ("label",) if dhl_returns.configured(config) else ()
    found += ("address",)
    return found + (("store",) if config.return_stores.strip() else ())


def label_method(config: AftersalesConfig) -> str:
    """``"label"`` where the channel can order prepaid labels, else ``"address"``."""
    from ..tracking.carriers import dhl_returns

    return "label" if dhl_returns.configured(config) else "address"


def order_label(request: ReturnRequest, order: OrderView, config: AftersalesConfig, now) -> None:
    """Order the label for ``request`` (locked by the caller) and record it on the row."""
    from ..tracking.carriers import dhl_returns

    address = order.shipping_address
    if address is None:
        raise ReturnRefused("try_again")
    value = Decimal("0")
    for line in request.lines.all():
        found = order.line(line.line_id)
        value += (found.unit_price if found else Decimal("0")) * line.quantity
    shipper = dhl_returns.Shipper(
        name=address.full_name or address.company_name or order.customer_email,
        street=address.street_address_1,
        postal_code=address.postal_code,
        city=address.city,
        email=order.customer_email,
    )
    try:
        label = dhl_returns.create_label(
            config,
            shipper,
            reference=f"return-{request.pk}",
            order_number=order.number,
            value=value,
            currency=order.currency,
        )
    except dhl_returns.LabelFailed as exc:
        raise ReturnRefused("try_again") from exc
    folder = f"aftersales/returns/{request.order_id}/{request.pk}"
    request.label_url = default_storage.save(f"{folder}/label.pdf", ContentFile(label.pdf))
    if label.qr_png:
        default_storage.save(f"{folder}/qr.png", ContentFile(label.qr_png))
    request.label_tracking_number = label.shipment_number[:64]
    request.label_created_at = now
    request.state = "label_created"
    request.save(update_fields=["label_url", "label_tracking_number", "label_created_at", "state"])
    if request.label_tracking_number:  # the way back is tracked like any parcel
        from ..tracking.return_parcels import track_return_parcel

        track_return_parcel(
            f"return-{request.pk}",
            order_id=request.order_id,
            channel_slug=request.channel_slug,
            tracking_number=request.label_tracking_number,
            carrier="dhl",
            config=config,
            now=now,
            language=request.language_code,
        )
