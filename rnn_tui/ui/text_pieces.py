"""A Rich ``Text`` cut at the edges of its spans, when they lie side by side.

Rich and Textual render a Text through a stack of its spans (any of which may
overlap); a table cell's and a status line's never do: a glyph, a number, a mark,
fields one after the other. For such spans the pieces are the spans themselves and
the gaps between them; the table (``table/cell_segments.py``) and the status lines
(``status/one_line.py``) style these pieces as Rich and Textual would.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.style import StyleType
from rich.text import Text


def side_by_side(text: Text) -> bool:
    """Whether the spans are in order, none empty or overlapping the next."""
    end = 0
    for start, stop, _ in text.spans:
        if start < end or stop <= start:
            return False
        end = stop
    return end <= len(text.plain)


def pieces(text: Text) -> Iterator[tuple[str, StyleType | None]]:
    """The text of a :func:`side_by_side` Text, piece by piece: each span's, with its
    style, and each gap's (nothing but the text's own style), with None."""
    plain = text.plain
    at = 0
    for start, end, style in text.spans:
        if start > at:
            yield plain[at:start], None
        yield plain[start:end], style
        at = end
    if at < len(plain):
        yield plain[at:], None
