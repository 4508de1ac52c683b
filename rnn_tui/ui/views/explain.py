"""The explain panel: the equation behind a table cell, wrapped to the panel's width."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.text import Text
from textual.app import RenderResult

from rnn_tui.engine import (
    COLUMNS,
    FORWARD_COLUMNS,
    LOSS_QUANTITIES,
    QUANTITIES,
    UPDATE_QUANTITIES,
    Explanation,
    MicroCursor,
    Trainer,
    explain,
    explain_loss,
    explain_prediction,
    explain_total,
    explain_update,
)

from .fitted import FitsItsText

PLACEHOLDER = "Move to a cell of the table to see the equation behind it."

OUTSIDE_GRID: tuple[str, ...] = tuple(
    q for q in (*LOSS_QUANTITIES, *UPDATE_QUANTITIES) if q != "error"
)
"""The quantities outside the timestep grid the panel explains (the prediction's
explanation includes its error)."""

BACKWARD_EXPLAINED = ("delta", "fprime")
"""A backward micro-step explains δ_t and the slope it multiplies by; its shares
δ_t·x_t and δ_t·s_{t-1} are one product each, read in the table."""


def explanations_for(
    trainer: Trainer, column: str, sample: int = 0, t: int = 1
) -> list[Explanation]:
    """What to show for a table column (per cell) or a quantity (totals, update)."""
    trace = trainer.trace()
    if column in COLUMNS:
        return [explain(trace, column, sample, t)]
    if column in ("prediction", "error"):
        return [explain_prediction(trace, sample)]
    if column == "loss":
        return [explain_loss(trace)]
    if column == "update":
        return [explain_update(trainer, "wx"), explain_update(trainer, "wrec")]
    if column in QUANTITIES and QUANTITIES[column].gradient:  # dL/dwx, dL/dwrec
        return [explain_total(trace, column)]
    raise ValueError(f"nothing to explain for {column!r}")


def explanations_for_micro_step(
    trainer: Trainer, cursor: MicroCursor, sample: int = 0
) -> list[Explanation]:
    """The equations of whatever the current micro-step computed."""
    step = cursor.step
    if step is None:
        return []
    if step.phase in ("forward", "backward"):
        columns = FORWARD_COLUMNS if step.phase == "forward" else BACKWARD_EXPLAINED
        return [explain(trainer.trace(), c, sample, step.t) for c in columns]
    computed = [q for q in OUTSIDE_GRID if q in step.quantities]
    return [e for q in computed for e in explanations_for(trainer, q, sample)]


class ExplainPanel(FitsItsText):
    """``show_cell(trainer, column, sample, t)`` or ``show_micro_step(trainer, cursor)``."""

    DEFAULT_CSS = """
    ExplainPanel { height: auto; min-height: 4; width: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.explanations: list[Explanation] = []
        self.placeholder = PLACEHOLDER

    def show(self, explanations: Sequence[Explanation], placeholder: str = "") -> None:
        """``placeholder`` is said instead when there is nothing to explain."""
        self.explanations = list(explanations)
        self.placeholder = placeholder or PLACEHOLDER
        self.refit()

    def show_cell(self, trainer: Trainer, column: str, sample: int = 0, t: int = 1) -> None:
        """Explain one cell of the unrolled table (``sample`` 0-based, ``t`` = 1..T)."""
        self.show(explanations_for(trainer, column, sample, t))

    def show_micro_step(self, trainer: Trainer, cursor: MicroCursor, sample: int = 0) -> None:
        self.show(explanations_for_micro_step(trainer, cursor, sample))

    def lines(self, width: int) -> list[str]:
        """The numbers first, the words after: every title and equation (the total, the
        update it causes) fits at the top of a short panel; the reasons follow below."""
        if not self.explanations:
            return textwrap.wrap(self.placeholder, width)
        out: list[str] = []
        for explanation in self.explanations:
            out.extend(textwrap.wrap(explanation.title, width))
            for equation in explanation.equations:
                out.extend(equation.lines(width))
        for explanation in self.explanations:
            out.append("")
            if len(self.explanations) > 1:
                out.append(f"{explanation.title}:")
            out.extend(textwrap.wrap(explanation.why, width))
            if explanation.notebook:
                notebook = f"notebook: {explanation.notebook}"
                out.extend(textwrap.wrap(notebook, width, subsequent_indent="  "))
        return out

    def first_line_of(self, title_start: str, width: int) -> int | None:
        """The line of the first title starting with ``title_start`` (None: no such title),
        in the order :meth:`lines` writes them."""
        titles = {e.title for e in self.explanations if e.title.startswith(title_start)}
        return next((i for i, line in enumerate(self.lines(width)) if line in titles), None)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.lines(max(10, width)))

    def render(self) -> RenderResult:
        width = max(10, self.content_size.width)
        titles = {e.title for e in self.explanations} | {f"{e.title}:" for e in self.explanations}
        text = Text()
        for i, line in enumerate(self.lines(width)):
            if i:
                text.append("\n")
            text.append(line, style="bold" if line in titles else "")
        return text
