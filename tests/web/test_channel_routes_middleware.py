"""The plugin's channel routes answered by ``ChannelRoutes`` before URL routing.

The sandbox's URL conf maps the same paths to the plugin route, so each test checks that the
middleware answered (``resolver_match`` stays unset) and that a shopper sees the same thing.
"""

from __future__ import annotations

import pytest

from tests.channel_routes import list_last, served

from .conftest import BASE, csrf_of, page_url

pytestmark = pytest.mark.django_db



@pytest.fixture
def direct(settings):
    list_last(settings)


def test_page_and_verification_work_through_the_middleware(client, shipped_order, direct):
    url = page_url(shipped_order)
    page = client.get(url)
    assert page.status_code == 200 and page.wsgi_request.resolver_match is None
    assert f"Order {shipped_order.number}" in page.content.decode()
    assert "Mustermann" not in page.content.decode()
    answer = client.post(f"{url}/verify", {"csrf_token": csrf_of(client, url), "answer": "51147"})
    assert answer.status_code == 303 and answer.wsgi_request.resolver_match is None
    assert "Erika Mustermann" in client.get(url).content.decode()


def test_forged_link_unknown_channel_and_unknown_path(client, shipped_order, direct):
    assert client.get(f"{BASE}/status/{shipped_order.pk}").status_code == 403
    other = page_url(shipped_order).replace("/default-channel/", "/no-such-channel/")
    assert client.get(other).status_code == 404
    assert client.get(f"{BASE}/no-such-page").status_code == 404


def test_other_paths_reach_the_url_conf(client, direct):
    # the sandbox's dashboard stand-in is an ordinary view of the URL conf
    response = client.get("/dashboard-standin/")
    assert response.wsgi_request.resolver_match is not None


def test_async_handler(shipped_order, direct, transactional_db):
    (page,) = served(page_url(shipped_order))
    assert page.status_code == 200 and page.asgi_request.resolver_match is None
    assert f"Order {shipped_order.number}".encode() in page.content
