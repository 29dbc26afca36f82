"""Our staff API on Saleor's own authentication: staff JWTs, app tokens, channel limits."""

from __future__ import annotations

import json

import pytest
from saleor.core.jwt import create_access_token

URL = "/plugins/channel/main/io.github.saleor-aftersales/graphql/"
QUERY = '{ aftersalesProblems(channel: "main") { totalCount } }'


def _ask(client, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post(
        URL, json.dumps({"query": QUERY}), content_type="application/json", **headers
    )
    return response.json()


def _allowed(body) -> bool:
    return not body.get("errors") and body["data"]["aftersalesProblems"]["totalCount"] == 0


@pytest.fixture
def staff(staff_user):
    return staff_user


def test_staff_jwt_with_manage_orders_reads(
    aftersales, client, staff, permission_group_manage_orders
):
    permission_group_manage_orders.user_set.add(staff)
    assert _allowed(_ask(client, create_access_token(staff)))


def test_staff_without_permission_and_anonymous_are_denied(aftersales, client, staff):
    for token in (create_access_token(staff), None, "not-a-token"):
        body = _ask(client, token)
        assert not _allowed(body), body


def test_staff_restricted_to_another_channel_is_denied(
    aftersales, client, staff, permission_group_manage_orders, channel_PLN
):
    group = permission_group_manage_orders
    group.restricted_access_to_channels = True
    group.save(update_fields=["restricted_access_to_channels"])
    group.channels.set([channel_PLN])
    group.user_set.add(staff)
    assert not _allowed(_ask(client, create_access_token(staff)))
    group.channels.add(aftersales.channel)
    assert _allowed(_ask(client, create_access_token(staff)))


def test_app_tokens_follow_the_apps_permissions(aftersales, client, app, permission_manage_orders):
    _, raw = app.tokens.create(name="aftersales")
    assert not _allowed(_ask(client, raw))
    app.permissions.add(permission_manage_orders)
    assert _allowed(_ask(client, raw))
