"""A DataTable that is redrawn from a whole grid of cells each frame.

Rows and columns are only rebuilt when their keys change; otherwise only the
cells whose text changed are updated, so redrawing at 30 frames a second is
cheap and the cursor stays where the user put it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


@dataclass(frozen=True)
class GridColumn:
    key: str
    heading: str
    width: int


@dataclass(frozen=True)
class GridRow:
    key: str
    cells: Sequence[Text]


class GridTable(DataTable[Text], inherit_bindings=False):
    """Left/right and home/end are left to the app (they move through epochs);
    the cursor moves between columns with shift+left / shift+right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("shift+left", "cursor_left", "Cursor left", show=False),
        Binding("shift+right", "cursor_right", "Cursor right", show=False),
        Binding("enter", "select_cursor", "Select", show=False),
    ]

    def __init__(self, *, id: str | None = None, cursor_type: str = "cell") -> None:
        super().__init__(id=id, cursor_type=cursor_type, cell_padding=0, zebra_stripes=True)  # type: ignore[arg-type]
        self._columns_shown: tuple[GridColumn, ...] = ()
        self._rows_shown: dict[str, tuple[str, ...]] = {}

    def show_grid(self, columns: Sequence[GridColumn], rows: Sequence[GridRow]) -> None:
        columns = tuple(columns)
        if columns != self._columns_shown:
            self.clear(columns=True)
            for column in columns:
                heading = Text(column.heading.rjust(column.width), no_wrap=True, end="")
                self.add_column(heading, width=column.width, key=column.key)
            self._columns_shown = columns
            self._rows_shown = {}
        if [row.key for row in rows] != list(self._rows_shown):
            self._rebuild_rows(rows)
            return
        for row in rows:
            shown = self._rows_shown[row.key]
            for column, cell, old in zip(columns, row.cells, shown, strict=True):
                if cell.markup != old:
                    self.update_cell(row.key, column.key, cell)
            self._rows_shown[row.key] = tuple(cell.markup for cell in row.cells)

    def _rebuild_rows(self, rows: Sequence[GridRow]) -> None:
        cursor = self.cursor_coordinate
        self.clear()
        self._rows_shown = {}  # else old keys stay first and every redraw rebuilds
        for row in rows:
            self.add_row(*row.cells, key=row.key)
            self._rows_shown[row.key] = tuple(cell.markup for cell in row.cells)
        if rows:
            self.move_cursor(
                row=min(cursor.row, len(rows) - 1),
                column=min(cursor.column, len(self._columns_shown) - 1),
                animate=False,
                scroll=False,
            )

    def cell_text(self, row_key: str, column_key: str) -> str:
        """The plain text of one cell, as shown (for tests and the explain panel)."""
        return str(self.get_cell(row_key, column_key).plain)
