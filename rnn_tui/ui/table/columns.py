"""The columns of the unrolled table: which Trace array each one shows, its
heading and what it means. The help screen reads the same list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str  # the attribute of rnn_tui.engine.Trace that holds the values
    heading: str
    help: str
    gradient: bool = False  # coloured and marked by magnitude


COLUMNS: tuple[Column, ...] = (
    Column("x", "x_t", "the input at timestep t"),
    Column("a", "a_t", "pre-activation: a_t = x_t·wx + s_(t-1)·wrec"),
    Column("s", "s_t", "state: s_t = f(a_t); the last step is linear, so s_T = a_T = prediction"),
    Column("fprime", "f'(a_t)", "slope of the activation at a_t (1 at t = T, the linear output)"),
    Column(
        "delta",
        "δ_t",
        "dL/da_t: δ_T = 2(prediction − target)/N, then δ_t = δ_(t+1)·wrec·f'(a_t) going back",
        gradient=True,
    ),
    Column("delta_x", "δ_t·x_t", "this timestep's share of dL/dwx", gradient=True),
    Column("delta_s_prev", "δ_t·s_t-1", "this timestep's share of dL/dwrec", gradient=True),
)

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
