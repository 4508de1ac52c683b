"""A number cell is the Text the tables always showed: made in one go, it has the
plain text and the spans that appending its parts one by one gave; and a cell's
text turns into the segments Rich renders from it."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

from rnn_tui.ui.formatting import LEVEL_GLYPHS, LEVEL_STYLES, fmt, magnitude_level
from rnn_tui.ui.table.cell_segments import text_segments
from rnn_tui.ui.table.cells import CHANGE_STYLE, change_mark, number_cell

number = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-10, 10),
    st.just(0.0),
    st.integers(-(10**16), 10**16).map(float),
)


def appended(
    value: float,
    width: int,
    previous: float | None,
    largest: float | None,
    bold: bool,
    whole: bool,
) -> Text:
    """The cell as it was made before: appended part by part."""
    text = Text(" ", no_wrap=True, end="")
    style = "bold" if bold else ""
    if largest is not None:
        level = magnitude_level(value, largest)
        style = f"{style} {LEVEL_STYLES[level]}".strip()
        text.append(" " if value == 0 else LEVEL_GLYPHS[level], style)
    if whole and abs(value) < 1e15:
        shown = (f"{value:+.0f}" if round(value) else "0").rjust(width)
    else:
        shown = fmt(value, width)
    text.append(shown, style)
    text.append(change_mark(value, previous, width), CHANGE_STYLE)
    return text


CellArgs = tuple[float, int, float | None, float | None, bool, bool]
cell_args = st.tuples(
    number,  # the value
    st.integers(7, 14),  # the width
    st.one_of(st.none(), number),  # the previous epoch's value
    st.one_of(st.none(), st.floats(0, 1e6)),  # the largest in its column
    st.booleans(),  # bold
    st.booleans(),  # whole
)


@given(cell_args)
def test_a_number_cell_is_the_text_its_parts_appended_make(args: CellArgs) -> None:
    cell, reference = number_cell(*args), appended(*args)
    assert cell.plain == reference.plain
    assert cell.spans == reference.spans
    assert (cell.no_wrap, cell.end, cell.style) == (
        reference.no_wrap,
        reference.end,
        reference.style,
    )


STYLES = ["", "bold", "bold cyan", "italic", "dim", "red on blue", Style(underline=True)]


@st.composite
def texts(draw: st.DrawFn) -> Text:
    plain = draw(st.text(alphabet=" +-.0123456789e▲▼▁▃▅█Σtx", max_size=16))
    text = Text(plain, style=draw(st.sampled_from(STYLES)), no_wrap=True, end="")
    if draw(st.booleans()):  # side by side, as a cell's parts
        edges = sorted(draw(st.sets(st.integers(0, len(plain)), max_size=6)))
        for start, end in pairwise(edges):
            text.stylize(draw(st.sampled_from(STYLES)), start, end)
    else:  # anyhow: overlapping, empty, past the end
        for _ in range(draw(st.integers(0, 4))):
            start = draw(st.integers(0, len(plain) + 2))
            text.spans.append(
                Span(start, draw(st.integers(start, len(plain) + 3)), draw(st.sampled_from(STYLES)))
            )
    return text


@given(texts())
def test_a_cells_segments_are_those_rich_renders(text: Text) -> None:
    console = Console()
    resolved = lambda style: console.get_style(style, default=Style.null())  # noqa: E731
    assert outcome(lambda: text_segments(text, console, resolved)) == outcome(
        lambda: list(text.render(console))
    )


def outcome(call: Callable[[], list[Segment]]) -> object:
    """What ``call`` returns, or the type of what it raises (Rich cannot render some
    spans past the end of the text)."""
    try:
        return call()
    except RuntimeError as error:
        return type(error)
