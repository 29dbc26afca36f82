"""Benchmark body for ``bench/status_page.py --saleor`` (not collected as a test: no ``test_``).

On one real Saleor order (``order_with_lines``, told to the plugin, fulfilled through
``orderFulfill`` with a DHL number, a product image, carrier events on the parcel), times:

* our status page, requested through Saleor's URL routing with a signed link (anonymous);
* Saleor's own ``order(id)`` GraphQL query for a staff user with MANAGE_ORDERS, asking for
  what a status page needs (number, dates, status, lines, fulfillments, address, total).

Both run in-process through Django's test client (server time, no network), same database,
same process; the medians and their ratio are printed (target: ours <= 0.5x Saleor's).
"""

from __future__ import annotations

import os
import statistics
from datetime import timedelta

import graphene
from django.utils import timezone
from flows import fulfill, status_path
from saleor.graphql.tests.utils import get_graphql_content
from saleor.product.models import ProductMedia

from bench.status_page import measure, measure_our_page
from saleor_aftersales import tasks
from saleor_aftersales.models import Parcel, TrackingEvent

RUNS = int(os.environ.get("BENCH_STATUS_RUNS", "200"))
TARGET = 0.5

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

    if os.environ.get("BENCH_PROFILE"):  # where our page's time goes
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50):
            client.get(url)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(40)
        stats.print_callees("status_page|_build|build_status_view")

    def saleor_query() -> int:
        return staff_api_client.post_graphql(ORDER_QUERY, variables).status_code

    # three alternating rounds, so drift of the machine affects both alike
    per_round = max(RUNS // 3, 1)
    ours, saleor = [], []
    for _ in range(3):
        ours.append(measure_our_page(client, url, per_round))
        saleor.append(measure(saleor_query, per_round))
    ours_ms = statistics.median(t.median_ms for t in ours)
    saleor_ms = statistics.median(t.median_ms for t in saleor)
    ratio = ours_ms / saleor_ms
    print(
        f"\nOne real Saleor order: {order.lines.count()} lines, 1 parcel, 12 carrier events; "
        f"{per_round * 3} requests each, in-process (server time)\n"
        f"  our status page (signed link)      median {ours_ms:7.2f} ms  "
        f"p90 {max(t.p90_ms for t in ours):7.2f} ms  {ours[0].queries} SQL queries\n"
        f"  Saleor order(id), staff JWT        median {saleor_ms:7.2f} ms  "
        f"p90 {max(t.p90_ms for t in saleor):7.2f} ms  {saleor[0].queries} SQL queries\n"
        f"  ratio ours / Saleor's: {ratio:.2f}  (target <= {TARGET})"
        f"  {'met' if ratio <= TARGET else 'NOT met'}\n"
    )
