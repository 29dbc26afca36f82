"""Visit every demo page the way a shopper would and record what axe-core and the browser saw.

One pass per viewport width: each page the demo index lists, in English and German, before
verification and, where the index gives the unlock answer, after it. Every visit keeps the
server's HTML (for the Nu checker), axe-core's violations and the browser's complaints
(console errors, uncaught exceptions, failed or 4xx/5xx requests of the demo's own origin)
whether the page is wider than the window (a phone reader would scroll sideways), words or
numbers split over two lines, and text spilling over its neighbours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from tools.demo_server import DemoLink, unlock, with_lang

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LANGUAGES = ("en", "de")
WIDTHS = (390, 1280)
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
}"""

#: Words and numbers a reader sees split over two lines ("Deliv|ered", a tracking number cut
#: in half), unless the element hyphenates (``hyphens: auto`` adds the hyphen where the
#: browser has a dictionary). Email addresses, URLs and code may break.
BROKEN_WORDS = r"""() => {
  const found = [], range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('code, kbd, samp, pre') || !el.checkVisibility()) continue;
    if (getComputedStyle(el).hyphens === 'auto') continue;
    for (const m of node.data.matchAll(/\S+/g)) {
      if (/[@\/]/.test(m[0])) continue;
      for (const part of m[0].matchAll(/[^-‐–—]{2,}/g)) {
        const start = m.index + part.index;
        range.setStart(node, start);
        range.setEnd(node, start + part[0].length);
        const lines = new Set(Array.from(range.getClientRects())
          .filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        const where = `${el.tagName.toLowerCase()}.${el.className}`;
        if (lines.size > 1) found.push(`"${part[0]}" in ${where}`);
      }
    }
  }
  return found;
}"""

#: Text wider than its own box, spilling over its neighbour ("November" in a stepper column
#: too narrow for it). Scrolling and clipping boxes, inline elements and code are left alone.
SPILLING_TEXT = r"""() => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('code, kbd, samp, pre') || !el.checkVisibility()) continue;
    const style = getComputedStyle(el);
    if (['inline', 'contents'].includes(style.display) || style.overflowX !== 'visible') continue;
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.data.trim())) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const text = el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
      found.push(`"${text}" in ${el.tagName.toLowerCase()}.${el.className}: ` +
                 `${el.scrollWidth} px in ${el.clientWidth} px`);
    }
  }
  return found;
}"""


@dataclass
class Visit:
    """One page as one reader saw it."""

    label: str
    url: str
    lang: str
    width: int
    state: str  # "public", "verified", "unlocked" (right after unlocking; first order only)
    status: int = 0
    html: str = ""
    violations: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.label} [{self.lang}, {self.width}px, {self.state}]"



#: True once every same-origin frame's content is in (no ``aria-busy="true"`` left).
FRAMES_SETTLED = """() => Array.from(document.querySelectorAll('iframe')).every(f => {
  try { const d = f.contentDocument;
        return d && d.readyState === 'complete' && !d.querySelector('[aria-busy="true"]'); }
  catch (e) { return true; } })"""

