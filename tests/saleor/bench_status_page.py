"""Benchmark body for ``bench/status_page.py --saleor`` (not collected as a test: no ``test_``).

On one real Saleor order (``order_with_lines``, told to the plugin, fulfilled through
``orderFulfill`` with a DHL number, a product image, carrier events on the parcel), times:

* our status page, requested through Saleor's URL routing with a signed link (anonymous),
  and the same URL answered by our ``ChannelRoutes`` middleware (the README's production
  setting: no plugin loading);
* Saleor's own ``order(id)`` GraphQL query for a staff user with MANAGE_ORDERS, asking for
  what a status page needs (number, dates, status, lines, fulfillments, address, total).

Both run in-process through Django's test client (server time, no network), same database,
same process; the medians and their ratio are printed (target: ours <= 0.5x Saleor's).
"""

from __future__ import annotations

import os
import statistics
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import graphene
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from flows import fulfill, status_path
from saleor.graphql.tests.utils import get_graphql_content
from saleor.product.models import ProductMedia

from bench.status_page import interleaved, page_request
from saleor_aftersales import tasks
from saleor_aftersales.models import Parcel, TrackingEvent
from saleor_aftersales.status import cache as status_cache
from saleor_aftersales.web import memo

RUNS = int(os.environ.get("BENCH_STATUS_RUNS", "200"))
TARGET = 0.5
FIRST_TARGET = 0.35  # the first view (view built)
CHANNEL_ROUTES = "saleor_aftersales.web.middleware.ChannelRoutes"
UNCHANGED_TARGET = 0.2  # a repeat view whose copy is current (304)

ORDER_QUERY = """
query order($id: ID!) {
  order(id: $id) {
    id number created status userEmail
    lines { id productName variantName quantity quantityFulfilled
      variant { id }
      thumbnail(size: 256) { url }
    }
    fulfillments { id status trackingNumber created
      lines { quantity orderLine { id } }
    }
    shippingAddress { firstName lastName companyName streetAddress1 streetAddress2
      postalCode city country { code } phone }
    total { gross { amount currency } }
  }
}
"""


