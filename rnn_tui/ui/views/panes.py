"""The teaching views as panes of the main app's view switcher.

Each pane has ``show_trainer(trainer, sample)``, which the switcher calls on the
visible pane after every change of the run. The landscape and the gradients view
have that method themselves; the text panels scroll, so they get a container.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from rnn_tui.engine import (
    GRADIENT_SHARES,
    CellState,
    Explanation,
    MicroCursor,
    Trainer,
    explain,
    explain_loss,
    explain_prediction,
    explain_sample_sum,
    explain_total,
    explain_update,
)

from ..table.micro import cell_state, quantity_state
from ..table.unrolled import CellRef
from .explain import ExplainPanel
from .gradcheck import GradCheckPanel
from .lesson_guide import LessonGuidePanel
from .lessons import LessonsPanel

# The total gradient each per-timestep share column sums to (δ_t·x_t → dL/dwx).
TOTAL_OF = {share: total for total, share in GRADIENT_SHARES.items()}

# The micro-steps whose explanation comes after others (the prediction before the loss,
# the gradients before the update): the title the pane scrolls to.
FOCUS_OF_PHASE = {"loss": "loss", "update": "update of"}


def explained_quantity(cell: CellRef) -> str | None:
    """The micro-step quantity behind a sum-row cell (None on timestep rows)."""
    if cell.timestep is not None:
        return None
    if cell.column in TOTAL_OF:
        return TOTAL_OF[cell.column]
    return "prediction" if cell.row == "sum" else "loss"


def explanations_for_cell(trainer: Trainer, cell: CellRef) -> list[Explanation]:
    """The engine's equations behind one cell of the unrolled table.

    Timestep rows explain their cell (the ``t`` label explains ``x_t``). On the Σt row
    the two sums are this sequence's shares and the other cells its prediction; on the
    ΣnΣt row the sums are the gradients with the update they cause, the rest the loss.
    """
    trace = trainer.trace()
    if cell.timestep is not None:
        column = "x" if cell.column == "t" else cell.column
        return [explain(trace, column, cell.sample, cell.timestep)]
    quantity = explained_quantity(cell)
    if cell.row == "sum":
        if quantity in GRADIENT_SHARES:
            return [explain_sample_sum(trace, quantity, cell.sample)]
        return [explain_prediction(trace, cell.sample)]
    if quantity in GRADIENT_SHARES:
        return [explain_total(trace, quantity), explain_update(trainer, quantity[1:])]
    return [explain_loss(trace)]


def state_of(cell: CellRef, micro: MicroCursor | None) -> CellState:
    if cell.timestep is None:
        return quantity_state(micro, explained_quantity(cell))
    return cell_state(micro, "x" if cell.column == "t" else cell.column, cell.timestep)


class ExplainPane(VerticalScroll):
    """Explains the table's cell under the cursor, or what the last micro-step computed.

    The app calls :meth:`follow_cell` when the cursor moves and :meth:`follow_micro`
    after a micro-step; either way the numbers come from the trainer at redraw.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cell: CellRef | None = None
        self.micro: MicroCursor | None = None
        self.on_micro_step = False  # the last thing the student did was a micro-step
        self._scrolled_for: MicroCursor | None = None

    def compose(self) -> ComposeResult:
        yield ExplainPanel()

    def follow_cell(self, cell: CellRef | None) -> None:
        self.cell, self.on_micro_step = cell, False

    def follow_micro(self, micro: MicroCursor | None) -> None:
        if micro is not None and self.micro != micro:
            self.on_micro_step = True
        self.micro = micro
        if micro is None:
            self.on_micro_step = False

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        panel = self.query_one(ExplainPanel)
        micro, cell = self.micro, self.cell
        if micro is not None and self.on_micro_step:
            panel.show_micro_step(trainer, micro, sample)
            panel.placeholder = micro.describe()  # at the epoch's start: nothing computed
            self.border_title = f"Explain · {micro.describe().split(':')[0]} · e closes"
            if micro != self._scrolled_for:  # a new micro-step: show what it is about
                self._scrolled_for = micro
                self.call_after_refresh(self._bring_up, micro)
            return
        self.border_title = "Explain · the table's cell under the cursor · e closes"
        if cell is None:
            panel.show([])
        elif state_of(cell, micro) == "pending":
            panel.show([], "Not computed yet in this epoch: press . to get there.")
        else:
            panel.show(explanations_for_cell(trainer, cell))

    def _bring_up(self, micro: MicroCursor) -> None:
        """Scroll to what a micro-step is about: the loss and the update come after the
        prediction and the gradients, below the fold on a short screen."""
        focus = FOCUS_OF_PHASE.get(micro.step.phase) if micro.step is not None else None
        panel = self.query_one(ExplainPanel)
        line = None if focus is None else panel.first_line_of(focus, panel.content_size.width)
        self.scroll_to(y=line or 0, animate=False)


class GradCheckPane(VerticalScroll):
    """Runs the finite-difference check again whenever the weights or the data change."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._checked: tuple[object, ...] | None = None
        self.border_title = "Gradient check · BPTT against a numerical derivative · c closes"

    def compose(self) -> ComposeResult:
        yield GradCheckPanel()

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        where = (id(trainer.dataset), trainer.config.activation, trainer.epoch, trainer.weights)
        if where != self._checked:
            self._checked = where
            self.query_one(GradCheckPanel).run(trainer)


class LessonsPane(VerticalScroll):
    """The lesson guide's current step, then the presets and the one in use."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Lesson · > next step · < previous · 1-5 load a preset · n closes"

    def compose(self) -> ComposeResult:
        yield LessonGuidePanel()
        yield LessonsPanel()

    def advance(self, steps: int) -> None:
        """Show the lesson's next (or previous) step, from the top."""
        self.query_one(LessonGuidePanel).advance(steps)
        self.scroll_home(animate=False)

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        self.query_one(LessonsPanel).show(trainer)
