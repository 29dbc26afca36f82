"""The Aftersales page's FAQ tab: edit a channel's questions per language and order state.

``GET api/faq`` shows the entries of a channel and language (optionally one order state),
each with buttons to move it up or down, edit and delete it, a form to add one, and a preview
of what a shopper sees (``previews.py``). Changes are ``POST``s answered with the tab again;
they go through the same service as the GraphQL mutations (``engagement/faq_admin.py``) and
need what those need: ``MANAGE_ORDERS`` or ``MANAGE_PLUGINS`` and access to the channel.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..engagement import faq_admin
from ..graphql.auth import staff_allowed
from ..hosts.channels import channel_slugs
from ..models import FaqEntry
from .auth import principal
from .previews import link
from .render import fragment, notice, refused
from .routes import route
from .views import language, root_path

#: The languages shoppers' pages ship in.
LANGUAGES = (("en", "English"), ("de", "Deutsch"))
DONE = {
    "new": gettext_lazy("Question added."),
    "edit": gettext_lazy("Question saved."),
    "delete": gettext_lazy("Question deleted."),
    "up": gettext_lazy("Moved up."),
    "down": gettext_lazy("Moved down."),
}


def _problem(exc: faq_admin.FaqInvalid) -> str:
    """The service's refusal in the frame's language."""
    if exc.field in ("question", "answer") and exc.code == "required":
        return _("Enter the question.") if exc.field == "question" else _("Enter the answer.")
    if exc.field == "question":
        return _("The question is too long (at most %(limit)d characters).") % {
            "limit": faq_admin.MAX_QUESTION
        }
    if exc.field == "answer":
        return _("The answer is too long (at most %(limit)d characters).") % {
            "limit": faq_admin.MAX_ANSWER
        }
    if exc.field == "context":
        return _("Choose an order state.")
    return _("This change is not possible.")


def _editable(request: HttpRequest) -> list[str]:
    caller = principal(request)
    return [c for c in channel_slugs() if staff_allowed(caller, c, change=True)]


def _scope(params: QueryDict, channels: list[str], ui_language: str) -> dict[str, str]:
    """Channel, language (default: the frame's) and order state asked for, if valid."""
    channel = params.get("channel", "")
    lang = params.get("language", "")
    context = params.get("context", "")
    return {
        "channel": channel if channel in channels else (channels[0] if channels else ""),
        "language": lang if lang in dict(LANGUAGES) else ui_language,
        "context": context if context in FaqEntry.Context.values else "",
    }


def tab(
    request: HttpRequest,
    *,
    done: str = "",
    failed: dict | None = None,
    focus: str = "",
    status: int = 200,
) -> HttpResponse:
    """The FAQ tab for the scope in the request (``failed``: the form to show again)."""
    channels = _editable(request)
    params = request.GET if request.method == "GET" else request.POST
    scope = _scope(params, channels, language(request))
    entries = list(
        FaqEntry.objects.filter(channel_slug=scope["channel"], language_code=scope["language"])
        .filter(**({"context": scope["context"]} if scope["context"] else {}))
        .order_by("position", "id")
    )
    labels = dict(FaqEntry.Context.choices)
    with translation.override(language(request)):
        for entry in entries:
            entry.context_label = str(labels.get(entry.context, entry.context))
        contexts = [(value, str(label)) for value, label in FaqEntry.Context.choices]
    # "any state" entries show in every state: preview them with an order on its way
    preview_context = scope["context"] if scope["context"] not in ("", "any") else "shipped"
    return fragment(
        request,
        "faq.html",
        {
            "entries": entries,
            "scope": scope,
            "channels": channels,
            "languages": LANGUAGES,
            "contexts": contexts,
            "preview": link(
                request, "faq", c=scope["channel"], l=scope["language"], x=preview_context
            ),
            "preview_label": dict(contexts)[preview_context],
            "root": root_path(request),
            "done": done,
            "failed": failed or {},
            "focus": focus,
        },
        status,
    )


@route(r"/api/faq")
def faq_tab(request: HttpRequest) -> HttpResponse:
    return tab(request)


def _fields(request: HttpRequest, scope: dict[str, str]) -> dict:
    return {
        "language_code": scope["language"],
        "question": request.POST.get("question", ""),
        "answer": request.POST.get("answer", ""),
        "context": request.POST.get("entry_context", "") or FaqEntry.Context.ANY,
        "is_published": request.POST.get("is_published") == "on",
    }


@route(r"/api/faq/new", method="POST")
def add(request: HttpRequest) -> HttpResponse:
    """Add a question (last in its language)."""
    channels = _editable(request)
    scope = _scope(request.POST, channels, language(request))
    if not scope["channel"]:
        return refused(request, 403)
    data = _fields(request, scope)
    with translation.override(language(request)):
        try:
            entry = faq_admin.create(scope["channel"], faq_admin.clean_input(data, creating=True))
        except faq_admin.FaqInvalid as exc:
            failed = {**data, "form": "new", "field": exc.field, "problem": _problem(exc)}
            return tab(request, failed=failed, status=400)
        return tab(request, done=str(DONE["new"]), focus=f"as-faq-{entry.pk}")


@route(r"/api/faq/(?P<pk>\d{1,18})/(?P<action>edit|delete|up|down)", method="POST")
def change(request: HttpRequest, pk: str, action: str) -> HttpResponse:
    """Edit, delete or move one entry of a channel the caller may change."""
    channels = _editable(request)
    entry = FaqEntry.objects.filter(pk=int(pk)).first()
    if entry is None:
        return notice(request, 404, lambda: _("This question no longer exists."))
    if entry.channel_slug not in channels:
        return refused(request, 403)
    with translation.override(language(request)):
        if action == "delete":
            faq_admin.delete(entry)
            return tab(request, done=str(DONE["delete"]), focus="as-faq-list")
        if action in ("up", "down"):
            among = [int(v) for v in request.POST.getlist("shown")[:1000] if v.isdigit()]
            moved = faq_admin.move(entry, -1 if action == "up" else 1, among)
            done = str(DONE[action]) if moved else ""
            return tab(request, done=done, focus=f"as-faq-{entry.pk}-{action}")
        data = _fields(request, _scope(request.POST, channels, language(request)))
        data.pop("language_code")
        try:
            faq_admin.update(entry, faq_admin.clean_input(data, creating=False))
        except faq_admin.FaqInvalid as exc:
            failed = {**data, "form": entry.pk, "field": exc.field, "problem": _problem(exc)}
            return tab(request, failed=failed, status=400)
        return tab(request, done=str(DONE["edit"]), focus=f"as-faq-{entry.pk}")
