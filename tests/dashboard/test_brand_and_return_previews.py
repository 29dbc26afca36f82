"""The Settings tab's brand preview (the status page's header with the typed name, colour
and logo) and the return emails among the Emails tab's previews, over HTTP."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest

from saleor_aftersales.config import RETURN_EMAIL_EVENTS
from sandbox import factories

from .conftest import ROOT, get


def _frame_src(body: str, marker: str) -> str:
    tag = next(t for t in re.findall(r"<iframe[^>]+>", body) if marker in t)
    return html.unescape(re.search(r'src="([^"]+)"', tag).group(1))


def _typed(src: str, **values: str) -> str:
    """The frame's link as the tab's script sets it while the owner types."""
    return f"{src}&{urlencode(values)}"


def test_brand_preview_shows_the_saved_brand_and_then_the_typed_one(client, channel, token):
    factories.make_channel("default-channel", shop_name="Fjord & Fell", brand_color="#0b6e4f")
    body = get(client, f"{ROOT}/api/settings?channel=default-channel", token()).content.decode()
    src = _frame_src(body, "data-as-brand-preview")
    saved = client.get(src)
    assert saved.status_code == 200 and "sandbox" in saved["Content-Security-Policy"]
    page = saved.content.decode()
    assert '<span class="as-shop">Fjord &amp; Fell</span>' in page
    assert "--as-brand: #0b6e4f;" in page

    typed = client.get(_typed(src, name="Nordlicht <b>", color="#ffcc00", logo=""))
    page = typed.content.decode()
    assert '<span class="as-shop">Nordlicht &lt;b&gt;</span>' in page
    assert "--as-brand: #ffcc00;" in page

    logo = "https://cdn.example.com/logo.png"
    page = client.get(_typed(src, logo=logo, color="red;}</style>")).content.decode()
    assert f'<img class="as-logo" src="{logo}" alt="Fjord &amp; Fell"' in page
    assert "red;}" not in page and "--as-brand: #1f6feb;" in page  # as the page falls back
    page = client.get(_typed(src, logo="http://insecure.example/logo.png")).content.decode()
    assert "insecure.example" not in page and 'class="as-shop"' in page


def test_brand_preview_needs_its_signed_link(client, channel):
    forged = client.get(f"{ROOT}/preview/brand?s=forged&name=Evil")
    assert forged.status_code == 403 and "Evil" not in forged.content.decode()


@pytest.mark.parametrize("lang", ["en", "de"])
def test_return_emails_are_previewed_with_a_sample_return(client, channel, token, lang):
    factories.make_channel("default-channel", shop_name="Fjord & Fell")
    url = f"{ROOT}/api/emails?channel=default-channel&language={lang}"
    body = get(client, url, token()).content.decode()
    for event in RETURN_EMAIL_EVENTS:
        assert f'<option value="{event}"' in body
    expected = {
        "return_approved": "00340434161094042557",  # the prepaid label's tracking number
        "return_rejected": "The sweater has been worn and washed.",
    }
    for event in RETURN_EMAIL_EVENTS:
        page = get(client, f"{url}&event={event}", token()).content.decode()
        assert "switched off" not in page
        email = client.get(_frame_src(page, "as-dash__preview--email")).content.decode()
        assert "Fjord &amp; Fell" in email and "Merino Wool Sweater" in email
        if event in expected:
            assert expected[event] in email
    german = get(client, f"{url}&event=return_approved", token()).content.decode()
    if lang == "de":
        assert "ist genehmigt" in german
