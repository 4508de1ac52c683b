"""Numbers as table cells: aligned text, a change mark and a magnitude glyph.

Everything here only formats what the engine computed; nothing is derived.
"""

from __future__ import annotations

import math

from rich.text import Text

from ..formatting import LEVEL_GLYPHS, LEVEL_STYLES, fmt, magnitude_level
from .columns import MARK_DOWN, MARK_UP

CHANGE_STYLE = "bold cyan"


def change_mark(value: float, previous: float | None, width: int) -> str:
    """▲ / ▼ when the value, as printed, went up / down since the previous epoch."""
    if previous is None or fmt(value, width) == fmt(previous, width):
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
    ``whole`` prints a whole number without decimals."""
    text = Text(" ", no_wrap=True, end="")
    style = "bold" if bold else ""
    if largest is not None:
        level = magnitude_level(value, largest)
        style = f"{style} {LEVEL_STYLES[level]}".strip()
        text.append(" " if value == 0 else LEVEL_GLYPHS[level], style)
    if whole and abs(value) < 1e15:
        number = (f"{value:+.0f}" if round(value) else "0").rjust(width)
    else:
        number = fmt(value, width)
    text.append(number, style)
    text.append(change_mark(value, previous, width), CHANGE_STYLE)
    return text


def label_cell(label: str, width: int, style: str = "") -> Text:
    """A right-aligned label in a number column."""
    return Text(label.rjust(width), style=style, no_wrap=True, end="")


def number_cell_width(width: int, gradient: bool) -> int:
    """Characters a :func:`number_cell` takes: space, [glyph], number, mark."""
    return width + 2 + (1 if gradient else 0)
