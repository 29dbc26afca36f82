"""Dashboard pages in the sandbox: processed orders, problems, messages, and extension tokens
signed the way the sandbox host verifies them (Saleor's own JWTs are tested in tests/saleor)."""

from __future__ import annotations

import pytest

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.dashboard.manifest import APP_ID
from saleor_aftersales.hosts.dashboard_auth import make_sandbox_token
from saleor_aftersales.models import NotificationLog, Parcel, Problem
from saleor_aftersales.orchestration import lifecycle

ROOT = f"/plugins/{PLUGIN_ID}/dashboard"


def process(order) -> None:
    lifecycle.handle_order_event(str(order.pk), "order_created")
    for f in order.fulfillments.all():
        lifecycle.handle_fulfillment_event(str(f.pk), "fulfillment_created")


@pytest.fixture
def token():
    """``token(permissions=…, channels=…)``: a staff member's extension token."""

    def make(permissions=("MANAGE_ORDERS",), channels=None, app=APP_ID):
        return make_sandbox_token(app, permissions=permissions, channels=channels)

    return make


@pytest.fixture
def order_with_problem(make_order):
    """A shipped order: two parcels (DHL, not yet detected), a late problem, a sent email."""
    order = make_order(lines=2, parcels=2, tracking_numbers=["00340434161094042557", ""])
    process(order)
    parcel = Parcel.objects.filter(order_id=order.pk).order_by("pk").first()
    Problem.objects.create(
        key=f"overdue:{parcel.pk}",
        order_id=order.pk,
        channel_slug="default-channel",
        parcel=parcel,
        kind="overdue",
    )
    NotificationLog.objects.create(
        idempotency_key=f"email:shipped:{order.pk}:-",
        order_id=order.pk,
        channel_slug="default-channel",
        parcel=parcel,
        event="shipped",
        state="sent",
        recipient="erika@example.com",
    )
    return order


def get(client, url: str, token: str | None = None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, **headers, **extra)


def post(client, url: str, data: dict, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(url, data, **headers)
