"""Unsubscribe links under attack.

- tampered: a changed signature or payload is refused (400), nobody is unsubscribed.
- cross-channel: a valid link of one channel opened under another channel's route is
  refused.
- GET against one-click POST: a GET (link scanners, prefetchers) only shows the
  confirmation page and changes nothing; only a POST (the page's button or the RFC 8058
  one-click POST) unsubscribes, and only the address in the link.
"""

from __future__ import annotations

import pytest

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Unsubscribe
from saleor_aftersales.notifications import links
from sandbox.factories import make_channel

pytestmark = pytest.mark.django_db
ONE_CLICK = {"data": "List-Unsubscribe=One-Click",
             "content_type": "application/x-www-form-urlencoded"}


def _path(channel_slug: str = "default-channel", email: str = "erika@example.com") -> str:
    url = links.unsubscribe_url(get_host().get_config(channel_slug), email)
    return url[url.index("/plugins/channel/"):]


def test_get_changes_nothing_post_unsubscribes(client, channel):
    path = _path()
    for method in (client.get, client.head):
        assert method(path).status_code == 200
    assert not Unsubscribe.objects.exists()
    assert client.post(path, **ONE_CLICK).status_code == 200
    assert list(Unsubscribe.objects.values_list("email", flat=True)) == ["erika@example.com"]


@pytest.mark.parametrize("how", ["signature", "payload", "truncated", "other-purpose"])
def test_tampered_links_are_refused(client, channel, how):
    path = _path()
    prefix, token = path.rsplit("/", 1)
    if how == "signature":
        token = token[:-2] + ("xy" if not token.endswith("xy") else "ab")
    elif how == "payload":
        other = _path(email="mallory@example.com").rsplit("/", 1)[1]
        token = other.rsplit(":", 1)[0] + ":" + token.rsplit(":", 1)[1]
    elif how == "truncated":
        token = token[: len(token) // 2]
    else:
        config = get_host().get_config("default-channel")
        token = links.click_url(config, 0, "https://shop.example.com/").rsplit("/", 1)[1]
    for method in (client.get, client.post):
        assert method(f"{prefix}/{token}").status_code == 400
    assert not Unsubscribe.objects.exists()


def test_cross_channel_link_is_refused(client, channel):
    make_channel("other")
    token = _path().rsplit("/", 1)[1]
    other = f"/plugins/channel/other/{PLUGIN_ID}/mail/unsubscribe/{token}"
    assert client.post(other, **ONE_CLICK).status_code == 400
    assert not Unsubscribe.objects.exists()


def test_other_methods_are_refused(client, channel):
    path = _path()
    assert client.put(path).status_code == 405
    assert client.delete(path).status_code == 405
    assert not Unsubscribe.objects.exists()
