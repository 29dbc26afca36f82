"""A stand-in Saleor dashboard for the demo: frames an Aftersales extension page and
performs the AppBridge handshake with a sandbox staff token, as Saleor's dashboard does with
``AppExtension.accessToken``. Sandbox only (not in Saleor).

``/dashboard-standin/?page=widget|page|popup&order=<uuid>&lang=en|de``
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from graphql_relay import to_global_id

from saleor_aftersales.core.ids import PLUGIN_ID
from saleor_aftersales.dashboard.manifest import APP_ID
from saleor_aftersales.hosts.dashboard_auth import make_sandbox_token

PAGES = {"widget": "/order-widget", "popup": "/order-popup", "page": "/problems"}
HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stand-in Saleor dashboard</title>
<link rel="icon" href="data:,">
<style>body{{margin:0;font:14px system-ui,sans-serif}}
header{{padding:8px 12px;background:#f6f8fa}}h1{{font-size:inherit;margin:0;display:inline}}
iframe{{border:0;width:100%;height:calc(100vh - 40px);display:block}}</style></head>
<body><header><h1>Stand-in Saleor dashboard</h1> (sandbox): {label}</header>
<main aria-label="Stand-in Saleor dashboard">
<iframe id="frame" title="Aftersales" src="{src}"></iframe></main>
<script>
const frame = document.getElementById("frame"), origin = new URL(frame.src).origin;
const token = {token}, locale = {locale};
frame.addEventListener("load", () => {{
  frame.contentWindow.postMessage({{type: "handshake", payload: {{token, version: 1}}}}, origin);
  frame.contentWindow.postMessage({{type: "localeChanged", payload: {{locale}}}}, origin);
}});
window.addEventListener("message", (e) => {{
  if (e.source !== frame.contentWindow) return;
  const id = e.data && e.data.payload && e.data.payload.actionId;
  if (!id) return;
  frame.contentWindow.postMessage({{type: "response", payload: {{actionId: id, ok: true}}}},
                                  origin);
}});
</script></body></html>"""


def standin(request: HttpRequest) -> HttpResponse:
    """The stand-in page (token valid five minutes: reload for a fresh one)."""
    page = request.GET.get("page", "page")
    path = PAGES.get(page, PAGES["page"])
    order = request.GET.get("order", "")
    lang = "de" if request.GET.get("lang") == "de" else "en"
    query = f"?orderId={to_global_id('Order', order)}" if order and page != "page" else ""
    src = f"/plugins/{PLUGIN_ID}/dashboard{path}{query}"
    token = make_sandbox_token(APP_ID, email="demo-staff@example.com")
    body = HTML.format(
        label=escape(page), src=escape(src), token=json.dumps(token), locale=json.dumps(lang)
    )
    return HttpResponse(body, content_type="text/html; charset=utf-8")
