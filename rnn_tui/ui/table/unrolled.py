"""The unrolled network of one sample: a row per timestep, a column per quantity
of the forward pass and of backpropagation through time, then the sums that make
the two gradients. Every number comes from the engine's Trace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from rich.text import Text
from textual import on
from textual.message import Message

from rnn_tui.engine import GRADIENT_SHARES, MicroCursor, Trace

from .cells import label_cell, number_cell, number_cell_width
from .columns import COLUMNS, SAMPLE_SUM_LABEL, TOTAL_LABEL
from .grid import GridColumn, GridRow, GridTable
from .micro import cell_state, in_state, quantity_state
from .trace_table import TraceTable

LABEL_WIDTH = 5  # the "t" column: 1..T, Σt, ΣnΣt
# The sum rows' number columns: which of (dL/dwx, dL/dwrec) and the micro-step that sums it.
# Each share column's sum row: (index of the gradient, its quantity), from the registry.
SUM_QUANTITIES = {share: (i, total) for i, (total, share) in enumerate(GRADIENT_SHARES.items())}


RowKind = Literal["timestep", "sum", "total"]


@dataclass(frozen=True)
class CellRef:
    """The cell under the cursor, in the engine's terms (for an explain panel)."""

    sample: int
    """0-based index into the dataset."""
    timestep: int | None
    """1..T on a timestep row, None on the sum rows."""
    row: RowKind
    """Which kind of row: one timestep, this sample's sums, or the totals over samples."""
    column: str
    """A Trace attribute name, or "t"."""


def largest_finite(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


class UnrolledTable(TraceTable):
    NUMBER_COLUMNS = len(COLUMNS)
    # label, then per column a leading space and a change mark, plus a glyph on gradients
    FIXED_WIDTH = LABEL_WIDTH + 2 * len(COLUMNS) + sum(c.gradient for c in COLUMNS)

    @dataclass
    class CellChanged(Message):
        """The cursor moved to another cell."""

        cell: CellRef

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", fixed_columns=1)

    def draw(self, trace: Trace, previous: Trace | None, n: int, micro: MicroCursor | None) -> None:
        width = self.number_width
        columns = [GridColumn("t", "t", LABEL_WIDTH)] + [
            GridColumn(c.key, c.heading, number_cell_width(width, c.gradient)) for c in COLUMNS
        ]
        largest = {c.key: largest_finite(getattr(trace, c.key)[n]) for c in COLUMNS if c.gradient}
        rows = []
        for t in range(trace.t):
            cells = [label_cell(str(t + 1), LABEL_WIDTH, "bold")]
            for column in COLUMNS:
                value = float(getattr(trace, column.key)[n, t])
                before = None if previous is None else float(getattr(previous, column.key)[n, t])
                cell = number_cell(value, width, before, largest.get(column.key))
                state = cell_state(micro, column.key, t + 1)
                cells.append(in_state(cell, state, columns[len(cells)].width))
            rows.append(GridRow(f"t{t + 1}", cells))
        for key, label, caption, sample in (
            ("sum", SAMPLE_SUM_LABEL, "this seq", n),
            ("total", TOTAL_LABEL, "gradient", None),
        ):
            rows.append(self._sum_row(key, label, caption, trace, previous, sample, micro))
        self.show_grid(columns, rows)

    def _sum_row(
        self,
        key: str,
        label: str,
        caption: str,
        trace: Trace,
        previous: Trace | None,
        sample: int | None,
        micro: MicroCursor | None,
    ) -> GridRow:
        """The sums of δ_t·x_t and δ_t·s_(t-1): for one sample, or for all (the gradient)."""

        def sums(of: Trace) -> tuple[float, float]:
            if sample is None:
                return of.dwx, of.dwrec
            return float(of.sample_dwx[sample]), float(of.sample_dwrec[sample])

        width = self.number_width
        now = sums(trace)
        before: tuple[float | None, float | None] = (
            (None, None) if previous is None else sums(previous)
        )
        blank = Text(" " * number_cell_width(width, False), end="")
        cells = [label_cell(label, LABEL_WIDTH, "bold")]
        for column in COLUMNS:
            if column.key in SUM_QUANTITIES:
                i, quantity = SUM_QUANTITIES[column.key]
                cell = number_cell(now[i], width + 1, before[i], bold=True)
                state = quantity_state(micro, quantity)
                cells.append(in_state(cell, state, number_cell_width(width, True)))
            elif column.key == "delta":
                cells.append(label_cell(caption, number_cell_width(width, True), "italic"))
            else:
                cells.append(blank)
        return GridRow(key, cells)

    def reveal_row(self, key: str) -> None:
        """Scroll ``key``'s row into view without moving the cursor (a long sequence's
        micro-step may be computing a row below the fold)."""
        self.reveal(key)

    # -- the cursor -----------------------------------------------------------------

    def _clamp(self, row: int, column: int) -> tuple[int, int]:
        """Never on the row labels: the explain panel reads a label as x_t, so a cursor
        starting there made the first shift+→ (onto x_t) look ignored."""
        row, column = super()._clamp(row, column)
        return row, max(column, 1) if len(self.columns) > 1 else column

    @property
    def cell_ref(self) -> CellRef | None:
        if self._shown is None or self.row_count == 0:
            return None
        key = self.row_key(self.cursor_row)
        timestep = int(key[1:]) if key[1:].isdigit() else None  # "t3"; not "total"
        row: RowKind = "timestep" if timestep is not None else "sum" if key == "sum" else "total"
        return CellRef(self._shown[2], timestep, row, self.columns[self.cursor_column].key)

    @on(GridTable.CellHighlighted)
    def _announce_cell(self, event: GridTable.CellHighlighted) -> None:
        cell = self.cell_ref
        if cell is not None:
            self.post_message(self.CellChanged(cell))
