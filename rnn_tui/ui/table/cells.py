"""Numbers as table cells: aligned text, a change mark and a magnitude glyph.

Everything here only formats what the engine computed; nothing is derived.
"""

from __future__ import annotations

import math

from rich.text import Span, Text

from ..formatting import LEVEL_GLYPHS, LEVEL_STYLES, fmt, magnitude_level
from .columns import MARK_DOWN, MARK_UP

CHANGE_STYLE = "bold cyan"


def change_mark(value: float, previous: float | None, width: int, shown: str | None = None) -> str:
    """▲ / ▼ when the value, as printed, went up / down since the previous epoch
    (``shown``: the value as printed, if already at hand)."""
    if previous is None:
        return " "
    if (fmt(value, width) if shown is None else shown) == fmt(previous, width):
        return " "
    if math.isnan(value) or math.isnan(previous):
        return " "
    return MARK_UP if value > previous else MARK_DOWN


def number_cell(
    value: float,
    width: int,
    previous: float | None = None,
    largest: float | None = None,
    bold: bool = False,
    whole: bool = False,
) -> Text:
    """`` [glyph]number[mark]``: a leading space separates columns (the tables use no
    cell padding, to fit 80 columns); ``largest`` turns on the magnitude glyph and
    ``whole`` prints a whole number without decimals.

    Made in one go, with the spans ``Text.append`` would give each part (a table
    redraw makes ~50 of them: appending was a third of it)."""
    style = "bold" if bold else ""
    glyph = ""
    if largest is not None:
        level = magnitude_level(value, largest)
        style = f"{style} {LEVEL_STYLES[level]}".strip()
        glyph = " " if value == 0 else LEVEL_GLYPHS[level]
    printed = fmt(value, width)
    if whole and abs(value) < 1e15:
        number = (f"{value:+.0f}" if round(value) else "0").rjust(width)
    else:
        number = printed
    mark = change_mark(value, previous, width, printed)
    end = 1 + len(glyph) + len(number)
    spans = [Span(end, end + len(mark), CHANGE_STYLE)]
    if style:
        spans.insert(0, Span(1 + len(glyph), end, style))
        if glyph:
            spans.insert(0, Span(1, 1 + len(glyph), style))
    return Text(f" {glyph}{number}{mark}", no_wrap=True, end="", spans=spans)


def label_cell(label: str, width: int, style: str = "") -> Text:
    """A right-aligned label in a number column."""
    return Text(label.rjust(width), style=style, no_wrap=True, end="")


def number_cell_width(width: int, gradient: bool) -> int:
    """Characters a :func:`number_cell` takes: space, [glyph], number, mark."""
    return width + 2 + (1 if gradient else 0)
