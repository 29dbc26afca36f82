"""Open redirects: every redirect leads only to the shop, the status page, the review
platform or a carrier, however the target is dressed up.

- the email click redirect (a signed token still cannot send shoppers elsewhere, e.g. a
  carrier's tracking URL gone bad): userinfo (``https://shop.example.com@evil.example``),
  backslashes (``https://evil.example\\@shop.example.com``, ``/\\evil.example``),
  protocol-relative, ``javascript:`` and ``data:`` targets are refused with 400;
- the page's own redirects after a form stay on the page whatever ``lang`` says;
- owner settings that become redirect targets (checkout, review platform, storefront)
  accept only http(s) addresses.
"""

from __future__ import annotations

import pytest

from saleor_aftersales.config import validate_config
from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.hosts import get_host
from saleor_aftersales.notifications import links
from tests.web.conftest import csrf_of, page_url

pytestmark = pytest.mark.django_db

REFUSED = [
    "https://shop.example.com@evil.example/",
    "https://shop.example.com:443@evil.example/",
    "https://evil.example\\@shop.example.com/",
    "https://evil.example\\.shop.example.com/",
    "//evil.example/",
    "/\\evil.example/",
    "https:/\\evil.example/",
    "javascript:alert(document.domain)//https://shop.example.com/",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/https://shop.example.com/",
    "https://shop.example.com.evil.example/",
]


def _click(client, target: str):
    config = get_host().get_config("default-channel")
    url = links.click_url(config, 0, target)
    return client.get(url[url.index(f"/plugins/channel/default-channel/{PLUGIN_ID}"):])


@pytest.mark.parametrize("target", REFUSED)
def test_click_redirect_refuses_foreign_targets(client, channel, target):
    response = _click(client, target)
    assert response.status_code == 400
    assert "Location" not in response


def test_click_redirect_follows_allowed_targets(client, channel):
    response = _click(client, "https://shop.example.com/products/sweater")
    assert response.status_code == 302
    assert response["Location"] == "https://shop.example.com/products/sweater"


@pytest.mark.parametrize("lang", ["//evil.example", "https://evil.example", "\\\\evil.example",
                                  "de\r\nLocation: https://evil.example"])
def test_page_redirects_stay_on_the_page(client, shipped_order, lang):
    url = page_url(shipped_order)
    response = client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url),
                                              "answer": "00000", "lang": lang})
    assert response.status_code == 303
    assert response["Location"].startswith(f"/plugins/channel/default-channel/{PLUGIN_ID}/")
    assert "evil.example" not in response["Location"].split("?")[0]
    assert "\n" not in response["Location"]


@pytest.mark.parametrize("field", ["checkout_url", "review_platform_url", "storefront_url"])
@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x", "//evil.example",
                                   "evil.example"])
def test_redirect_settings_take_only_web_addresses(field, value):
    assert field in validate_config({field: value})
