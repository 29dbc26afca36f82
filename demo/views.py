"""The demo's own pages: the index, the play button, the outbox and static files.

Every link on the index that a checker should open carries ``data-demo-link``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.staticfiles.views import serve
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_POST

from saleor_aftersales.hosts import get_host
from saleor_aftersales.models import Parcel, Review, TrackedOrder
from saleor_aftersales.returns.models import ReturnRequest
from saleor_aftersales.status.timeline import overall_state
from saleor_aftersales.tracking.numbers import carrier_name
from sandbox import models as m

from . import journeys, outbox, shop
from .links import plugin_path, status_path

LANGUAGES = {"en": "English", "de": "Deutsch"}
#: CSP of the demo's own pages: own assets only, no inline script.
DEMO_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "frame-src 'self'; base-uri 'none'; frame-ancestors 'none'")


@dataclass
class ParcelRow:
    carrier: str
    number: str
    status: str
    steps: tuple[int, int]


@dataclass
class OrderRow:
    number: str
    title: str
    state: str
    state_code: str
    language: str
    language_name: str
    postcode: str
    email: str
    status_path: str
    emails: int
    reviewed: bool
    parcels: list[ParcelRow] = field(default_factory=list)
    returns: list[str] = field(default_factory=list)


def _headers(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = DEMO_CSP
    # not "no-referrer": with it a browser sends "Origin: null" on a form POST, which Django's
    # CSRF check refuses; "same-origin" keeps status tokens from leaving the demo all the same
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def order_rows() -> list[OrderRow]:
    """Every sample order as the index lists it (a handful of queries per order)."""
    host = get_host()
    titles = {s.customer.email: s.title for s in shop.STORIES}
    returns: dict = {}
    with translation.override("en"):
        for request in ReturnRequest.objects.order_by("created_at"):
            returns.setdefault(request.order_id, []).append(
                f"{request.get_state_display()} ({request.get_resolution_display().lower()})"
            )
    sent = Counter(e.to.split("<")[-1].rstrip(">") for e in outbox.messages())
    reviewed = set(Review.objects.values_list("order_id", flat=True))
    rows = []
    orders = m.Order.objects.filter(channel__slug=shop.CHANNEL).select_related("original")
    for order in orders.order_by("number"):
        view = host.get_order(str(order.pk))
        parcels = list(Parcel.objects.filter(order_id=order.pk).order_by("pk"))
        tracked = TrackedOrder.objects.filter(order_id=order.pk).first()
        with translation.override("en"):
            code, text = overall_state(view, parcels, tracked)
            parcel_rows = [
                ParcelRow(carrier_name(p.carrier), p.tracking_number, str(p.get_status_display()),
                          journeys.progress(p.fulfillment_id))
                for p in parcels
            ]
        rows.append(OrderRow(
            number=str(order.number),
            title=(
                f"Replacement for #{order.original.number} (an exchange)"
                if order.original_id
                else titles.get(order.user_email, "")
            ),
            state=text,
            state_code=code, language=order.language_code,
            language_name=LANGUAGES.get(order.language_code, order.language_code),
            postcode=(order.shipping_address or {}).get("postal_code", ""),
            email=order.user_email, status_path=status_path(str(order.pk), shop.CHANNEL),
            emails=sent.get(order.user_email, 0), reviewed=order.pk in reviewed,
            parcels=parcel_rows, returns=returns.get(order.pk, []),
        ))
    return rows


def index(request: HttpRequest) -> HttpResponse:
    rows = order_rows()
    first = m.Order.objects.filter(channel__slug=shop.CHANNEL).order_by("number").first()
    root = plugin_path(shop.CHANNEL)
    widget = f"{root}/widget-demo?order={first.pk}&email={first.user_email}" if first else ""
    moved = request.GET.get("moved")
    shipped = Parcel.objects.filter(order_id__in=m.Order.objects.filter(
        channel__slug=shop.CHANNEL).values("pk")).order_by("pk").first()
    return _headers(render(request, "demo/index.html", {
        "dashboard_order": shipped.order_id if shipped else None,
        "orders": rows,
        "languages": Counter(r.language for r in rows),
        "widget_path": widget,
        "health_path": f"{root}/health",
        "graphql_path": f"{root}/graphql/",
        "email_count": len(outbox.messages()),
        "moved": int(moved) if moved and moved.isdigit() else None,
        "played": LAST_PLAY if moved else [],
        "shop_name": shop.CONFIG["shop_name"],
    }))


#: What the last press of "play" did (shown on the index after the redirect).
LAST_PLAY: list[str] = []


@require_POST
def play_view(request: HttpRequest) -> HttpResponse:
    from .play import play

    done = play()
    LAST_PLAY[:] = done
    return HttpResponseRedirect(f"/?moved={len(done)}#played", status=303)


def outbox_list(request: HttpRequest) -> HttpResponse:
    emails = outbox.messages()
    wanted = request.GET.get("to", "")
    if wanted:
        emails = [e for e in emails if wanted.lower() in e.to.lower()]
    return _headers(render(request, "demo/outbox.html", {
        "emails": emails, "to": wanted, "shop_name": shop.CONFIG["shop_name"],
    }))


def outbox_email(request: HttpRequest, name: str, kind: str) -> HttpResponse:
    """One stored email: its HTML as the recipient's client would show it, or its text."""
    message = outbox.load(name)
    if message is None:
        raise Http404("no such email")
    if kind == "txt":
        response = HttpResponse(message.text, content_type="text/plain; charset=utf-8")
    else:
        response = HttpResponse(message.html or "<p>(no HTML part)</p>",
                                content_type="text/html; charset=utf-8")
        # emails carry inline styles and absolute image URLs; nothing may run
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def static(request: HttpRequest, path: str) -> HttpResponse:
    """Demo images and styles (served without DEBUG, from the app static directories)."""
    return serve(request, path, insecure=True)
