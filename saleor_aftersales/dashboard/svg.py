"""Horizontal bar charts as inline SVG, drawn on the server (no script, no web font).

Every chart has a ``<title>`` and a ``<desc>`` that reads the numbers out, so a screen reader
hears the data; the page adds the same rows as a table. Labels are the translated texts, so
the chart reads in the page's language. Only presentation attributes (no ``style``): the
page's CSP allows no inline styles.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .insights import Chart, Row

#: Drawn for a phone's width (readable at 1:1 on 360 px); desktops scale it up a little.
WIDTH, LABEL, ROW, GROUP = 400, 140, 26, 24
BAR = WIDTH - LABEL - 56
LABEL_CHARS = 20  # longer labels are cut with "…" (the data table has them in full)


def shown(row: Row, unit: str) -> str:
    """The value as the page writes it: ``92 %`` or ``1.5``."""
    if unit == "share":
        return f"{number_format(round(row.value * 100))} %"
    if float(row.value).is_integer():
        return number_format(int(row.value))
    return number_format(round(row.value, 2), decimal_pos=2)


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def describe(chart: Chart) -> str:
    parts, group = [], None
    for row in chart.rows:
        prefix = f"{row.group}: " if row.group and row.group != group else ""
        group = row.group
        parts.append(f"{prefix}{row.label} {shown(row, chart.unit)}")
    return "; ".join(parts)


def bar_chart(chart: Chart, empty: str) -> SafeString:
    """The chart as ``<svg role="img">`` (``empty``: the text when there are no rows)."""
    uid = f"as-chart-{chart.key}"
    top = max((abs(r.value) for r in chart.rows), default=0)
    scale = 1.0 if chart.unit == "share" else (top or 1)
    y, parts, group = 4, [], None
    for row in chart.rows:
        if row.group and row.group != group:
            group = row.group
            parts.append(f'<text x="0" y="{y + 16}" font-weight="600">{escape(group)}</text>')
            y += GROUP
        width = max(round(BAR * (abs(row.value) / scale)), 1 if row.value else 0)
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 17}" text-anchor="end">{escape(_cut(row.label))}</text>'
            f'<rect x="{LABEL}" y="{y + 4}" width="{width}" height="{ROW - 8}" rx="3" '
            f'fill="#1a5fc8"/>'
            f'<text x="{LABEL + width + 6}" y="{y + 17}">{escape(shown(row, chart.unit))}</text>'
        )
        y += ROW
    if not chart.rows:
        parts.append(f'<text x="0" y="20" fill="#57606a">{escape(empty)}</text>')
        y = 30
    desc = describe(chart) or empty
    # every text above is escaped
    return mark_safe(
        f'<svg class="as-dash__chart" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {WIDTH} {y + 4}" width="100%" font-family="system-ui, sans-serif" '
        f'font-size="13" fill="#1b1f24" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{uid}-t">{escape(chart.title)}</title><desc id="{uid}-d">{escape(desc)}'
        f"</desc>{''.join(parts)}</svg>"
    )
