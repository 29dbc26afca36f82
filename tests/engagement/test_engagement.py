"""Engagement services: FAQ per state and language, consent, cross-sell, buy again, reviews."""

from __future__ import annotations

import pytest

from saleor_aftersales.engagement import buy_again, faq, recommendations, reviews
from saleor_aftersales.engagement.consent import has_marketing_consent
from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import FaqEntry
from sandbox import factories
from sandbox.models import Checkout

pytestmark = pytest.mark.django_db


def _faq(question, context="any", language="en", published=True, answer="A"):
    return FaqEntry.objects.create(
        channel_slug="default-channel", language_code=language, context=context,
        question=question, answer=answer, is_published=published,
    )


def test_faq_for_state_and_language(channel):
    _faq("Where is my parcel?", "shipped")
    _faq("Wo ist mein Paket?", "shipped", "de")
    _faq("Can I return it?", "delivered")
    _faq("Contact?", "any")
    _faq("Hidden", "shipped", published=False)
    questions = [q for _, q, _ in faq.entries_for("default-channel", "en", "in_transit")]
    assert questions == ["Where is my parcel?", "Contact?"]
    assert [q for _, q, _ in faq.entries_for("default-channel", "de", "shipped")] == [
        "Wo ist mein Paket?"
    ]
    # no German entries for "delivered": English ones are shown rather than nothing
    assert [q for _, q, _ in faq.entries_for("default-channel", "de", "delivered")] == [
        "Can I return it?", "Contact?"
    ]


def test_faq_answers_are_sanitised():
    dirty = '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a>' \
            '<a href="https://ex.com">ok</a><img src=x onerror=alert(1)></p>'
    clean = faq.sanitize(dirty)
    assert "script" not in clean and "onclick" not in clean and "onerror" not in clean
    assert "javascript:" not in clean and "<img" not in clean
    assert 'href="https://ex.com"' in clean and "noopener" in clean


@pytest.mark.parametrize(
    ("rule", "metadata", "expected"),
    [
        ("always", {}, True),
        ("never", {"marketing_consent": "true"}, False),
        ("metadata", {"marketing_consent": "true"}, True),
        ("metadata", {"marketing_consent": "TRUE"}, True),
        ("metadata", {"marketing_consent": "false"}, False),
        ("metadata", {}, False),
    ],
)
def test_consent_rules(make_order, channel, rule, metadata, expected):
    channel.configuration["marketing_consent_rule"] = rule
    channel.save()
    order = get_host().get_order(str(make_order(lines=1, metadata=metadata).pk))
    config = get_host().get_config("default-channel")
    assert has_marketing_consent(order, config) is expected


def test_recommendations_need_consent_and_skip_unsellable(make_order, channel):
    bought = factories.make_product("Rain Jacket")
    together = factories.make_product("Wool Beanie")
    hidden = factories.make_product("Secret Prototype", published=False)
    make_order(lines=2, variants=[bought, together])
    make_order(lines=2, variants=[bought, hidden])
    host, config = get_host(), get_host().get_config("default-channel")
    without = get_host().get_order(str(make_order(lines=1, variants=[bought]).pk))
    assert recommendations.for_order(without, config, host) == ()
    order = get_host().get_order(
        str(make_order(lines=1, variants=[bought], metadata={"marketing_consent": "true"}).pk)
    )
    names = [r.name for r in recommendations.for_order(order, config, host)]
    assert names[0] == "Wool Beanie"
    assert "Secret Prototype" not in names and "Rain Jacket" not in names
    first = recommendations.for_order(order, config, host)[0]
    assert first.url == f"https://shop.example.com/products/{first.slug}"


def test_buy_again_caps_quantity_at_stock(make_order):
    other = factories.make_product()
    scarce = factories.make_product(stock=1)
    sandbox_order = make_order(lines=2, variants=[other, scarce])
    assert sandbox_order.lines.get(variant=scarce).quantity == 2
    order = get_host().get_order(str(sandbox_order.pk))
    config = get_host().get_config("default-channel")
    offers = buy_again.offers(order, config, get_host())
    offer = next(o for o in offers if o.variant_id == str(scarce.pk))
    assert offer.available and offer.quantity == 1
    result = buy_again.start_checkout(order, config, get_host())
    assert [str(scarce.pk), 1] in Checkout.objects.get(token=result.checkout.id).lines


def test_buy_again_url_replaces_placeholders(channel):
    from saleor_aftersales.config import AftersalesConfig
    from saleor_aftersales.hosts.base import CheckoutRef

    config = AftersalesConfig(checkout_url="https://s.example/c/{checkout_id}?t={token}")
    url = buy_again.checkout_redirect_url(config, CheckoutRef(id="a/b", token="t&1"))
    assert url == "https://s.example/c/a%2Fb?t=t%261"


def test_review_updates_instead_of_duplicating(make_order):
    order = make_order(lines=1)
    config = get_host().get_config("default-channel")
    reviews.submit_review(str(order.pk), config, 3, "ok", delivered=True)
    reviews.submit_review(str(order.pk), config, "5", "better", delivered=True)
    state = reviews.review_state(str(order.pk), config, delivered=True)
    assert (state.rating, state.comment) == (5, "better")
    for bad in (0, 6, "x", None):
        with pytest.raises(reviews.InvalidReview):
            reviews.submit_review(str(order.pk), config, bad, delivered=True)
    with pytest.raises(reviews.InvalidReview):
        reviews.submit_review(str(order.pk), config, 4, delivered=False)
