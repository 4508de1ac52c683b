"""One epoch cut into the steps a student would do by hand.

For ``T`` timesteps an epoch is ``2T + 2`` micro-steps::

    forward t = 1..T    a_t, s_t
    loss                ŷ = s_T, error = ŷ − y, L
    backward t = T..1   f'(a_t), δ_t, δ_t·x_t, δ_t·s_{t-1}
    update              sum the last two columns into dL/dwx, dL/dwrec; new weights

(the rules themselves are in :mod:`rnn_tui.engine.quantities`).

All samples are computed together (the engine is vectorised), so a micro-step
computes a set of table *cells* ``(column, t)`` for every sample at once. A
:class:`MicroCursor` stands between micro-steps: position 0 is the start of an
epoch (only the inputs are known), position ``len(plan)`` is "update done".
Nothing is computed here; a view asks which cells to show, dim or highlight and
reads their numbers from the engine's :class:`~rnn_tui.engine.model.Trace`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from .quantities import (
    BACKWARD_COLUMNS,
    COLUMNS,
    FORWARD_COLUMNS,
    LOSS_QUANTITIES,
    QUANTITIES,
    UPDATE_QUANTITIES,
    Phase,
)

__all__ = ["COLUMNS", "Cell", "CellState", "MicroCursor", "MicroPlan", "MicroStep", "plan"]

CellState = Literal["done", "current", "pending"]
Cell = tuple[str, int]  # (column, t) with t = 1..T


@dataclass(frozen=True)
class MicroStep:
    index: int
    """1-based position in the epoch."""
    phase: Phase
    t: int
    """The timestep for forward/backward, 0 for loss and update."""
    title: str
    """What a student would say while doing it."""
    cells: frozenset[Cell]
    """Table cells computed at this step (for every sample)."""
    quantities: frozenset[str]
    """Quantities outside the grid: prediction/error/loss or dwx/dwrec/update."""


@dataclass(frozen=True)
class MicroPlan:
    """The ordered micro-steps of one epoch for ``T`` timesteps."""

    t: int
    steps: tuple[MicroStep, ...]

    def __len__(self) -> int:
        return len(self.steps)

    def step(self, position: int) -> MicroStep | None:
        """The micro-step that brought the cursor to ``position`` (None at 0)."""
        return self.steps[position - 1] if position > 0 else None

    def done(self, position: int) -> tuple[frozenset[Cell], frozenset[str]]:
        """Cells and quantities computed by the first ``position`` micro-steps."""
        return _done(self, position)


@cache
def _done(plan: MicroPlan, position: int) -> tuple[frozenset[Cell], frozenset[str]]:
    cells: set[Cell] = {("x", t) for t in range(1, plan.t + 1)}  # inputs are data
    quantities: set[str] = set()
    for step in plan.steps[:position]:
        cells |= step.cells
        quantities |= step.quantities
    return frozenset(cells), frozenset(quantities)


@cache
def plan(t: int) -> MicroPlan:
    """The micro-steps of one epoch over ``t`` timesteps."""
    if t < 1:
        raise ValueError(f"an epoch needs at least one timestep, got T = {t}")
    a, s, delta = QUANTITIES["a"], QUANTITIES["s"], QUANTITIES["delta"]
    error, loss = QUANTITIES["error"], QUANTITIES["loss"]
    raw: list[tuple[Phase, int, str, frozenset[Cell], frozenset[str]]] = []
    for k in range(1, t + 1):
        raw.append(
            (
                "forward",
                k,
                f"forward t = {k}: {a.rule_at(k, t)}, {s.rule_at(k, t)}",
                frozenset((c, k) for c in FORWARD_COLUMNS),
                frozenset(),
            )
        )
    raw.append(
        (
            "loss",
            0,
            f"loss: {error.rule_at()}, {loss.rule_at()}",
            frozenset(),
            frozenset(LOSS_QUANTITIES),
        )
    )
    for k in range(t, 0, -1):
        raw.append(
            (
                "backward",
                k,
                f"backward t = {k}: {delta.rule_at(k, t)}, then its shares of both gradients",
                frozenset((c, k) for c in BACKWARD_COLUMNS),
                frozenset(),
            )
        )
    raw.append(
        (
            "update",
            0,
            "update: sum the shares into dL/dwx, dL/dwrec and move both weights",
            frozenset(),
            frozenset(UPDATE_QUANTITIES),
        )
    )
    steps = tuple(
        MicroStep(i, phase, k, title, cells, quantities)
        for i, (phase, k, title, cells, quantities) in enumerate(raw, start=1)
    )
    return MicroPlan(t, steps)


@dataclass(frozen=True)
class MicroCursor:
    """Where a student stands inside the current epoch.

    ``forward``/``backward`` return the moved cursor and how many epochs the
    trainer must move with it (+1 past the update, -1 back before the start),
    so the caller does ``trainer.step(n)`` and keeps the engine the one source
    of numbers.
    """

    plan: MicroPlan
    position: int = 0

    @classmethod
    def start(cls, t: int) -> MicroCursor:
        return cls(plan(t), 0)

    @property
    def step(self) -> MicroStep | None:
        return self.plan.step(self.position)

    @property
    def at_end(self) -> bool:
        return self.position == len(self.plan)

    def forward(self) -> tuple[MicroCursor, int]:
        if self.at_end:
            return replace(self, position=0), 1
        return replace(self, position=self.position + 1), 0

    def backward(self, epoch: int) -> tuple[MicroCursor, int]:
        """One micro-step back; at the start of epoch 0 there is nowhere to go."""
        if self.position > 0:
            return replace(self, position=self.position - 1), 0
        if epoch == 0:
            return self, 0
        return replace(self, position=len(self.plan)), -1

    def cell_state(self, column: str, t: int) -> CellState:
        """done: show the number; current: computed by this micro-step (highlight);
        pending: not yet computed in this epoch (blank or dim)."""
        step = self.step
        if step is not None and (column, t) in step.cells:
            return "current"
        return "done" if (column, t) in self.plan.done(self.position)[0] else "pending"

    def quantity_state(self, name: str) -> CellState:
        step = self.step
        if step is not None and name in step.quantities:
            return "current"
        return "done" if name in self.plan.done(self.position)[1] else "pending"

    def describe(self) -> str:
        """A status line: which micro-step, and what it computed."""
        step = self.step
        total = len(self.plan)
        if step is None:
            return f"micro-step 0/{total}: start of the epoch, only the inputs x_t are known"
        return f"micro-step {step.index}/{total}: {step.title}"
