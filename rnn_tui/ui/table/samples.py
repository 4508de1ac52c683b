"""All samples at a glance: each sequence's target, prediction and its share of
the two gradients. Shown for small datasets (the notebook's three fit easily)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import on
from textual.message import Message

from rnn_tui.engine import MicroCursor, Trace

from .cells import label_cell, number_cell, number_cell_width
from .grid import GridColumn, GridRow, GridTable
from .micro import in_state, quantity_state
from .trace_table import TraceTable

MAX_SAMPLES_SHOWN = 50  # "small data": beyond this the compact view is hidden
MAX_SEQUENCE_WIDTH = 16
INDEX_WIDTH = 4

# (key, heading, help) of the number columns; values come from the Trace.
SAMPLE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("target", "target", "what the network should output"),
    ("prediction", "predict", "what it outputs: s_T"),
    ("rounded", "round", "the prediction rounded to a whole number (the notebook's reading)"),
    ("error", "error", "prediction − target"),
    ("sample_dwx", "Σt δ·x", "this sample's share of dL/dwx"),
    ("sample_dwrec", "Σt δ·s", "this sample's share of dL/dwrec"),
)
# The micro-step quantity each column waits for (None: data, known from the start).
QUANTITY_OF: dict[str, str | None] = {
    "target": None,
    "prediction": "prediction",
    "rounded": "prediction",
    "error": "error",
    "sample_dwx": "dwx",
    "sample_dwrec": "dwrec",
}


def sequence_text(x: np.ndarray) -> str | None:
    """A sequence of small whole numbers as digits ("110"); None when it would not read."""
    if x.size > MAX_SEQUENCE_WIDTH or not np.all((x >= 0) & (x <= 9) & (x == np.round(x))):
        return None
    return "".join(str(int(v)) for v in x)


def shows_all_samples(trace: Trace) -> bool:
    return trace.n <= MAX_SAMPLES_SHOWN


class SamplesTable(TraceTable):
    NUMBER_COLUMNS = len(SAMPLE_COLUMNS)
    FIXED_WIDTH = INDEX_WIDTH + MAX_SEQUENCE_WIDTH // 2 + 2 * len(SAMPLE_COLUMNS)

    @dataclass
    class SampleChosen(Message):
        sample: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")

    def _values(self, trace: Trace, key: str) -> np.ndarray:
        if key == "rounded":
            return np.round(trace.prediction)
        values: np.ndarray = getattr(trace, key)
        return values

    def draw(
        self, trace: Trace, previous: Trace | None, selected: int, micro: MicroCursor | None
    ) -> None:
        if not shows_all_samples(trace):
            self.show_grid([], [])
            return
        width = self.number_width
        sequences = [sequence_text(trace.x[n]) for n in range(trace.n)]
        sequence_width = max((len(s) for s in sequences if s), default=0)
        columns = [GridColumn("n", "n", INDEX_WIDTH)]
        if sequence_width and all(sequences):
            sequence_width = max(sequence_width, 1) + 1
            columns.append(GridColumn("x", "x", max(sequence_width, 2)))
        columns += [
            GridColumn(key, heading, number_cell_width(width, False))
            for key, heading, _ in SAMPLE_COLUMNS
        ]
        values = {key: self._values(trace, key) for key, _, _ in SAMPLE_COLUMNS}
        before = None if previous is None else {k: self._values(previous, k) for k in values}
        rows = []
        for n in range(trace.n):
            marker = "▸" if n == selected else " "
            cells: list[Text] = [label_cell(f"{marker}{n + 1}", INDEX_WIDTH, "bold")]
            if len(columns) > len(SAMPLE_COLUMNS) + 1:
                cells.append(label_cell(sequences[n] or "", columns[1].width))
            for key, _, _ in SAMPLE_COLUMNS:
                old = None if before is None else float(before[key][n])
                whole = key == "rounded"
                cell = number_cell(float(values[key][n]), width, old, whole=whole)
                state = quantity_state(micro, QUANTITY_OF[key])
                cells.append(in_state(cell, state, number_cell_width(width, False)))
            rows.append(GridRow(f"n{n}", cells))
        self.show_grid(columns, rows)
        if self.cursor_row != selected:
            self.move_cursor(row=selected)

    @on(GridTable.RowSelected)
    def _choose(self, event: GridTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.SampleChosen(event.cursor_row))
