"""All 16 emails (8 triggers, English and German) against mail clients' support (caniemail).

Two checks over the rendered messages:

- ``doiuse-email`` (npm, the caniemail database) for Gmail, Outlook for Windows and Apple Mail
  must report no unsupported feature. Allowed, and only these: ``border-radius`` (Outlook
  shows square corners; nothing moves), and ``display:none`` in Gmail's mobile webmail *only
  on the preheader* (there it falls back to 1px text in the background colour). The second
  rule is proved by checking each email again without its preheader.
- caniemail's notes are per property; where they restrict a property to certain elements for
  Outlook for Windows ("padding: only supported on table cells", "max-width: only works on
  table elements", "margin: auto not supported", "display: only display:none", "border:
  unreliable on p or div"), the elements are checked here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from saleor_aftersales.config import EMAIL_EVENTS
from saleor_aftersales.management.commands.aftersales_render_emails import render_all

ROOT = Path(__file__).resolve().parents[2]
CHECKER = Path(__file__).with_name("caniemail_check.mjs")
CLIENTS = ["gmail.*", "outlook.windows", "apple-mail.*"]
COSMETIC = re.compile(r"^`border-radius` is not supported by `[\w.-]+`$")
PREHEADER_ONLY = {"`display:none` is not supported by `gmail.mobile-webmail`"}


@pytest.fixture(scope="module")
def emails(tmp_path_factory, django_db_blocker) -> list[Path]:
    folder = tmp_path_factory.mktemp("emails")
    with django_db_blocker.unblock():
        return render_all(folder)


def _without_preheader(path: Path) -> Path:
    root = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    for element in root.find_class("preheader"):
        element.drop_tree()
    out = path.with_suffix(".nopreheader.html")
    out.write_bytes(lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8"))
    return out


def caniemail(files: list[Path]) -> dict[str, dict[str, list[str]]]:
    """doiuse-email's report per file (skips where node/npm are not installed)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed for the caniemail check (doiuse-email from npm)")
    if not (ROOT / "node_modules" / "doiuse-email").is_dir():
        pytest.fail("doiuse-email is not installed: run `npm install` (make test does)")
    result = subprocess.run(
        [node, str(CHECKER), json.dumps(CLIENTS), *map(str, files)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_email_is_supported_by_gmail_outlook_and_apple_mail(emails):
    assert len(emails) == 2 * len(EMAIL_EVENTS) == 16
    bare = {path: _without_preheader(path) for path in emails}
    report = caniemail([*emails, *bare.values()])
    problems = {}
    for path in emails:
        whole = [e for e in report[str(path)]["errors"] if not COSMETIC.match(e)]
        without = [e for e in report[str(bare[path])]["errors"] if not COSMETIC.match(e)]
        if without or set(whole) - PREHEADER_ONLY:
            problems[path.name] = sorted(set(whole) | set(without))
    assert problems == {}
    # the checker really reads our CSS: the cosmetic feature we allow is reported
    assert any(COSMETIC.match(e) for e in report[str(emails[0])]["errors"])


def _styles(element) -> dict[str, str]:
    pairs = (d.split(":", 1) for d in (element.get("style") or "").split(";") if ":" in d)
    return {k.strip().lower(): v.strip().lower() for k, v in pairs}


@pytest.mark.parametrize("index", range(16))
def test_layout_uses_only_what_outlook_for_windows_supports(emails, index):
    path = emails[index]
    root = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    body = root.body
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        style = _styles(element)
        where = f"{path.name}: <{element.tag} class={element.get('class')!r}>"
        if any(k.startswith("padding") for k in style):
            assert element.tag in ("td", "th"), f"padding outside a table cell: {where}"
        if "max-width" in style:
            assert element.tag == "table" or "preheader" in (element.get("class") or ""), where
        assert "auto" not in style.get("margin", ""), f"margin auto: {where}"
        if "display" in style:
            assert style["display"] == "none" and element.get("class") == "preheader", where
        if element.tag in ("p", "div"):
            assert not any(k.startswith("border") for k in style), f"border on {where}"
        if element.tag == "div":
            assert element.get("class") == "preheader", f"a div does layout: {where}"
    card = body.find_class("card")
    assert card and card[0].tag == "td" and card[0].get("bgcolor") == "#ffffff"
    # bulletproof button: the brand colour is a table cell's bgcolor around the link
    cells = body.find_class("button-cell")
    if path.name.startswith("staff_digest"):
        return
    assert cells, path.name
    for cell in cells:
        assert cell.tag == "td" and re.fullmatch(r"#[0-9a-f]{6}", cell.get("bgcolor") or "")
        assert cell.find("a") is not None and cell.find("a").get("href")
