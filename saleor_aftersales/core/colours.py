"""Colours of the shop's brand on the page: text that stays readable (WCAG 2.2 AA).

:func:`text_color_on` picks black or white for text on the brand colour (header, buttons,
badges); :func:`readable_brand` darkens the brand colour just enough to be used as text
(links, accents) on the page's light surfaces. Both take a ``#rgb``/``#rrggbb`` value.
"""

from __future__ import annotations


def text_color_on(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value[i : i + 2]) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


#: The page's grey background (status.css ``--as-bg``): the lightest surface brand text sits
#: on besides white cards, so text readable on it is readable everywhere on the page.
PAGE_BG_LUMINANCE = 0.9041  # #f3f4f6


def readable_brand(color: str, ratio: float = 4.6) -> str:
    """The brand colour, darkened just enough to read as text on the page's background and
    on white cards (WCAG AA, 4.5:1): links and accents stay on brand and legible."""
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    rgb = tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    for step in range(0, 101, 2):
        mixed = tuple(round(c * (100 - step) / 100) for c in rgb)
        if (PAGE_BG_LUMINANCE + 0.05) / (_luminance(mixed) + 0.05) >= ratio:
            return "#{:02x}{:02x}{:02x}".format(*mixed)
    return "#000000"
