"""A cell's text as segments, as ``rich.text.Text.render`` makes them, sooner.

Rich renders a Text through a stack of its spans, a generator and a style cache made
anew for each call (~10 us for a number cell); a table repaints ~25 cells a step. A
cell's spans never overlap (a glyph, a number, a change mark, side by side), and for
such spans the segments are simply the pieces between their edges: the spans' pieces
styled by the text's style plus theirs, the rest by the text's style alone.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

StyleOf = Callable[[str | Style], Style]


def side_by_side(text: Text) -> bool:
    """Whether the spans are in order, none empty or overlapping the next."""
    end = 0
    for start, stop, _ in text.spans:
        if start < end or stop <= start:
            return False
        end = stop
    return end <= len(text.plain)


def text_segments(text: Text, console: Console, style_of: StyleOf) -> list[Segment]:
    """``list(text.render(console))``, where ``style_of`` resolves a style as the
    console does (it may keep what it resolved)."""
    if not text.spans or not side_by_side(text):
        return list(text.render(console))
    plain = text.plain
    base = style_of(text.style)
    segments = []
    at = 0
    for start, end, style in text.spans:
        if start > at:
            segments.append(Segment(plain[at:start], base))
        segments.append(Segment(plain[start:end], Style.combine((base, style_of(style)))))
        at = end
    if at < len(plain):
        segments.append(Segment(plain[at:], base))
    return segments
