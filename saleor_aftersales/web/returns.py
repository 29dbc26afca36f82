"""The shopper's return page: ``/status/<token>/returns`` (form and the returns made so far).

Only for a verified reader (the status page's postcode or email check); anyone else is sent
to that check. The form posts back here; a refusal is shown on the form with the shopper's
choices kept (HTTP 400), a return that was sent is shown on the page after a redirect.
Helpers of ``views`` are imported inside the functions (its catch-all for unknown
``/status`` paths must not come first; :func:`route_first` puts ours ahead of it anyway).
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import translation
from django.utils.translation import gettext as _

from ..config import AftersalesConfig
from ..hosts import get_host
from ..returns import service
from ..returns.errors import ReturnRefused
from ..returns.views import return_options
from ..status import access
from . import render
from .routes import ROUTES, Route

LINK_RE = r"(?P<token>[A-Za-z0-9_\-:.]{10,2048})"


def route_first(regex: str, name: str):
    """As ``routes.route``, but ahead of every route registered before (``views``' catch-all
    for unknown ``/status`` paths may already be registered, whatever the import order)."""

    def decorate(view):
        ROUTES.insert(0, Route(re.compile(rf"^{regex}$"), view, name))
        return view

    return decorate


MAX_FORM_LINES = 100


def _form_lines(request: HttpRequest, order) -> list[service.LineRequest]:
    """The lines the shopper chose: ``qty-<line>`` above 0, with ``reason-``/``exchange-``."""
    lines = []
    for line in order.lines[:MAX_FORM_LINES]:
        raw = (request.POST.get(f"qty-{line.id}") or "0").strip()
        quantity = int(raw) if raw.isdigit() and len(raw) < 6 else 0
        if quantity:
            lines.append(
                service.LineRequest(
                    line.id,
                    quantity,
                    request.POST.get(f"reason-{line.id}", "")[:64],
                    request.POST.get(f"exchange-{line.id}", "")[:64],
                )
            )
    return lines


@route_first(rf"/status/{LINK_RE}/returns", "status_returns")
def returns_page(request: HttpRequest, config: AftersalesConfig, token: str) -> HttpResponse:
    """GET: the form and the returns; POST: send a return."""
    from . import views

    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method == "POST":
        error, order_id = views._post_guard(request, config, token)
        if error:
            return error
    else:
        order_id, problem = views.order_id_from(token, config)
        if order_id is None:
            return views.invalid_link(request, config, problem)
    host = get_host()
    order = host.get_order(order_id)
    if order is None or order.channel_slug != config.channel_slug or not config.returns_enabled:
        return views.invalid_link(request, config)
    language = views._lang(request, order.language_code)
    here = views.page_path(request, token)
    if not access.is_unlocked(request, order.id):
        return views.SeeOther(f"{here}?lang={language}#personal")
    context: dict = {"message": "", "message_kind": "", "chosen": {}, "status": 200}
    if request.method == "POST":
        lines = _form_lines(request, order)
        resolution = request.POST.get("resolution", "")
        try:
            with translation.override(language):
                service.submit(
                    order,
                    config,
                    host,
                    lines,
                    resolution=resolution,
                    comment=request.POST.get("comment", "")[:4000],
                    photos=request.FILES.getlist("photos")[:10],
                    method=request.POST.get("method", "")[:16] or None,
                )
        except ReturnRefused as refusal:
            if refusal.code == "already_submitted":
                return views.SeeOther(f"{here}/returns?lang={language}&m=already#returns")
            with translation.override(language):
                context.update(
                    message=refusal.message,
                    message_kind="error",
                    status=400,
                    error_line=refusal.line_id,
                )
            context["chosen"] = {
                "resolution": resolution,
                "method": request.POST.get("method", "")[:16],
                "comment": request.POST.get("comment", "")[:2000],
                "lines": {li.line_id: li for li in lines},
            }
        else:
            return views.SeeOther(f"{here}/returns?lang={language}&m=sent#returns")
    with translation.override(language):
        options = return_options(order, config, host, language=language)
        flash = {
            "sent": ("success", _("Thank you. We have your return request.")),
            "already": ("success", str(ReturnRefused("already_submitted"))),
        }
        if not context["message"] and request.GET.get("m") in flash:
            context["message_kind"], context["message"] = flash[request.GET["m"]]
    return render.render(
        request,
        config,
        "returns.html",
        {
            **context,
            "order": order,
            "options": options,
            "page": here,
            "switch_lang": "de" if language == "en" else "en",
        },
        status=context.pop("status"),
        language=language,
    )


@route_first(
    rf"/status/{LINK_RE}/returns/(?P<pk>[0-9]{{1,12}})/(?P<doc>label\.pdf|qr\.png)",
    "status_return_label",
)
def return_label(
    request: HttpRequest, config: AftersalesConfig, token: str, pk: str, doc: str
) -> HttpResponse:
    """The return's prepaid label (PDF) or its QR code (PNG), for the verified shopper."""
    from django.core.files.storage import default_storage
    from django.http import FileResponse, HttpResponseNotFound

    from ..returns.models import ReturnRequest
    from . import views

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    order_id, problem = views.order_id_from(token, config)
    if order_id is None:
        return views.invalid_link(request, config, problem)
    if not access.is_unlocked(request, order_id):
        return views.SeeOther(f"{views.page_path(request, token)}#personal")
    found = ReturnRequest.objects.filter(pk=int(pk), order_id=order_id).exclude(label_url="")
    label = found.values_list("label_url", flat=True).first()
    name = label if doc == "label.pdf" else (label or "").rsplit("/", 1)[0] + "/qr.png"
    if not label or not default_storage.exists(name):
        return HttpResponseNotFound("Not found", content_type="text/plain")
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=doc == "label.pdf",
        filename=f"return-label-{pk}.pdf" if doc == "label.pdf" else None,
        content_type="application/pdf" if doc == "label.pdf" else "image/png",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@route_first(rf"/status/{LINK_RE}/returns/(?P<pk>[0-9]{{1,12}})/slip", "status_return_slip")
def return_slip(
    request: HttpRequest, config: AftersalesConfig, token: str, pk: str
) -> HttpResponse:
    """A printable return slip (order, return, items, return address) for an approved return
    sent without a prepaid label."""
    from ..returns.models import ReturnRequest
    from ..returns.views import shopper_return
    from . import views

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    order_id, problem = views.order_id_from(token, config)
    if order_id is None:
        return views.invalid_link(request, config, problem)
    here = views.page_path(request, token)
    if not access.is_unlocked(request, order_id):
        return views.SeeOther(f"{here}#personal")
    order = get_host().get_order(order_id)
    found = ReturnRequest.objects.filter(pk=int(pk), order_id=order_id).exclude(method="label")
    found = found.exclude(approved_at=None).exclude(state="rejected").first()
    if order is None or found is None:
        return views.invalid_link(request, config)
    language = views._lang(request, order.language_code)
    with translation.override(language):
        ret = shopper_return(found, order)
    number = (
        list(ReturnRequest.objects.filter(order_id=order_id).values_list("pk", flat=True)).index(
            found.pk
        )
        + 1
    )
    return render.render(
        request,
        config,
        "return_slip.html",
        {
            "order": order,
            "ret": ret,
            "number": number,
            "page": here,
            "stores": [s.strip() for s in config.return_stores.splitlines() if s.strip()],
        },
        language=language,
    )
