"""The unsubscribe page (L3): the brand colour validated, a strict CSP, never framed."""

from __future__ import annotations

import re

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Unsubscribe
from saleor_aftersales.notifications import links
from sandbox import factories

from .conftest import local, mail_config

pytestmark = pytest.mark.django_db

HOSTILE = "red;}</style><script>alert(1)</script><style>"


def _page(client, brand_color: str, method: str = "get"):
    factories.make_channel("default-channel", **mail_config("", brand_color=brand_color))
    config = get_host().get_config("default-channel")
    url = links.unsubscribe_url(config, "erika@example.com", language="de")
    return getattr(client, method)(local(url))


def test_a_hostile_brand_colour_never_reaches_the_unsubscribe_page_css(channel, client):
    """A value stored before validation (or written past it) falls back to the default."""
    response = _page(client, HOSTILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "red;" not in html and "<script" not in html and "alert(1)" not in html
    (style,) = re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)
    assert "background: #1f6feb;" in style and "color: #ffffff;" in style


def test_the_configured_brand_colour_is_used_with_readable_text(channel, client):
    html = _page(client, "#ffd33d").content.decode()
    assert "background: #ffd33d; color: #000000;" in html  # dark text on a light brand


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_unsubscribe_page_has_a_strict_csp_and_cannot_be_framed(channel, client, method):
    response = _page(client, "#0b7a75", method)
    assert response.status_code == 200
    policy = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in
        response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'" and policy["base-uri"] == "'none'"
    assert "script-src" not in policy  # default-src 'none': no script at all
    nonce = re.fullmatch(r"'nonce-([\w-]+)'", policy["style-src"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("no-store")
    assert Unsubscribe.objects.exists() == (method == "post")
