"""`make lighthouse`: Lighthouse (npm ``lighthouse``, Debian's Chromium) on a demo status page.

Mobile and desktop, the page as a first visitor sees it and after unlocking (the session cookie
sent as a header). Prints the median performance / accessibility / best-practices scores of
``LIGHTHOUSE_RUNS`` runs (default 3) and writes the reports to ``bench/out/``. SEO is left out:
the page is ``noindex``. ``AFTERSALES_DEMO_URL`` uses a demo that is already running.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from tools.demo_server import ROOT, index_links, running_demo, showcase, unlock

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices")
OUT = ROOT / "bench" / "out"


def lighthouse(url: str, form_factor: str, name: str, cookie: str = "") -> dict:
    """One Lighthouse run: category scores (0-100), audits short of full marks, and the
    host's ``benchmarkIndex`` (Lighthouse calibrates its 4x mobile CPU slowdown for >= 1000;
    on a busy machine the performance score drops with it)."""
    report = OUT / f"lighthouse-{name}.json"
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={FLAGS}"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                   timeout=300)
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    failed = sorted({
        audit_id for c in CATEGORIES for ref in data["categories"][c]["auditRefs"]
        if ref["weight"] and (data["audits"][(audit_id := ref["id"])]["score"] or 0) < 1
    })
    return {**scores, "failed": failed,
            "benchmark_index": data["environment"]["benchmarkIndex"]}


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("node_modules/.bin/lighthouse missing: run `make browser` (npm ci)")
    from playwright.sync_api import sync_playwright

    runs = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
    OUT.mkdir(parents=True, exist_ok=True)
    with running_demo() as index_url:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            link = showcase(index_links(page, index_url))
            page.goto(link.url)
            if not unlock(page, link.unlock):
                sys.exit(f"could not unlock {link.label} with {link.unlock!r}")
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
            browser.close()
        print(f"Lighthouse on {link.label} ({link.row[:60]}…), median of {runs} runs")
        print(f"{'page':<22}{'performance':>13}{'accessibility':>15}{'best practices':>16}"
              f"{'benchmarkIndex':>16}")
        summary = {}
        for state, sent in (("public", ""), ("unlocked", cookie)):
            for form_factor in ("mobile", "desktop"):
                name = f"{form_factor}-{state}"
                results = [lighthouse(link.url, form_factor, name, sent) for _ in range(runs)]
                medians = {c: statistics.median(r[c] for r in results) for c in CATEGORIES}
                failed = sorted({a for r in results for a in r["failed"]})
                summary[name] = {**medians, "runs": [dict(r) for r in results]}
                index = statistics.median(r["benchmark_index"] for r in results)
                print(f"{name:<22}" + "".join(f"{medians[c]:>{w}.0f}" for c, w in
                                              zip(CATEGORIES, (13, 15, 16), strict=True))
                      + f"{index:>16.0f}")
                if failed:
                    print(f"{'':<4}not full marks: {', '.join(failed)}")
    (OUT / "lighthouse.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
