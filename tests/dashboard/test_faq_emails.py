"""The Aftersales page's FAQ and Emails tabs over HTTP (the browser tests click the same)."""

from __future__ import annotations

from saleor_aftersales.dashboard import emails
from saleor_aftersales.models import FaqEntry
from sandbox import factories
from tests.notifications.conftest import SmtpServer, mail_config
from tests.web.conftest import page_url

from .conftest import ROOT, get, post

SCOPE = {"channel": "default-channel", "language": "en", "context": ""}


def _entry(question: str, position: int, **extra) -> FaqEntry:
    extra.setdefault("answer", f"About {question}.")
    return FaqEntry.objects.create(
        channel_slug="default-channel", question=question, position=position, **extra
    )


def _preview(body: str) -> str:
    start = body.index('src="', body.index("as-dash__preview")) + 5
    return body[start : body.index('"', start)].replace("&amp;", "&")


def test_faq_add_edit_move_delete_and_the_status_page_follows(
    client, order_with_problem, token, django_capture_on_commit_callbacks
):
    """Each change reaches the shopper's (cached) status page once it commits."""
    first, second = _entry("Where is my parcel?", 0), _entry("Can I return it?", 1)
    status = client.get(page_url(order_with_problem)).content.decode()
    assert status.index("Where is my parcel?") < status.index("Can I return it?")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{ROOT}/api/faq/{second.pk}/up", SCOPE, token())
    assert response.status_code == 200 and "Moved up." in response.content.decode()
    status = client.get(page_url(order_with_problem)).content.decode()
    assert status.index("Can I return it?") < status.index("Where is my parcel?")

    data = {
        **SCOPE,
        "question": "Where is my order?",
        "answer": '<p>Look <script>x()</script><a href="javascript:alert(1)">here</a></p>',
        "entry_context": "any",
        "is_published": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        edited = post(client, f"{ROOT}/api/faq/{first.pk}/edit", data, token())
    assert edited.status_code == 200
    status = client.get(page_url(order_with_problem)).content.decode()
    assert "Where is my order?" in status and "<script>x()" not in status
    assert "javascript:" not in status

    with django_capture_on_commit_callbacks(execute=True):
        added = post(client, f"{ROOT}/api/faq/new", {**data, "question": "Gift wrap?"}, token())
        deleted = post(client, f"{ROOT}/api/faq/{second.pk}/delete", SCOPE, token())
    assert "Question added." in added.content.decode()
    assert FaqEntry.objects.get(question="Gift wrap?").position == 2
    assert deleted.status_code == 200
    status = client.get(page_url(order_with_problem)).content.decode()
    assert "Can I return it?" not in status and "Gift wrap?" in status


def test_faq_refuses_an_empty_question_next_to_the_field(client, channel, token):
    data = {**SCOPE, "question": "  ", "answer": "Yes.", "entry_context": "any"}
    response = post(client, f"{ROOT}/api/faq/new?lang=de", data, token())
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="as-faq-new-question" name="question"' in body and 'aria-invalid="true"' in body
    assert "Geben Sie die Frage ein." in body
    assert not FaqEntry.objects.exists()


def test_faq_changes_need_the_channel_and_a_valid_token(client, channel, token):
    entry = _entry("Where is my parcel?", 0)
    url = f"{ROOT}/api/faq/{entry.pk}/delete"
    assert post(client, url, SCOPE).status_code == 401
    assert post(client, url, SCOPE, token(permissions=("MANAGE_PRODUCTS",))).status_code == 403
    assert post(client, url, SCOPE, token(channels=["other-channel"])).status_code == 403
    assert FaqEntry.objects.filter(pk=entry.pk).exists()
    assert get(client, f"{ROOT}/api/faq", token()).status_code == 200


def test_faq_preview_shows_the_shoppers_choice_sanitised_and_sandboxed(client, channel, token):
    _entry("Is it shipped?", 0, context="shipped", answer="<b>Yes</b><img src=x onerror=y()>")
    _entry("Delivered?", 1, context="delivered")
    body = get(client, f"{ROOT}/api/faq", token()).content.decode()
    response = client.get(_preview(body))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "sandbox" in csp and "script-src" not in csp and "default-src 'none'" in csp
    page = response.content.decode()
    assert "Is it shipped?" in page and "<b>Yes</b>" in page and "onerror" not in page
    assert "Delivered?" not in page  # the preview is of an order on its way
    forged = _preview(body)[:-3] + "abc"
    assert client.get(forged).status_code == 403


def test_email_previews_in_both_languages_with_the_channel_brand(client, channel, token):
    factories.make_channel("default-channel", shop_name="Fjord & Fell", brand_color="#0b6e4f")
    for lang, subject in (("en", "is on its way"), ("de", "ist unterwegs")):
        url = f"{ROOT}/api/emails?channel=default-channel&event=shipped&language={lang}"
        body = get(client, url, token()).content.decode()
        assert subject in body, body
        response = client.get(_preview(body))
        assert "sandbox" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert "Fjord &amp; Fell" in html and "#0b6e4f" in html.lower()


def test_send_me_a_test_goes_through_the_channels_smtp_server(client, channel, token):
    smtp = SmtpServer().start()
    try:
        factories.make_channel("default-channel", **mail_config(smtp.url))
        data = {"channel": "default-channel", "event": "delay", "language": "de"}
        response = post(client, f"{ROOT}/api/emails/test", data, token())
        assert response.status_code == 200, response.content
        assert "Test sent to staff@example.com." in response.content.decode()
        assert [to for _f, to in smtp.inbox.envelopes] == [["staff@example.com"]]
        message = smtp.inbox.messages[0]
        assert message["X-Aftersales-Test"] == "1" and message.get_body(("html",)) is not None
        refused = post(client, f"{ROOT}/api/emails/test", data, token(channels=["x"]))
        assert refused.status_code == 403 and len(smtp.inbox.messages) == 1
        for _n in range(emails.TESTS_PER_HOUR):
            post(client, f"{ROOT}/api/emails/test", data, token())
        limited = post(client, f"{ROOT}/api/emails/test", data, token())
        assert limited.status_code == 429 and len(smtp.inbox.messages) == emails.TESTS_PER_HOUR
    finally:
        smtp.stop()
