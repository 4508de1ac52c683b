"""The columns of the unrolled table (from the engine's quantity registry), the rows
after the timesteps, and the marks the table draws, with the help the help screen shows."""

from __future__ import annotations

from rnn_tui.engine import COLUMNS as COLUMN_KEYS
from rnn_tui.engine import QUANTITIES, Quantity

# The engine's registry says what each column holds, its heading, its help and
# whether it is a gradient (coloured and marked by magnitude).
COLUMNS: tuple[Quantity, ...] = tuple(QUANTITIES[key] for key in COLUMN_KEYS)

# Rows after the timesteps: the sums that make the two gradients.
SAMPLE_SUM_LABEL = "Σt"
TOTAL_LABEL = "ΣnΣt"
ROW_HELP: tuple[tuple[str, str], ...] = (
    ("1..T", "one row per timestep of the selected sample (sequence)"),
    (SAMPLE_SUM_LABEL, "sum over t for this sample: its share of dL/dwx and dL/dwrec"),
    (TOTAL_LABEL, "sum over every sample and timestep: the gradients dL/dwx and dL/dwrec"),
)

MARK_UP = "▲"
MARK_DOWN = "▼"
CHANGE_HELP = f"{MARK_UP} / {MARK_DOWN}: the value went up / down since the previous epoch"
MAGNITUDE_HELP = (
    "█ ▆ ▃ ▁ before a gradient: its size against the largest in its column "
    "(≥ 1/10, ≥ 1/100, ≥ 1/10 000, smaller); also coloured when colour is on"
)
