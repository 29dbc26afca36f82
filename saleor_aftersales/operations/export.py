"""CSV export for ``manage.py aftersales_export``: parcels, problems, messages, KPIs, charts.

The figures come from the functions the dashboard and the GraphQL API use
(``analytics.channel_kpis``, ``dashboard.insights.charts``), so the files agree with the
Aftersales page. Rows hold no personal data: orders are named by id, messages without their
recipient. Times are ISO 8601 in UTC; every file has a header row, even when empty.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from django.utils import timezone

from ..core.parcel_status import ParcelStatus
from ..models import NotificationLog, Parcel, Problem
from ..orchestration.analytics import channel_kpis

PARCEL_FIELDS = (
    "order_id", "channel_slug", "fulfillment_id", "carrier", "carrier_source",
    "tracking_number", "tracking_url", "status", "status_detail", "destination_country",
    "shipped_at", "first_scan_at", "delivered_at", "estimated_delivery", "promised_delivery",
    "last_event_at", "last_checked_at",
)  # fmt: skip
PROBLEM_FIELDS = (
    "order_id", "channel_slug", "parcel__fulfillment_id", "parcel__tracking_number", "kind",
    "detail", "detected_at", "resolved_at", "notified_at",
)  # fmt: skip
MESSAGE_FIELDS = (
    "order_id", "channel_slug", "parcel__fulfillment_id", "event", "medium", "state",
    "language_code", "variant", "subject", "attempts", "error", "created_at", "sent_at",
)  # fmt: skip
CHART_FIELDS = ("channel_slug", "chart", "title", "unit", "group", "label", "value", "based_on")


@dataclass(frozen=True)
class Written:
    """One file written and how many data rows it holds."""

    path: Path
    rows: int


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[object]]) -> Written:
    """Write ``rows`` under ``header`` (UTF-8, Excel-friendly quoting); count the rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(header))
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    return Written(path, count)


def _header(fields: Iterable[str]) -> list[str]:
    return [f.replace("parcel__", "") for f in fields]


def _rows(queryset, fields: tuple[str, ...]):
    return queryset.order_by("pk").values_list(*fields).iterator(chunk_size=2000)


def kpi_rows(channels: list[str], since: datetime) -> tuple[list[str], list[list[object]]]:
    """One row per channel of ``analytics.channel_kpis`` (statuses and stars as columns)."""
    statuses = list(ParcelStatus.values)
    header = ["channel_slug", "since", "until", *(f"parcels_{s}" for s in statuses)]
    header += ["delivered_parcels", "on_time_rate", "notifications_sent", "notifications_opened",
               "notifications_clicked", "page_views", "widget_views", "buy_again_checkouts",
               "buy_again_orders", "buy_again_rate", "ratings_count", "rating_average"]  # fmt: skip
    header += [f"ratings_{stars}" for stars in range(1, 6)]
    rows = []
    for slug in channels:
        k = channel_kpis(slug, since=since)
        rows.append([
            slug, k.since, k.until, *(k.parcels_by_status.get(s, 0) for s in statuses),
            k.delivered_parcels, k.on_time_rate, k.notifications_sent, k.notifications_opened,
            k.notifications_clicked, k.page_views, k.widget_views, k.buy_again_checkouts,
            k.buy_again_orders, k.buy_again_rate, k.ratings_count, k.rating_average,
            *(k.ratings.get(stars, 0) for stars in range(1, 6)),
        ])  # fmt: skip
    return header, rows


def chart_rows(channels: list[str], since: datetime) -> list[list[object]]:
    """Every insights chart of each channel, one row per bar (the dashboard's CSV columns)."""
    from ..dashboard.insights import charts

    days = max(1, math.ceil((timezone.now() - since).total_seconds() / 86400))
    return [
        [
            slug,
            chart.key,
            str(chart.title),
            chart.unit,
            row.group,
            row.label,
            round(row.value, 4),
            row.count,
        ]
        for slug in channels
        for chart in charts([slug], days)
        for row in chart.rows
    ]


def export(out: Path, since: datetime, channels: list[str]) -> list[Written]:
    """Write ``parcels.csv``, ``problems.csv``, ``messages.csv``, ``kpis.csv`` and
    ``insights.csv`` into ``out`` for ``channels``: parcels shipped, problems detected and
    messages created since ``since``; KPIs and charts over the same period."""
    out.mkdir(parents=True, exist_ok=True)
    parcels = Parcel.objects.filter(channel_slug__in=channels, shipped_at__gte=since)
    problems = Problem.objects.filter(channel_slug__in=channels, detected_at__gte=since)
    messages = NotificationLog.objects.filter(channel_slug__in=channels, created_at__gte=since)
    kpi_header, kpis = kpi_rows(channels, since)
    return [
        write_csv(out / "parcels.csv", PARCEL_FIELDS, _rows(parcels, PARCEL_FIELDS)),
        write_csv(out / "problems.csv", _header(PROBLEM_FIELDS), _rows(problems, PROBLEM_FIELDS)),
        write_csv(out / "messages.csv", _header(MESSAGE_FIELDS), _rows(messages, MESSAGE_FIELDS)),
        write_csv(out / "kpis.csv", kpi_header, kpis),
        write_csv(out / "insights.csv", CHART_FIELDS, chart_rows(channels, since)),
    ]


def all_channels() -> list[str]:
    """The shop's channels and any channel our tables still name."""
    from ..hosts.channels import channel_slugs

    ours = Parcel.objects.values_list("channel_slug", flat=True).distinct()
    return sorted(set(channel_slugs()) | set(ours))
