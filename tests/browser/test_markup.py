"""Every demo page's HTML, as the server sent it, is valid for the W3C Nu checker (vnu-jar):
zero errors in English and German, before and after verification. Warnings are printed."""

from __future__ import annotations

import re

import pytest

from tests.browser.audit import Visit, vnu_messages

pytestmark = pytest.mark.browser


def test_nu_checker_finds_no_errors(demo_visits, vnu_ready):
    visits = [v for v in demo_visits(1280) if v.html]
    assert visits, "no HTML page was checked"
    messages = vnu_messages(visits)
    for visit, message in messages:
        if message.get("type") != "error":
            print(f"vnu {message.get('subType', message.get('type'))}: "
                  f"{visit.name if visit else message.get('url')}: {message.get('message')}")
    errors = [(v, m) for v, m in messages if m.get("type") in ("error", "non-document-error")]
    grouped: dict[str, list[str]] = {}
    for visit, m in errors:
        where = f"{visit.name if visit else m.get('url')} line {m.get('lastLine')}"
        message = m.get("message", "")
        grouped.setdefault(re.sub(r"“[^”]*\d[^”]*”", "“…”", message), []).append(
            f"{where}: {message}" if "“" in message else where)
    if errors:
        pytest.fail(f"Nu checker: {len(errors)} errors\n" + "\n".join(
            f"{len(places)}x {message}\n" + "\n".join(f"    {p}" for p in places[:3])
            for message, places in grouped.items()), pytrace=False)


def test_nu_checker_reports_invalid_markup(vnu_ready):
    """The check itself: six-digit fractions in ``<time datetime>`` are an error."""
    bad = Visit("bad", "about:blank", "en", 1280, "public", html=(
        '<!doctype html><html lang="en"><title>t</title>'
        '<p><time datetime="2026-03-14T09:30:00.123456+00:00">14 March</time>'))
    errors = [m for _, m in vnu_messages([bad]) if m.get("type") == "error"]
    assert any("datetime" in m.get("message", "") for m in errors), errors
