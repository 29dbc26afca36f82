"""Render an email: our cached template engine, CSS inlined once per template version.

premailer costs ~100 ms per document, so it never runs per message. Instead the HTML
*template* is inlined: template tags are swapped for inert placeholders, premailer inlines
the ``<style>`` rules, the tags are put back, and the result is compiled and cached under the
SHA-256 of the (include-flattened) source. Rendering a message is then a plain Django render.
``inline_after_render`` is the slow reference path (render, then premailer), kept for tests
and the benchmark. Remote stylesheets are never fetched (``allow_network=False``).

Template names: ``saleor_aftersales/email/<event>_subject.txt``, ``_body.txt``,
``_body.html``; each is overridable by path in the project's ``TEMPLATES[…]["DIRS"]``
(``templating.engine``: project directories first, compiled once per process). Shared parts
come in through ``{% include "literal/name.html" %}``; ``{% extends %}`` is not supported
because the inliner needs one document.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.template import Context
from django.template.base import Template
from django.utils.html import strip_tags

from ..config import AftersalesConfig
from ..core import shared_cache
from ..core.formatting import rendering
from ..core.shared_cache import cache
from ..core.templating import engine, flatten_includes, load_source
from .settings import DEFAULT_TEMPLATE, subject_override, template_setting

logger = logging.getLogger(__name__)

TEMPLATE_DIR = "saleor_aftersales/email"
CACHE_PREFIX = "aftersales:inlined:v1:"
_LRU_SIZE = 256

_TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
_PLACEHOLDER = re.compile(r"xtplx(\d+)x")


@dataclass(frozen=True)
class RenderedEmail:
    """One message's parts; ``html`` has its CSS inlined."""

    subject: str
    text: str
    html: str


def template_name(event: str, part: str) -> str:
    """``part`` is ``subject.txt``, ``body.txt`` or ``body.html``."""
    return f"{TEMPLATE_DIR}/{event}_{part}"


def source_hash(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def _premailer(html: str) -> str:
    import cssutils
    from premailer import Premailer

    cssutils.ser.prefs.minimizeColorHash = False  # keep colours as written
    return Premailer(
        html,
        allow_network=False,  # never fetch remote stylesheets
        allow_loading_external_files=False,
        disable_link_rewrites=True,
        disable_validation=True,
        strip_important=False,
        cssutils_logging_level=logging.CRITICAL,
    ).transform()


_DOCUMENT_START = re.compile(r"<!DOCTYPE|<html[\s>]", re.I)


def inline_source(source: str) -> str:
    """Inline the CSS of a template *source*, leaving its template tags intact.

    Whatever comes before ``<!DOCTYPE``/``<html>`` (``{% load %}``, a preheader set with
    ``{% blocktranslate asvar %}``) renders to nothing and is kept out of the HTML parser, so
    it cannot push ``<head>`` into the body.
    """
    start = _DOCUMENT_START.search(source)
    prelude, document = (source[: start.start()], source[start.start():]) if start else ("", source)
    tags: list[str] = []

    def protect(match: re.Match[str]) -> str:
        tags.append(match.group(0))
        return f"xtplx{len(tags) - 1}x"

    inlined = _premailer(_TAG.sub(protect, document))
    return prelude + _PLACEHOLDER.sub(lambda m: tags[int(m.group(1))], inlined)


_lru: OrderedDict[str, Template] = OrderedDict()
_lock = threading.Lock()
stats = {"inlined": 0, "hits": 0}


def inlined_template(source: str) -> Template:
    """The compiled, CSS-inlined template of ``source``; inlined once per source hash.

    Cached in-process (LRU) and in Django's cache, so other workers skip premailer too.
    """
    key = source_hash(source)
    with _lock:
        template = _lru.get(key)
        if template is not None:
            _lru.move_to_end(key)
            stats["hits"] += 1
            return template
    inlined = shared_cache.attempt(lambda: cache.get(CACHE_PREFIX + key), lambda: None)
    if inlined is None:
        inlined = inline_source(source)
        stats["inlined"] += 1
        shared_cache.attempt(
            lambda: cache.set(CACHE_PREFIX + key, inlined, timeout=None), lambda: None
        )
    template = engine().from_string(inlined)
    with _lock:
        _lru[key] = template
        while len(_lru) > _LRU_SIZE:
            _lru.popitem(last=False)
    return template


def clear_cache() -> None:
    """Forget compiled templates of this process (Django's cache keeps inlined sources)."""
    with _lock:
        _lru.clear()


def inline_after_render(source: str, context: dict[str, Any]) -> str:
    """Reference path: render the template, then run premailer on the message."""
    rendered = engine().from_string(source).render(Context(context))
    return _premailer(rendered)


def html_source(config: AftersalesConfig | None, event: str) -> str | None:
    """The flattened HTML template source of ``event``; ``None`` means do not send."""
    setting = template_setting(config, event) if config else DEFAULT_TEMPLATE
    if setting == "":
        return None
    if setting == DEFAULT_TEMPLATE:
        return flatten_includes(load_source(template_name(event, "body.html")))
    return flatten_includes(setting)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:255]


def render_email(
    event: str,
    context: dict[str, Any],
    *,
    language: str,
    config: AftersalesConfig | None = None,
    variant: str = "",
) -> RenderedEmail | None:
    """Render subject, text and inlined HTML in ``language``; ``None`` if switched off.

    Dates and times are shown in the shop's zone: ``shop.time_zone`` of the context, else the
    channel's ``time_zone`` setting (UTC when neither is set).
    """
    source = html_source(config, event)
    if source is None:
        return None
    templates = engine()
    shop = context.get("shop") or {}
    zone = shop.get("time_zone") if isinstance(shop, dict) else ""
    zone = zone or (str(getattr(config, "time_zone", "") or "") if config else "")
    with rendering(language, zone):
        custom_subject = subject_override(config, event, variant) if config else ""
        if custom_subject:
            subject = templates.from_string(custom_subject).render(Context(context))
        else:
            subject = templates.get_template(template_name(event, "subject.txt")).render(
                Context(context)
            )
        context = {**context, "subject": _one_line(subject), "language": language}
        html = inlined_template(source).render(Context(context))
        if config is None or template_setting(config, event) == DEFAULT_TEMPLATE:
            text = templates.get_template(template_name(event, "body.txt")).render(
                Context(context)
            )
        else:
            text = _html_to_text(html)
    return RenderedEmail(subject=_one_line(subject), text=text.strip() + "\n", html=html)


def _html_to_text(html: str) -> str:
    body = re.sub(r"(?is)<(style|head)[^>]*>.*?</\1>", "", html)
    body = re.sub(r"(?i)<br\s*/?>|</(p|div|tr|h[1-6]|li)>", "\n", body)
    lines = (" ".join(line.split()) for line in unescape(strip_tags(body)).splitlines())
    return "\n".join(line for line in lines if line)
