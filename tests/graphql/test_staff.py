"""Staff and app API: FAQ editing, parcel corrections, problem list, KPIs, permissions."""

from __future__ import annotations

import pytest
from django.utils import timezone
from graphql_relay import to_global_id

from saleor_aftersales.models import FaqEntry, Parcel, Problem, TrackingEvent
from sandbox import factories
from sandbox import models as shop
from sandbox.factories import make_api_token

from .conftest import process, status_token

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: AftersalesFaqInput!, $channel: String) {
  aftersalesFaqCreate(input: $input, channel: $channel) {
    faqEntry { id channel languageCode context question answer position isPublished }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: AftersalesFaqInput!) {
  aftersalesFaqUpdate(id: $id, input: $input) {
    faqEntry { id question isPublished context }
    errors { field code }
  }
}
"""
DELETE = """
mutation($id: ID!) { aftersalesFaqDelete(id: $id) { faqEntry { id } errors { field code } } }
"""
REORDER = """
mutation($ids: [ID!]!, $lang: String!) {
  aftersalesFaqReorder(ids: $ids, languageCode: $lang) {
    faqEntries { question position } errors { field code }
  }
}
"""
ENTRIES = """
query($lang: String) { aftersalesFaqEntries(languageCode: $lang) { question position } }
"""


def _faq(question, language="en", position=0, channel="default-channel"):
    return FaqEntry.objects.create(
        channel_slug=channel, language_code=language, question=question, answer="A",
        position=position,
    )


def gid(entry) -> str:
    return to_global_id("AftersalesFaqEntry", entry.pk)


def test_faq_create_edit_reorder_delete(gql, staff_token, make_order):
    _, body = gql(
        CREATE,
        {"input": {"languageCode": "de", "question": "Wo ist mein Paket?",
                   "answer": "Im Link.", "context": "SHIPPED"}},
        token=staff_token,
    )
    payload = body["data"]["aftersalesFaqCreate"]
    assert payload["errors"] == []
    entry = payload["faqEntry"]
    assert entry["channel"] == "default-channel"
    assert (entry["languageCode"], entry["context"], entry["position"]) == ("de", "SHIPPED", 0)
    _, second = gql(
        CREATE, {"input": {"languageCode": "de", "question": "Rückgabe?", "answer": "Ja."}},
        token=staff_token,
    )
    second_entry = second["data"]["aftersalesFaqCreate"]["faqEntry"]
    assert (second_entry["position"], second_entry["context"]) == (1, "ANY")

    _, body = gql(
        UPDATE, {"id": entry["id"], "input": {"question": "Wo bleibt mein Paket?"}},
        token=staff_token,
    )
    assert body["data"]["aftersalesFaqUpdate"]["faqEntry"]["question"] == "Wo bleibt mein Paket?"
    assert body["data"]["aftersalesFaqUpdate"]["faqEntry"]["isPublished"] is True

    _, body = gql(REORDER, {"ids": [second_entry["id"]], "lang": "de"}, token=staff_token)
    assert [e["question"] for e in body["data"]["aftersalesFaqReorder"]["faqEntries"]] == [
        "Rückgabe?", "Wo bleibt mein Paket?"
    ]
    _, listed = gql(ENTRIES, {"lang": "de"}, token=staff_token)
    assert listed["data"]["aftersalesFaqEntries"] == [
        {"question": "Rückgabe?", "position": 0},
        {"question": "Wo bleibt mein Paket?", "position": 1},
    ]

    # the shopper sees the German entries on a German order
    order = process(make_order(lines=1, parcels=1, language_code="de"))
    _, status = gql(
        "query($t: String!) { aftersalesStatus(token: $t) { faq { question } } }",
        {"t": status_token(order)},
    )
    assert [f["question"] for f in status["data"]["aftersalesStatus"]["faq"]] == [
        "Rückgabe?", "Wo bleibt mein Paket?"
    ]

    _, body = gql(DELETE, {"id": entry["id"]}, token=staff_token)
    assert body["data"]["aftersalesFaqDelete"] == {"faqEntry": {"id": entry["id"]}, "errors": []}
    assert list(FaqEntry.objects.values_list("question", flat=True)) == ["Rückgabe?"]


@pytest.mark.parametrize(
    "data,field,code",
    [
        ({"question": "Q?", "answer": "A"}, "languageCode", "REQUIRED"),
        ({"languageCode": "en", "question": "  ", "answer": "A"}, "question", "REQUIRED"),
        ({"languageCode": "en", "question": "Q" * 501, "answer": "A"}, "question", "INVALID"),
        ({"languageCode": "en", "question": "Q?", "answer": ""}, "answer", "REQUIRED"),
        ({"languageCode": "e n", "question": "Q?", "answer": "A"}, "languageCode", "INVALID"),
        ({"languageCode": "en", "question": "Q?", "answer": "A", "position": -1}, "position",
         "INVALID"),
    ],
)
def test_faq_create_bad_input(gql, staff_token, data, field, code):
    _, body = gql(CREATE, {"input": data}, token=staff_token)
    payload = body["data"]["aftersalesFaqCreate"]
    assert payload["faqEntry"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert not FaqEntry.objects.exists()


def test_faq_text_with_nul_bytes_is_stored_clean(gql, staff_token):
    """A NUL byte (PostgreSQL refuses it) or other control character pasted into the FAQ
    never turns into a 500: it is removed, line breaks in the answer stay."""
    data = {"languageCode": "en", "question": "Wh\x00en?\x07", "answer": "Soon\x00.\nOK"}
    status, body = gql(CREATE, {"input": data}, token=staff_token)
    assert status == 200 and body["data"]["aftersalesFaqCreate"]["errors"] == []
    entry = FaqEntry.objects.get()
    assert (entry.question, entry.answer) == ("When?", "Soon.\nOK")


def test_faq_bad_ids(gql, staff_token):
    entry = _faq("Q?")
    other = _faq("Other?", channel="other-channel")
    parcel_id = to_global_id("AftersalesParcel", 1)
    for bad in ("nonsense", parcel_id, to_global_id("AftersalesFaqEntry", 999999)):
        _, body = gql(UPDATE, {"id": bad, "input": {"question": "X"}}, token=staff_token)
        errors = body["data"]["aftersalesFaqUpdate"]["errors"]
        assert errors == [{"field": "id", "code": "NOT_FOUND"}]
    _, body = gql(REORDER, {"ids": [gid(entry), gid(other)], "lang": "en"}, token=staff_token)
    assert body["data"]["aftersalesFaqReorder"]["errors"] == [{"field": "ids", "code": "NOT_FOUND"}]
    _, body = gql(REORDER, {"ids": [gid(entry), gid(entry)], "lang": "en"}, token=staff_token)
    assert body["data"]["aftersalesFaqReorder"]["errors"] == [{"field": "ids", "code": "INVALID"}]


@pytest.fixture
def denied_tokens(channel):
    """Callers that must not change the default channel's data."""
    factories.make_channel("other-channel")
    return {
        "anonymous": None,
        "customer": make_api_token("customer", (), email="erika@example.com"),
        "staff of another channel": make_api_token(
            "staff", ("MANAGE_ORDERS", "MANAGE_PLUGINS"), channels=["other-channel"]
        ),
        "staff without permission": make_api_token("staff", ("MANAGE_PRODUCTS",)),
        "app without permission": make_api_token("app", ("MANAGE_CHECKOUTS",)),
        "unknown token": "not-a-known-token",
    }


def test_staff_mutations_are_denied_without_permission_or_channel(gql, denied_tokens):
    entry = _faq("Keep me?")
    for who, token in denied_tokens.items():
        _, body = gql(
            CREATE, {"input": {"languageCode": "en", "question": "Q?", "answer": "A"}},
            token=token,
        )
        assert body["data"]["aftersalesFaqCreate"]["errors"][0]["code"] == "PERMISSION_DENIED", who
        _, body = gql(DELETE, {"id": gid(entry)}, token=token)
        assert body["data"]["aftersalesFaqDelete"]["errors"][0]["code"] == "PERMISSION_DENIED", who
    assert list(FaqEntry.objects.values_list("question", flat=True)) == ["Keep me?"]


def test_staff_queries_are_denied_without_read_permission(gql, denied_tokens):
    plugins_only = make_api_token("app", ("MANAGE_PLUGINS",))
    for who, token in {**denied_tokens, "app with MANAGE_PLUGINS only": plugins_only}.items():
        for query in (
            "{ aftersalesProblems { totalCount } }",
            "{ aftersalesKpis { pageViews } }",
            "{ aftersalesFaqEntries { question } }",
        ):
            _, body = gql(query, token=token)
            assert body["data"] is None, who
            assert body["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


def test_changes_allowed_with_manage_plugins_and_restricted_staff_in_own_channel(gql, channel):
    for token in (
        make_api_token("app", ("MANAGE_PLUGINS",)),
        make_api_token("staff", ("MANAGE_ORDERS",), channels=["default-channel"]),
    ):
        _, body = gql(
            CREATE, {"input": {"languageCode": "en", "question": "Q?", "answer": "A"}},
            token=token,
        )
        assert body["data"]["aftersalesFaqCreate"]["errors"] == []
    assert FaqEntry.objects.count() == 2


def test_staff_may_address_another_channel_explicitly(gql, channel):
    factories.make_channel("other-channel")
    token = make_api_token("staff", ("MANAGE_ORDERS",), channels=["other-channel"])
    _, body = gql(
        CREATE,
        {"input": {"languageCode": "en", "question": "Q?", "answer": "A"},
         "channel": "other-channel"},
        token=token,
    )
    assert body["data"]["aftersalesFaqCreate"]["faqEntry"]["channel"] == "other-channel"


# --------------------------------------------------------------------------- parcels

PARCEL_FIELDS = "parcel { id carrier carrierSource trackingNumber trackingUrl status nextCheckAt }"


def _parcel(make_order, number="00340434161094042557"):
    order = process(make_order(lines=1, parcels=1, tracking_numbers=[number]))
    return order, Parcel.objects.get(order_id=order.pk)


def pid(parcel) -> str:
    return to_global_id("AftersalesParcel", parcel.pk)


def test_set_carrier(gql, staff_token, make_order):
    _order, parcel = _parcel(make_order, "1234567890")
    query = f"""mutation($id: ID!, $c: String!) {{
      aftersalesParcelSetCarrier(id: $id, carrier: $c) {{ {PARCEL_FIELDS} errors {{ field code }} }}
    }}"""
    _, body = gql(query, {"id": pid(parcel), "c": "UPS"}, token=staff_token)
    payload = body["data"]["aftersalesParcelSetCarrier"]
    assert payload["errors"] == []
    assert (payload["parcel"]["carrier"], payload["parcel"]["carrierSource"]) == ("ups", "staff")
    assert payload["parcel"]["trackingUrl"].startswith("https://www.ups.com/")
    assert Parcel.objects.get(pk=parcel.pk).carrier == "ups"

    _, body = gql(query, {"id": pid(parcel), "c": "pigeon"}, token=staff_token)
    assert body["data"]["aftersalesParcelSetCarrier"]["errors"] == [
        {"field": "carrier", "code": "INVALID"}
    ]
    _, body = gql(query, {"id": pid(parcel), "c": "dhl"}, token=None)
    assert body["data"]["aftersalesParcelSetCarrier"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert Parcel.objects.get(pk=parcel.pk).carrier == "ups"


SET_NUMBER = f"""mutation($id: ID!, $n: String!) {{
  aftersalesParcelSetTrackingNumber(id: $id, trackingNumber: $n) {{
    {PARCEL_FIELDS} errors {{ field code }}
  }}
}}"""


def test_fix_tracking_number_updates_the_fulfillment_and_drops_old_events(
    gql, staff_token, make_order
):
    order, parcel = _parcel(make_order, "1Z999AA10123456785")
    TrackingEvent.objects.create(
        parcel=parcel, occurred_at=timezone.now(), status="delivered", source="ups",
        source_id="wrong-1",
    )
    Parcel.objects.filter(pk=parcel.pk).update(status="delivered", delivered_at=timezone.now())

    _, body = gql(SET_NUMBER, {"id": pid(parcel), "n": "00340434161094042557"}, token=staff_token)

    payload = body["data"]["aftersalesParcelSetTrackingNumber"]
    assert payload["errors"] == []
    assert payload["parcel"]["trackingNumber"] == "00340434161094042557"
    assert payload["parcel"]["carrier"] == "dhl"
    assert payload["parcel"]["status"] == "PENDING"
    fulfillment = shop.Fulfillment.objects.get(order=order)
    assert fulfillment.tracking_number == "00340434161094042557"
    assert not TrackingEvent.objects.filter(parcel=parcel).exists()
    # a later sync from the shop keeps the corrected number
    process(order)
    assert Parcel.objects.get(pk=parcel.pk).tracking_number == "00340434161094042557"


@pytest.mark.parametrize(
    "number,code", [("  ", "REQUIRED"), ("A" * 300, "INVALID"), ("00340\x00434", "INVALID")]
)
def test_fix_tracking_number_bad_input(gql, staff_token, make_order, number, code):
    _order, parcel = _parcel(make_order)
    _, body = gql(SET_NUMBER, {"id": pid(parcel), "n": number}, token=staff_token)
    assert body["data"]["aftersalesParcelSetTrackingNumber"]["errors"] == [
        {"field": "trackingNumber", "code": code}
    ]
    assert Parcel.objects.get(pk=parcel.pk).tracking_number == "00340434161094042557"


REFRESH = f"""mutation($id: ID!) {{
  aftersalesParcelRefresh(id: $id) {{ {PARCEL_FIELDS} errors {{ field code }} }}
}}"""


def test_force_refresh(gql, staff_token, make_order, channel, django_capture_on_commit_callbacks):
    _order, parcel = _parcel(make_order)
    _, body = gql(REFRESH, {"id": pid(parcel)}, token=staff_token)
    # no carrier API configured: nothing could check it
    assert body["data"]["aftersalesParcelRefresh"]["errors"] == [
        {"field": "id", "code": "NOT_AVAILABLE"}
    ]
    factories.make_channel("default-channel", dhl_api_key="secret-key")
    Parcel.objects.filter(pk=parcel.pk).update(next_check_at=None, check_failures=3)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _, body = gql(REFRESH, {"id": pid(parcel)}, token=staff_token)
    assert body["data"]["aftersalesParcelRefresh"]["errors"] == []
    stored = Parcel.objects.get(pk=parcel.pk)
    assert stored.check_failures == 0
    assert abs((stored.next_check_at - timezone.now()).total_seconds()) < 60
    assert len(callbacks) == 1  # the poll task is queued after commit


# --------------------------------------------------------------------------- problems

PROBLEMS = """
query($first: Int, $offset: Int, $all: Boolean, $kind: String) {
  aftersalesProblems(first: $first, offset: $offset, includeResolved: $all, kind: $kind) {
    totalCount
    items { id orderId channel kind kindText detail resolvedAt parcel { trackingNumber } }
  }
}
"""


def test_problem_list(gql, staff_token, make_order):
    order, parcel = _parcel(make_order)
    for i, kind in enumerate(["no_scan", "exception", "overdue"]):
        Problem.objects.create(
            key=f"k{i}", order_id=order.pk, channel_slug="default-channel", kind=kind,
            parcel=parcel, detail=f"d{i}",
            resolved_at=timezone.now() if kind == "overdue" else None,
        )
    Problem.objects.create(key="x", order_id=order.pk, channel_slug="other", kind="no_scan")

    _, body = gql(PROBLEMS, {}, token=staff_token)
    data = body["data"]["aftersalesProblems"]
    assert data["totalCount"] == 2
    assert {p["kind"] for p in data["items"]} == {"no_scan", "exception"}
    assert data["items"][0]["parcel"]["trackingNumber"] == "00340434161094042557"
    assert data["items"][0]["orderId"] == to_global_id("Order", str(order.pk))
    _, body = gql(PROBLEMS, {"all": True, "first": 1, "offset": 1}, token=staff_token)
    assert body["data"]["aftersalesProblems"]["totalCount"] == 3
    assert len(body["data"]["aftersalesProblems"]["items"]) == 1
    _, body = gql(PROBLEMS, {"kind": "exception"}, token=staff_token)
    assert [p["kindText"] for p in body["data"]["aftersalesProblems"]["items"]] == [
        "Carrier exception"
    ]
    _, body = gql("{ aftersalesProblems(first: 101) { totalCount } }", token=staff_token)
    assert body["data"] is None and "first must be" in body["errors"][0]["message"]


def test_reorder_reaches_a_page_whose_view_was_cached(
    gql, staff_token, make_order, client, django_capture_on_commit_callbacks
):
    """Reordering writes in bulk (no model signals): the cached page must still follow."""
    from saleor_aftersales.core.ids import PLUGIN_ID
    from saleor_aftersales.core.links import make_token

    FaqEntry.objects.create(channel_slug="default-channel", language_code="en",
                            question="Where is my parcel?", answer="In the link.")
    second = FaqEntry.objects.create(channel_slug="default-channel", language_code="en",
                                     question="Can I return it?", answer="Yes.", position=1)
    order = process(make_order(lines=1, parcels=1))
    url = f"/plugins/channel/default-channel/{PLUGIN_ID}/status/" + make_token(
        str(order.pk), "default-channel"
    )

    def questions() -> list[str]:
        html = client.get(url).content.decode()
        return sorted(("Where is my parcel?", "Can I return it?"), key=html.index)

    assert questions() == ["Where is my parcel?", "Can I return it?"]
    assert questions() == ["Where is my parcel?", "Can I return it?"]  # now from the cache
    second_id = to_global_id("AftersalesFaqEntry", second.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _, body = gql(REORDER, {"ids": [second_id], "lang": "en"}, token=staff_token)
    assert body["data"]["aftersalesFaqReorder"]["errors"] == []
    assert questions() == ["Can I return it?", "Where is my parcel?"]
