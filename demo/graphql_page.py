"""The demo's GraphQL page: ready-made queries with real tokens, each with a Run button.

Run posts the query back to this page (CSRF-protected form, no script); the page sends it to
the plugin's GraphQL endpoint through the WSGI stack, as a storefront or app would over HTTP,
and shows the JSON answer next to the query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client

from sandbox import models as m

from . import shop
from .links import STAFF_TOKEN, plugin_path
from .views import _headers


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    who: str  # "shopper" (signed token only) or "staff" (Bearer token)
    query: str
    variables: dict

    @property
    def variables_json(self) -> str:
        return json.dumps(self.variables, indent=2, ensure_ascii=False)


STATUS_QUERY = """query Status($token: String!, $language: String) {
  aftersalesStatus(token: $token, language: $language) {
    number state stateText estimatedDelivery
    timeline { key label state at }
    parcels { carrierName trackingNumber statusText estimatedDelivery
              events { occurredAt statusText description location } }
    faq { question }
    recommendations { name price { amount currency } }
  }
}"""

VERIFY_MUTATION = """mutation Verify($token: String!, $postalCode: String!) {
  verifyOrderAccess(token: $token, postalCode: $postalCode) {
    errors { field message code }
    unlockToken
    status { personal { name email shippingAddress { streetAddress1 postalCode city } } }
  }
}"""

ORDER_QUERY = """query Order($id: ID!) {
  aftersalesOrder(id: $id) {
    number state stateText
    parcels { carrierName trackingNumber statusText }
  }
}"""

PROBLEMS_QUERY = """query Problems {
  aftersalesProblems(first: 20) {
    totalCount
    items { kind kindText detail detectedAt parcel { trackingNumber status } }
  }
}"""

KPIS_QUERY = """query Kpis {
  aftersalesKpis {
    deliveredParcels onTimeRate notificationsSent ratingsCount ratingAverage
    parcelsByStatus { status count }
  }
}"""

FAQ_QUERY = """query Faq($language: String) {
  aftersalesFaqEntries(languageCode: $language) { context question position }
}"""


def examples() -> list[Example]:
    from .links import status_path

    orders = list(m.Order.objects.filter(channel__slug=shop.CHANNEL).order_by("number"))
    wanted = next(s.customer.email for s in shop.STORIES if len(s.parcels) > 1)
    split = next((o for o in orders if o.user_email == wanted), orders[0] if orders else None)
    if split is None:
        return []
    token = status_path(str(split.pk), shop.CHANNEL).rsplit("/", 1)[-1]
    postcode = (split.shipping_address or {}).get("postal_code", "")
    return [
        Example("status", f"Shopper: status of order {split.number}", "shopper", STATUS_QUERY,
                {"token": token, "language": "en"}),
        Example("verify", "Shopper: unlock personal data with the postcode", "shopper",
                VERIFY_MUTATION, {"token": token, "postalCode": postcode}),
        Example("order", f"Staff: order {split.number} by id", "staff", ORDER_QUERY,
                {"id": str(split.pk)}),
        Example("problems", "Staff: open delivery problems", "staff", PROBLEMS_QUERY, {}),
        Example("kpis", "Staff: key figures", "staff", KPIS_QUERY, {}),
        Example("faq", "Staff: German FAQ entries", "staff", FAQ_QUERY, {"language": "de"}),
    ]


def run(example: Example, query: str, variables: dict) -> tuple[int, str]:
    """POST the operation to the plugin's endpoint; ``(HTTP status, pretty JSON)``."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {STAFF_TOKEN}"} if example.who == "staff" else {}
    response = Client().post(f"{plugin_path(shop.CHANNEL)}/graphql/",
                             json.dumps({"query": query, "variables": variables}),
                             content_type="application/json", **headers)
    try:
        body = json.dumps(response.json(), indent=2, ensure_ascii=False)
    except ValueError:
        body = response.content.decode(errors="replace")
    return response.status_code, body


def graphql_page(request: HttpRequest) -> HttpResponse:
    items = examples()
    result = None
    if request.method == "POST":
        chosen = next((e for e in items if e.key == request.POST.get("example")), None)
        if chosen is not None:
            try:
                variables = json.loads(request.POST.get("variables") or "{}")
            except ValueError:
                variables = None
            if isinstance(variables, dict):
                status, body = run(chosen, request.POST.get("query") or chosen.query, variables)
            else:
                status, body = 400, "The variables are not a JSON object."
            result = {"key": chosen.key, "status": status, "body": body}
    endpoint = request.build_absolute_uri(f"{plugin_path(shop.CHANNEL)}/graphql/")
    return _headers(render(request, "demo/graphql.html", {
        "examples": items, "result": result, "endpoint": endpoint, "staff_token": STAFF_TOKEN,
        "shop_name": shop.CONFIG["shop_name"],
    }))