@contextmanager
def as_served():
    """Templates render as in a server: the test environment's instrumented rendering
    (a signal and a copy of the context per template, for ``response.templates``) is undone
    while timing. It costs only template-rendered pages (ours), not GraphQL (Saleor's)."""
    from django.template import Template
    from django.test.utils import _TestState

    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def bench_status_page_against_saleor_order_query(
    aftersales,
    client,
    staff_api_client,
    permission_group_manage_orders,
    order_with_lines,
    warehouse,
    media_root,
    image,
    django_capture_on_commit_callbacks,
):
    if os.environ.get("AFTERSALES_SERVER_PREPARED"):  # "1"/"0": force (core/prepared.py)
        settings.AFTERSALES_SERVER_PREPARED = os.environ["AFTERSALES_SERVER_PREPARED"] == "1"
    order = order_with_lines
    product = order.lines.order_by("created_at", "pk").first().variant.product
    ProductMedia.objects.create(product=product, image=image, alt="front")
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.handle_order_event_task.delay(str(order.pk), "order_created")
    assert fulfill(staff_api_client, order, warehouse, "00340434161094042557")["errors"] == []
    parcel = Parcel.objects.get(order_id=order.pk)
    start = timezone.now() - timedelta(days=2)
    TrackingEvent.objects.bulk_create(
        TrackingEvent(
            parcel=parcel, occurred_at=start + timedelta(hours=3 * i), status="in_transit",
            description=f"Scan {i}", location="Leipzig", source="bench",
            source_id=f"{parcel.pk}-{i}", relevant=i % 3 == 0,
        )
        for i in range(12)
    )

    url = status_path(order)
    page = client.get(url)
    assert page.status_code == 200 and b"00340434161094042557" in page.content
    variables = {"id": graphene.Node.to_global_id("Order", order.pk)}
    data = get_graphql_content(staff_api_client.post_graphql(ORDER_QUERY, variables))
    assert data["data"]["order"]["number"] == str(order.number)
    assert data["data"]["order"]["fulfillments"][0]["trackingNumber"] == "00340434161094042557"

    key = status_cache.entry_key(str(order.pk))
    if os.environ.get("BENCH_PROFILE"):  # where our page's time goes (=warm: cached view)
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        with as_served():
            profiler.enable()
            for _ in range(50):
                if os.environ["BENCH_PROFILE"] != "warm":
                    cache.delete(key)
                    memo.pages.clear()
                client.get(url)
            profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(60)
        stats.print_callees("status_page|_build|build_status_view")
        stats.print_stats("saleor_aftersales", 50)  # our own functions
        stats.sort_stats("tottime").print_stats(40)

    if os.environ.get("BENCH_PARTS"):  # median time of each part of a first view, unprofiled
        from saleor_aftersales.hosts import get_host
        from saleor_aftersales.orchestration.status_view import build_status_view

        host = get_host()
        config = host.get_config(order.channel.slug)
        view_order = host.get_order(str(order.pk))
        variant_ids = [line.variant_id for line in view_order.lines if line.variant_id]
        from django.test import RequestFactory
        from saleor.plugins.manager import get_plugins_manager

        from saleor_aftersales.core.ids import PLUGIN_ID
        from saleor_aftersales.web import render

        view = build_status_view(view_order, config)
        request = RequestFactory().get(url)
        page_context = {"view": view, "page": url, "message_kind": "", "message": "",
                        "switch_lang": "de", "stars": range(5, 0, -1)}
        parts = {
            "Saleor's plugin manager": lambda: get_plugins_manager(False).get_plugin(
                PLUGIN_ID, order.channel.slug
            ),
            "render status.html": lambda: render.render(
                request, config, "status.html", page_context
            ),
            "host.get_order": lambda: host.get_order(str(order.pk)),
            "  with availability (page)": lambda: host.get_order(str(order.pk), availability=True),
            "host.check_variants": lambda: host.check_variants(order.channel.slug, variant_ids),
            "build_status_view (all)": lambda: build_status_view(view_order, config),
        }
        if os.environ["BENCH_PARTS"] == "nodes":  # time of each top-level node of the content
            from django.template import Context
            from django.template.loader_tags import BlockNode, ExtendsNode

            from saleor_aftersales.core import formatting
            from saleor_aftersales.core.templating import engine

            tpl = engine().get_template("saleor_aftersales/page/status.html")
            ext = tpl.nodelist.get_nodes_by_type(ExtendsNode)[0]
            blocks = {b.name: b for b in ext.nodelist.get_nodes_by_type(BlockNode)}
            ctx = Context({**page_context, "config": config, "today": timezone.now().date(),
                           "shop_name": "Shop", "page_css": "", "lang": "en"}, autoescape=True)
            ctx.template = tpl
            with formatting.rendering("en", config.time_zone), ctx.render_context.push():
                for name, block in blocks.items():
                    for node in block.nodelist:
                        t = []
                        for _ in range(100):
                            b0 = time.perf_counter()
                            node.render(ctx)
                            t.append((time.perf_counter() - b0) * 1000)
                        med = statistics.median(t)
                        if med > 0.03:
                            print(f"  {med:6.3f} ms  {name}: {str(node)[:90]!r}")
        if os.environ["BENCH_PARTS"] in parts:  # profile one part: BENCH_PARTS="<label>"
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(200):
                parts[os.environ["BENCH_PARTS"]]()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        for label, part in parts.items():
            times = []
            for _ in range(60):
                began = time.perf_counter()
                part()
                times.append((time.perf_counter() - began) * 1000)
            print(f"  {label:<28} median {statistics.median(times):6.2f} ms")

    if os.environ.get("BENCH_SQL"):  # the statements of one first view
        from django.test.utils import CaptureQueriesContext

        cache.delete(key)

        memo.pages.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for query in queries.captured_queries:
            print(f"{query['time']:>6} {query['sql'][:300]}")
        if os.environ.get("BENCH_SQL_FILE"):  # the whole statements, e.g. for EXPLAIN
            Path(os.environ["BENCH_SQL_FILE"]).write_text(
                "".join(f"{q['sql']};\n" for q in queries.captured_queries))
            with connection.cursor() as cursor:  # PostgreSQL's own planning and execution
                for query in queries.captured_queries:
                    if not query["sql"].startswith("SELECT"):
                        continue
                    plans = []
                    for _ in range(21):
                        cursor.execute(f"EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) {query['sql']}")
                        plan = cursor.fetchone()[0]
                        plan = plan[0] if isinstance(plan, list) else plan
                        plans.append((plan["Planning Time"], plan["Execution Time"]))
                    print(f"  planning {statistics.median(p for p, _ in plans):6.3f} ms"
                          f"  execution {statistics.median(e for _, e in plans):6.3f} ms"
                          f"  {query['sql'][:70]}")
        if os.environ.get("BENCH_SQL") == "stack":  # who runs each statement
            import traceback

            def where(execute, sql, params, many, context):
                frames = [f for f in traceback.extract_stack()
                          if "/django/" not in f.filename and "bench" not in f.filename]
                print(sql[:60], *(f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno}"
                                  for f in frames[-6:]))
                return execute(sql, params, many, context)

            cache.delete(key)

            memo.pages.clear()
            with connection.execute_wrapper(where):
                client.get(url)

    def saleor_query() -> int:
        return staff_api_client.post_graphql(ORDER_QUERY, variables).status_code

    from saleor.plugins.manager import get_plugins_manager

    from saleor_aftersales.core.ids import PLUGIN_ID

    health = url.split("/status/")[0] + "/health"
    slug = order.channel.slug

    def plugins_loaded() -> int:  # what Saleor's plugin routing does before any plugin runs
        get_plugins_manager(allow_replica=False).get_plugin(PLUGIN_ID, slug)
        return 200

    def persistent(request):
        """The request as served with persistent connections (``CONN_MAX_AGE`` 60; Saleor's
        default ``DB_CONN_MAX_AGE`` is 0, a connection per request), where our statements are
        prepared (:func:`core.prepared.server_prepared`)."""
        call, before, status = request

        def run() -> int:
            saved = connection.settings_dict["CONN_MAX_AGE"]
            connection.settings_dict["CONN_MAX_AGE"] = 60
            try:
                return call()
            finally:
                connection.settings_dict["CONN_MAX_AGE"] = saved

        return run, before, status

    # the same URLs answered by our middleware instead of Saleor's plugin routing (README:
    # production setting); a client's middleware chain is loaded on its first request
    from django.test import Client, override_settings

    routes = Client()
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, CHANNEL_ROUTES]):
        assert routes.get(url).wsgi_request.resolver_match is None  # answered by ours

    # turn by turn, one request of each kind per round: drift of the machine affects all alike
    with as_served():
        timed = interleaved(
            {
                "cold": page_request(client, url, cold=True),
                "cold, persistent": persistent(page_request(client, url, cold=True)),
                "warm": page_request(client, url),
                "304": page_request(client, url, revalidate=True),
                "saleor": (saleor_query, None, 200),
                "routes cold": page_request(routes, url, cold=True),
                "routes cold, persistent": persistent(page_request(routes, url, cold=True)),
                "routes 304": page_request(routes, url, revalidate=True),
                "floor": ((lambda: client.get(health).status_code), None, 200),
                "plugins": (plugins_loaded, None, 200),
            },
            RUNS,
        )
    cold, warm, unchanged = timed["cold"], timed["warm"], timed["304"]
    kept = timed["cold, persistent"]
    saleor, floor, plugins = timed["saleor"], timed["floor"], timed["plugins"]
    saleor_ms = saleor.median_ms

    def row(label: str, timing) -> str:
        return (f"  {label:<38} median {timing.median_ms:7.2f} ms  "
                f"p90 {timing.p90_ms:7.2f} ms  {timing.queries:3d} SQL"
                f"  ratio {timing.median_ms / saleor_ms:4.2f}\n")

    cold_ratio = cold.median_ms / saleor_ms
    kept_ratio = kept.median_ms / saleor_ms
    warm_ratio = warm.median_ms / saleor_ms
    unchanged_ms = unchanged.median_ms
    routes_cold = timed["routes cold"].median_ms / saleor_ms
    routes_kept = timed["routes cold, persistent"].median_ms / saleor_ms
    plugins_ms = plugins.median_ms
    print(
        f"\nOne real Saleor order: {order.lines.count()} lines, 1 parcel, 12 carrier events; "
        f"{RUNS} requests each, interleaved, in-process (server time, templates rendered as "
        f"served), cache: "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}\n"
        + row("our page, view built (first view)", cold)
        + row("  with persistent connections", kept)
        + row("our page, cached view (repeat < 60 s)", warm)
        + row("our page, If-None-Match current (304)", unchanged)
        + row("Saleor order(id), staff JWT", saleor)
        + "  the same URLs answered by the ChannelRoutes middleware (no plugin loading):\n"
        + row("  first view", timed["routes cold"])
        + row("    with persistent connections", timed["routes cold, persistent"])
        + row("  If-None-Match current (304)", timed["routes 304"])
        + row("a plugin route's floor (our /health)", floor)
        + row("  of it: loading the channel's plugins", plugins)
        + f"  first view {cold_ratio:.2f}x with a connection per request, {kept_ratio:.2f}x with "
        f"persistent connections (target <= {FIRST_TARGET}x: "
        f"{'met' if cold_ratio <= FIRST_TARGET else 'NOT met'}, "
        f"{'met' if kept_ratio <= FIRST_TARGET else 'NOT met'}), cached repeat "
        f"{warm_ratio:.2f}x (target <= {TARGET}x: {'met' if warm_ratio <= TARGET else 'NOT met'}"
        f"), 304 {unchanged_ms / saleor_ms:.2f}x (target <= {UNCHANGED_TARGET}x: "
        f"{'met' if unchanged_ms / saleor_ms <= UNCHANGED_TARGET else 'NOT met'}); loading "
        f"the channel's plugins is {plugins_ms / unchanged_ms:.0%} of the 304; with the "
        f"ChannelRoutes middleware: first view {routes_cold:.2f}x with a connection per "
        f"request, {routes_kept:.2f}x with persistent connections (target <= {FIRST_TARGET}x: "
        f"{'met' if routes_cold <= FIRST_TARGET else 'NOT met'}, "
        f"{'met' if routes_kept <= FIRST_TARGET else 'NOT met'}), 304 "
        f"{timed['routes 304'].median_ms / saleor_ms:.2f}x\n"
    )
