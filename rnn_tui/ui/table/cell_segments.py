"""A cell's text as segments, as ``rich.text.Text.render`` makes them, sooner.

Rich renders a Text through a stack of its spans, a generator and a style cache made
anew for each call (~10 us for a number cell); a table repaints ~25 cells a step. A
cell's spans never overlap (a glyph, a number, a change mark, side by side), and for
such spans the segments are simply the text's :func:`~..text_pieces.pieces`: the spans'
styled by the text's style plus theirs, the gaps by the text's style alone.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from ..text_pieces import pieces, side_by_side

StyleOf = Callable[[str | Style], Style]


def text_segments(text: Text, console: Console, style_of: StyleOf) -> list[Segment]:
    """``list(text.render(console))``, where ``style_of`` resolves a style as the
    console does (it may keep what it resolved)."""
    if not text.spans or not side_by_side(text):
        return list(text.render(console))
    base = style_of(text.style)
    return [
        Segment(piece, base if span is None else Style.combine((base, style_of(span))))
        for piece, span in pieces(text)
    ]