def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def sweep(browser, links: list[DemoLink], width: int, shots: Path | None = None) -> list[Visit]:
    """Visit every link at ``width`` px in both languages, before and after verification."""
    source = axe_source()
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 844 if phone else 900},
        is_mobile=phone, has_touch=phone, device_scale_factor=1, locale="en-GB",
    )
    # axe-core in every document before the page's scripts: DevTools-injected, so the page's
    # CSP does not block it, and compiled once per context (0.5 s a page when evaluated).
    context.add_init_script(source)
    page = context.new_page()
    visits: list[Visit] = []
    current: list[str] = []
    origin = urlsplit(links[0].url)[:2]

    def own(url: str) -> bool:
        return urlsplit(url)[:2] == origin

    pending: set = set()
    page.on("request", lambda r: pending.add(r))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    page.on("console", lambda m: m.type == "error" and current.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: current.append(f"uncaught: {e}"))
    page.on("requestfailed", lambda r: own(r.url) and current.append(
        f"request failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: own(r.url) and r.status >= 400 and current.append(
        f"HTTP {r.status}: {r.url}"))

    def record(link: DemoLink, lang: str, state: str, response) -> None:
        visit = Visit(link.label, page.url, lang, width, state)
        visit.status = response.status if response else 0
        page.wait_for_load_state("load")
        for _ in range(250):  # the widget's own requests, too (networkidle costs 0.5 s a page)
            if not pending:
                break
            page.wait_for_timeout(20)
        # a framed page (the stand-in dashboard) loads its content after the handshake: wait
        # until no frame of ours is still busy, as a reader would before reading it
        page.wait_for_function(FRAMES_SETTLED, timeout=10_000)
        for _ in range(250):
            if not pending:
                break
            page.wait_for_timeout(20)
        kind = response.headers.get("content-type", "") if response else ""
        if response is not None and response.ok and kind.startswith("text/html"):
            visit.html = response.text()
            visit.violations = page.evaluate(AXE_RUN, AXE_TAGS)
            wide = page.evaluate("() => document.documentElement.scrollWidth")
            if wide > width:
                current.append(f"the page scrolls sideways: {wide} px wide in a {width} px window")
            current.extend(f"split over two lines: {w}" for w in page.evaluate(BROKEN_WORDS))
            current.extend(f"text spills out of its box: {w}"
                           for w in page.evaluate(SPILLING_TEXT))
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                name = f"{len(visits):03d}-{lang}-{width}-{state}.png"
                page.screenshot(path=str(shots / name), full_page=True)
        elif response is None or not response.ok:
            current.append(f"page answered HTTP {visit.status}")
        else:  # JSON and text: Chromium's viewer asks the origin for /favicon.ico, not the page
            current[:] = [p for p in current if not p.startswith("console: Failed to load")]
        visit.problems = list(current)
        current.clear()
        visits.append(visit)

    try:
        for link in links:
            for lang in LANGUAGES:
                record(link, lang, "public", page.goto(with_lang(link.url, lang)))
            if not link.unlock:
                continue
            # still on the German page just checked: unlock it as its reader would
            with page.expect_response(
                lambda r: r.request.is_navigation_request() and r.request.method == "GET"
            ) as got:
                unlocked = unlock(page, link.unlock)
            if not unlocked:
                visits.append(Visit(link.label, page.url, "de", width, "unlocked", problems=[
                    f"the unlock answer {link.unlock!r} from the index did not unlock the page"]))
                continue
            if not any(v.state == "unlocked" for v in visits):  # the same message on every order
                record(link, "de", "unlocked", got.value)
            for lang in LANGUAGES:
                record(link, lang, "verified", page.goto(with_lang(link.url, lang)))
    finally:
        context.close()
    return visits


def describe_violations(visits: list[Visit]) -> str:
    lines = []
    for visit in visits:
        for v in visit.violations:
            lines.append(f"{visit.name} {visit.url}\n  {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"    {n['target']}: {n['summary'].splitlines()[-1].strip()}"
                      for n in v["nodes"][:8]]
    return "\n".join(lines)


def vnu_messages(visits: list[Visit]) -> list[tuple[Visit, dict]]:
    """The Nu checker's messages for every distinct page HTML, in one JVM run."""
    java = shutil.which("java")
    assert java is not None
    workdir = Path(tempfile.mkdtemp(prefix="aftersales-vnu-"))
    try:
        files: dict[str, Visit] = {}
        for i, visit in enumerate(v for v in visits if v.html):
            path = workdir / f"page{i:03d}.html"
            path.write_text(visit.html, encoding="utf-8")
            files[path.resolve().as_uri()] = visit
        run = subprocess.run(
            [java, "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", str(VNU),
             "--format", "json", "--stdout", "--exit-zero-always",
             *sorted(str(workdir / Path(u).name) for u in files)],
            capture_output=True, text=True, timeout=600,
        )
        report = json.loads(run.stdout or "{}")
        assert "messages" in report, f"vnu gave no report: {run.stderr[-2000:]}"
        out = []
        for message in report["messages"]:
            url = message.get("url", "")
            visit = next((v for u, v in files.items() if url.endswith(Path(u).name)), None)
            out.append((visit, message))
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
