"""A table drawn with Textual's line API: only visible rows are rendered, each
row once until its content, its place under the cursor or the focus changes.

It looks like a ``DataTable`` with zebra stripes, a header row, fixed columns and
a cell or row cursor (same component classes and styles), but a redraw that
changes every number costs one render per *visible* row, not one per cell plus a
cache flush of the whole table as ``DataTable.update_cell`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .cell_segments import text_segments

HEADER = -1  # the row index of the header, as in DataTable's cell metadata
CELLS_KEPT = 4_096  # rendered cells kept for reuse (the visible ones, many times over)
CursorType = Literal["cell", "row"]


@dataclass(frozen=True)
class Painting:
    """What every line of one repaint needs, worked out once for them all."""

    base: Style  # the table's own style
    width: int
    scroll_x: int
    scroll_y: int
    behind: Color  # the background under the table


@dataclass(frozen=True)
class GridColumn:
    key: str
    heading: str
    width: int


@dataclass(frozen=True)
class GridRow:
    key: str
    cells: Sequence[Text]


def _signature(cells: Sequence[Text]) -> tuple[object, ...]:
    """What a row looks like, cheaply comparable (a Text has no fast equality)."""
    return tuple((cell.plain, str(cell.style), tuple(cell.spans)) for cell in cells)


class GridTable(ScrollView, can_focus=True):
    """Left/right and home/end are left to the app (they move through epochs);
    the cursor moves between columns with shift+left / shift+right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1, 0)", "Cursor up", show=False),
        Binding("down", "cursor(1, 0)", "Cursor down", show=False),
        Binding("shift+left", "cursor(0, -1)", "Cursor left", show=False),
        Binding("shift+right", "cursor(0, 1)", "Cursor right", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "datatable--header",
        "datatable--fixed",
        "datatable--odd-row",
        "datatable--even-row",
        "datatable--cursor",
        "datatable--fixed-cursor",
    }
    # DataTable's look, so the screen reads the same as before the switch.
    DEFAULT_CSS = """
    GridTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        &:focus {
            background-tint: $foreground 5%;
            & > .datatable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .datatable--header { background-tint: $foreground 5%; }
            & > .datatable--fixed-cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        &:dark { & > .datatable--even-row { background: $surface-darken-1 40%; } }
        & > .datatable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .datatable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .datatable--fixed {
            background: $secondary-muted;
            color: $foreground;
        }
        & > .datatable--odd-row { }
        & > .datatable--even-row { background: $surface-lighten-1 50%; }
        & > .datatable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .datatable--fixed-cursor {
            background: $block-cursor-blurred-background;
            color: $foreground;
        }
    }
    """

    @dataclass
    class CellHighlighted(Message):
        """The cursor moved to another cell (or row)."""

        row: int
        column: int

    @dataclass
    class RowSelected(Message):
        """Enter, or a click on the cursor's row."""

        cursor_row: int

    def __init__(
        self, *, id: str | None = None, cursor_type: CursorType = "cell", fixed_columns: int = 0
    ) -> None:
        super().__init__(id=id)
        self.cursor_type: CursorType = cursor_type
        self.fixed_columns = fixed_columns
        self._columns_shown: tuple[GridColumn, ...] = ()
        self._rows: list[GridRow] = []
        self._signatures: list[tuple[object, ...]] = []
        self._row_index: dict[str, int] = {}
        self._cursor = (0, 0)
        # row index -> (what the row's strip depends on, the strip)
        self._strips: dict[int, tuple[tuple[object, ...], Strip]] = {}
        self._styles: dict[str, Style] = {}  # resolved component styles (costly to resolve)
        self._cell_style_cache: dict[tuple[object, ...], tuple[Style, Style]] = {}
        self._text_styles: dict[str, Style] = {}  # a cell text's style names, resolved
        self._paint: Painting | None = None  # what every line painted needs, while painting
        # (row, column, fixed) -> (what the cell's segments depend on, the segments)
        self._cell_segments: dict[tuple[int, int, bool], tuple[object, list[Segment]]] = {}
        self.rows_rendered = 0  # rows rendered so far (tests check only visible ones are)
        self.cells_rendered = 0  # cells rendered so far (tests check unchanged ones are kept)

    # -- content ------------------------------------------------------------------

    def show_grid(self, columns: Sequence[GridColumn], rows: Sequence[GridRow]) -> None:
        """Show these rows; only rows whose text changed are rendered again."""
        columns = tuple(columns)
        signatures = [_signature(row.cells) for row in rows]
        keys_changed = [row.key for row in rows] != [row.key for row in self._rows]
        if columns == self._columns_shown and not keys_changed:
            if signatures == self._signatures:
                return
        else:
            self._columns_shown = columns
            self._strips.clear()
            self._row_index = {row.key: i for i, row in enumerate(rows)}
            width = sum(column.width for column in columns)
            self.virtual_size = Size(width, len(rows) + 1 if columns else 0)
        appeared = rows and not self._rows
        self._rows, self._signatures = list(rows), signatures
        self._clamp_cursor()
        self.refresh()
        if appeared:  # a cell under the cursor now exists
            self.post_message(self.CellHighlighted(*self._cursor))

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def columns(self) -> tuple[GridColumn, ...]:
        return self._columns_shown

    def row_key(self, row: int) -> str:
        return self._rows[row].key

    def cell_text(self, row_key: str, column_key: str) -> str:
        """The plain text of one cell, as shown (for tests and the explain panel)."""
        keys = [column.key for column in self._columns_shown]
        return self._rows[self._row_index[row_key]].cells[keys.index(column_key)].plain

    # -- the cursor -----------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor[0]

    @property
    def cursor_column(self) -> int:
        return self._cursor[1]

    def move_cursor(
        self, *, row: int | None = None, column: int | None = None, scroll: bool = True
    ) -> None:
        row = self._cursor[0] if row is None else row
        column = self._cursor[1] if column is None else column
        self._set_cursor((row, column), scroll)

    def _clamp(self, row: int, column: int) -> tuple[int, int]:
        return (
            max(0, min(row, len(self._rows) - 1)),
            max(0, min(column, len(self._columns_shown) - 1)),
        )

    def _clamp_cursor(self) -> None:
        self._set_cursor(self._cursor, scroll=False)

    def _set_cursor(self, target: tuple[int, int], scroll: bool) -> None:
        cursor = self._clamp(*target)
        if cursor == self._cursor:
            return
        self._cursor = cursor
        self.refresh()
        if scroll:
            self._scroll_into_view(self._cursor_region())
        self.post_message(self.CellHighlighted(*cursor))

    def action_cursor(self, rows: int, columns: int) -> None:
        self.move_cursor(row=self._cursor[0] + rows, column=self._cursor[1] + columns)

    def action_select_cursor(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self._cursor[0]))

    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta
        if "row" not in meta or meta["row"] == HEADER:
            return
        if self.cursor_type != "row" and meta.get("out_of_bounds", False):
            return
        again = (meta["row"], meta["column"]) == self._cursor
        self.move_cursor(row=meta["row"], column=meta["column"])
        if again:
            self.action_select_cursor()
        event.stop()

    # -- scrolling ------------------------------------------------------------------

    @property
    def _fixed_width(self) -> int:
        return sum(column.width for column in self._columns_shown[: self.fixed_columns])

    def _row_region(self, row: int) -> Region:
        width = max(self.size.width, self.virtual_size.width)
        return Region(0, row + 1, width, 1)  # + 1: the header

    def _cursor_region(self) -> Region:
        row, column = self._cursor
        if self.cursor_type == "row" or not self._columns_shown:
            left = self._fixed_width
            region = self._row_region(row)
            return Region(int(self.scroll_x) + left, region.y, region.width - left, 1)
        x = sum(c.width for c in self._columns_shown[:column])
        return Region(x, row + 1, self._columns_shown[column].width, 1)

    def _scroll_into_view(self, region: Region) -> None:
        spacing = Spacing(1, 0, 0, self._fixed_width)  # the header and the fixed columns
        self.scroll_to_region(region, animate=False, spacing=spacing, force=True)

    def reveal(self, key: str) -> None:
        """Scroll ``key``'s row into view without moving the cursor."""
        if key in self._row_index:
            row = self._row_region(self._row_index[key])
            self._scroll_into_view(Region(int(self.scroll_x), row.y, 1, 1))

    # -- drawing --------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # focus, theme: the component styles changed
        self._styles.clear()
        self._cell_style_cache.clear()
        self._text_styles.clear()
        self._cell_segments.clear()

    def _style(
        self, name: str, partial: bool = False, meta: dict[str, bool] | None = None
    ) -> Style:
        """A component's rich style: whole (``partial``: only what it sets itself), with
        ``meta`` (for clicks) if given."""
        key = f"{name}/{partial}/{meta}"
        if key not in self._styles:
            style = (
                self.get_component_rich_style(name)
                if partial
                else self.get_component_styles(name).rich_style
            )
            self._styles[key] = style if meta is None else style + Style.from_meta(meta)
        return self._styles[key]

    def _on_resize(self, event: events.Resize) -> None:
        self._strips.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._paint = self._painting()  # worked out once for all the lines painted
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _painting(self) -> Painting:
        self.before_painting()
        return Painting(
            self.rich_style,
            self.size.width,
            int(self.scroll_x),
            int(self.scroll_y),
            self.background_colors[1],
        )

    def before_painting(self) -> None:
        """What a subclass settles before its lines are painted (the table's width)."""

    def render_line(self, y: int) -> Strip:
        paint = self._painting() if self._paint is None else self._paint
        width, base = paint.width, paint.base
        row = HEADER if y == 0 else y - 1 + paint.scroll_y
        if not self._columns_shown or row >= len(self._rows):
            return Strip.blank(width, base)
        key = (
            self._signatures[row] if row != HEADER else None,
            self._cursor if self._cursor[0] == row else None,
            paint.scroll_x,
            width,
        )
        cached = self._strips.get(row)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._render_row(row, paint)
        self.rows_rendered += 1
        self._strips[row] = (key, strip)
        return strip

    def _render_row(self, row: int, paint: Painting) -> Strip:
        columns = self._columns_shown
        if row == HEADER:
            cells = [
                Text(column.heading.rjust(column.width), no_wrap=True, end="") for column in columns
            ]
            row_style = self._style("datatable--header")
            fixed_style = row_style
        else:
            cells = list(self._rows[row].cells)
            stripe = "datatable--odd-row" if row % 2 else "datatable--even-row"
            row_style = self._style(stripe)
            fixed_style = self._style("datatable--fixed", meta={"fixed": True})
        fixed: list[Segment] = []
        for index in range(self.fixed_columns):
            fixed += self._cell(row, index, cells[index], fixed_style, fixed=row != HEADER)
        scrollable: list[Segment] = []
        for index, cell in enumerate(cells):
            scrollable += self._cell(row, index, cell, row_style, fixed=False)
        scrollable.append(self._extension(row, row_style, paint))
        x1 = paint.scroll_x + self._fixed_width
        cropped = Strip(scrollable).crop(x1, paint.scroll_x + paint.width)
        return Strip([*fixed, *cropped]).adjust_cell_length(paint.width, paint.base).simplify()

    def _highlighted(self, row: int, column: int) -> bool:
        if row != self._cursor[0]:
            return False
        return self.cursor_type == "row" or column == self._cursor[1]

    def _cell(self, row: int, column: int, cell: Text, style: Style, fixed: bool) -> list[Segment]:
        """One cell's segments, styled as DataTable styles them: kept while the cell's
        text and look stay (a step changes half the cells of a row, or fewer)."""
        pre, post = self._cell_styles(row, column, style, fixed)
        width = self._columns_shown[column].width
        text_key = self._signatures[row][column] if row != HEADER else cell.plain
        look = (text_key, width, pre, post)
        kept = self._cell_segments.get((row, column, fixed))
        if kept is not None and kept[0] == look:
            return kept[1]
        segments = self._cell_segments_of(cell, width, pre, post)
        if len(self._cell_segments) > CELLS_KEPT:
            self._cell_segments.clear()
        self._cell_segments[row, column, fixed] = (look, segments)
        return segments

    def _cell_segments_of(self, cell: Text, width: int, pre: Style, post: Style) -> list[Segment]:
        self.cells_rendered += 1
        text = cell
        if cell.cell_len > width:
            text = cell.copy()
            text.truncate(width, overflow="fold")
        console = self.app.console
        if text.spans:
            segments = text_segments(text, console, self._style_of)
        else:  # render() drops the base style of a text without spans
            segments = [Segment(text.plain, console.get_style(text.style, default=Style.null()))]
        line = Segment.adjust_line_length(segments, width, Style())
        return list(Segment.apply_style(line, pre, post))

    def _style_of(self, style: str | Style) -> Style:
        """A style of a cell's text, resolved as the console resolves it, once."""
        if isinstance(style, Style):
            return style
        if style not in self._text_styles:
            self._text_styles[style] = self.app.console.get_style(style, default=Style.null())
        return self._text_styles[style]

    def _cell_styles(self, row: int, column: int, style: Style, fixed: bool) -> tuple[Style, Style]:
        """The styles a cell's segments are put between (its row's, with the cursor's
        and the row and column for clicks), worked out once per place and look."""
        highlighted = row != HEADER and self._highlighted(row, column)
        key = (row, column, style, fixed, highlighted)
        if key not in self._cell_style_cache:
            component = Style()
            if highlighted:
                component += self._style("datatable--cursor", partial=True)
                if fixed or column < self.fixed_columns:
                    component += self._style("datatable--fixed-cursor", partial=True)
            post = Style.from_color(color=component.color)
            pre = style + Style.from_meta({"row": row, "column": column}) + component
            self._cell_style_cache[key] = (pre, post)
        return self._cell_style_cache[key]

    def _extension(self, row: int, row_style: Style, paint: Painting) -> Segment:
        """The row's style carried on to the right edge when the table is narrower."""
        table_width = sum(column.width for column in self._columns_shown[self.fixed_columns :])
        if self.cursor_type == "row":
            style = row_style
            if row != HEADER and row == self._cursor[0]:
                style += self._style("datatable--cursor", partial=True)
        elif row_style.bgcolor is not None:
            faded = Color.from_rich_color(row_style.bgcolor).blend(paint.behind, factor=0.25)
            style = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
        else:
            style = Style.from_color(row_style.color, row_style.bgcolor)
        style += Style.from_meta({"row": row, "column": 0, "out_of_bounds": True})
        return Segment(" " * max(0, paint.width - table_width), style)
