"""A shop restyles the page and emails by placing templates in its project's ``DIRS``."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings

from saleor_aftersales.notifications import email
from saleor_aftersales.notifications.samples import sample_context

from .web.conftest import page_url, process

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_templates(tmp_path):
    """The project's template directory, with its own page footer and shipped subject."""
    page = tmp_path / "saleor_aftersales" / "page"
    page.mkdir(parents=True)
    page.joinpath("base.html").write_text(
        '<!doctype html><html lang="{{ lang }}"><body><main id="main">'
        "{% block content %}{% endblock %}</main>"
        "<footer>Nordwind since 1921</footer></body></html>"
    )
    mail = tmp_path / "saleor_aftersales" / "email"
    mail.mkdir(parents=True)
    mail.joinpath("shipped_subject.txt").write_text("Ahoy! Order {{ order.number }} sails")
    templates = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    email.clear_cache()
    with override_settings(TEMPLATES=templates):
        yield
    email.clear_cache()


def test_the_projects_templates_win_over_the_plugins(project_templates, client, make_order):
    order = make_order(lines=1, parcels=1)
    process(order)
    html = client.get(page_url(order)).content.decode()
    assert "Nordwind since 1921" in html and f"Order {order.number}" in html

    rendered = email.render_email("shipped", sample_context("shipped"), language="en")
    assert rendered.subject == "Ahoy! Order 1001 sails"


def test_without_overrides_the_plugins_own_templates_render(client, make_order):
    order = make_order(lines=1, parcels=1)
    process(order)
    html = client.get(page_url(order)).content.decode()
    assert "Nordwind since 1921" not in html and 'class="as-footer"' in html
    rendered = email.render_email("shipped", sample_context("shipped"), language="en")
    assert rendered.subject == "Your order 1001 is on its way"
