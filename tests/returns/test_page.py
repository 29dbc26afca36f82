"""The return page and the status page's returns section (POST/redirect/GET, CSRF)."""

from __future__ import annotations

import re

import pytest

from saleor_aftersales.hosts import get_host
from saleor_aftersales.returns import service
from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.status import access

from ..web.conftest import page_url
from .conftest import return_line, submit_return

pytestmark = pytest.mark.django_db


def _unlock(client, order):
    client.cookies[access.UNLOCK_COOKIE] = access.make_unlock_token(str(order.pk))


def _csrf(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


def test_unverified_reader_is_sent_to_the_check(client, delivered_order):
    url = page_url(delivered_order)
    response = client.get(f"{url}/returns")
    assert response.status_code == 303 and response["Location"].endswith("#personal")
    html = client.get(url).content.decode()
    assert 'id="returns"' in html and "Confirm your delivery details below" in html
    assert client.post(f"{url}/returns", {"csrf_token": _csrf(client, url)}).status_code == 303
    assert not ReturnRequest.objects.exists()


def test_form_sends_a_return_and_the_status_page_shows_its_timeline(client, delivered_order):
    url = page_url(delivered_order)
    _unlock(client, delivered_order)
    first, second = (str(li.pk) for li in delivered_order.lines.all())
    html = client.get(f"{url}/returns").content.decode()
    assert f'name="qty-{second}"' in html and '<option value="2">' in html
    csrf = _csrf(client, f"{url}/returns")
    form = {
        "csrf_token": csrf,
        f"qty-{second}": "2",
        f"reason-{second}": "too_large",
        f"qty-{first}": "0",
        "resolution": "refund",
        "lang": "de",
    }
    response = client.post(f"{url}/returns?lang=de", form)
    assert response.status_code == 303 and "m=sent" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Danke. Ihre Rücksendeanfrage ist bei uns." in page
    # sent twice (a second click): the same return, said so
    again = client.post(f"{url}/returns?lang=de", form)
    assert "m=already" in again["Location"] and ReturnRequest.objects.count() == 1

    request = ReturnRequest.objects.get()
    service.approve(request.pk)
    service.mark_received(request.pk, get_host())
    status = client.get(f"{url}?lang=en").content.decode()
    assert 'data-return-state="refunded"' in status
    assert re.findall(r'as-return__step--done" data-step="(\w+)"', status) == [
        "requested",
        "approved",
        "handed_over",
        "received",
        "refunded",
    ]


def test_a_refusal_keeps_the_choices_and_says_why_in_german(client, delivered_order):
    url = page_url(delivered_order)
    _unlock(client, delivered_order)
    line = str(list(delivered_order.lines.all())[1].pk)
    csrf = _csrf(client, f"{url}/returns")
    response = client.post(
        f"{url}/returns?lang=de",
        {
            "csrf_token": csrf,
            f"qty-{line}": "5",
            f"reason-{line}": "damaged",
            "resolution": "store_credit",
            "comment": "Naht offen",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sie können höchstens 2 von" in html
    assert '<option value="damaged" selected>' in html and "Naht offen" in html
    assert not ReturnRequest.objects.exists()


def test_without_csrf_nothing_is_sent(client, delivered_order):
    url = page_url(delivered_order)
    _unlock(client, delivered_order)
    line = str(delivered_order.lines.first().pk)
    client.post(
        f"{url}/returns",
        {
            "csrf_token": "0" * 64,
            f"qty-{line}": "1",
            f"reason-{line}": "too_small",
            "resolution": "refund",
        },
    )
    assert not ReturnRequest.objects.exists()


def test_an_approved_return_without_label_has_a_printable_slip(client, delivered_order):
    from sandbox import factories

    factories.make_channel(
        "default-channel",
        return_address="Nordwind Retouren\nLagerstraße 5",
        return_stores="Köln, Ehrenstraße 12",
    )
    url = page_url(delivered_order)
    _unlock(client, delivered_order)
    request = submit_return(delivered_order, [return_line(delivered_order)])
    assert client.get(f"{url}/returns/{request.pk}/slip").status_code == 403  # not approved
    service.approve(request.pk, get_host())
    status = client.get(f"{url}?lang=de").content.decode()
    assert f"/returns/{request.pk}/slip?lang=de" in status
    slip = client.get(f"{url}/returns/{request.pk}/slip?lang=de").content.decode()
    assert "Rücksendeschein" in slip and "Lagerstraße 5" in slip and "Ehrenstraße 12" in slip
    assert f"1 × {delivered_order.lines.first().product_name}" in slip


def test_the_shopper_picks_a_store_and_its_slip_lists_the_stores(client, delivered_order):
    from sandbox import factories

    factories.make_channel("default-channel", return_stores="Köln, Ehrenstraße 12")
    url = page_url(delivered_order)
    _unlock(client, delivered_order)
    line = str(delivered_order.lines.first().pk)
    html = client.get(f"{url}/returns").content.decode()
    assert 'name="method" value="address"' in html and 'name="method" value="store"' in html
    csrf = _csrf(client, f"{url}/returns")
    form = {
        "csrf_token": csrf,
        f"qty-{line}": "1",
        f"reason-{line}": "too_small",
        "resolution": "refund",
    }
    response = client.post(f"{url}/returns?lang=de", {**form, "method": "label"})
    assert response.status_code == 400  # no carrier account: no prepaid label
    assert "Wählen Sie, wie Sie die Artikel zurücksenden" in response.content.decode()
    response = client.post(f"{url}/returns", {**form, "method": "store"})
    assert response.status_code == 303
    request = ReturnRequest.objects.get()
    assert request.method == "store"
    service.approve(request.pk, get_host())
    slip = client.get(f"{url}/returns/{request.pk}/slip").content.decode()
    assert "Ehrenstraße 12" in slip
