"""The gradient check: BPTT's gradients against the engine's numerical derivative,
with the engine's verdict (the CLI prints the same). On a big dataset the check runs
in a thread, the last one staying on screen until it is done."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.worker import Worker

from rnn_tui.engine import (
    VERDICT_GOOD,
    VERDICT_SMALL,
    VERDICT_WRONG,
    GradientCheck,
    Trainer,
    gradient_check,
)

from .background import LatestJob
from .fitted import FitsItsText

VERDICT_STYLE = {VERDICT_GOOD: "bold green", VERDICT_WRONG: "bold red", VERDICT_SMALL: "bold"}
# Dataset cells (samples x steps) above which the check runs in a thread: ~10 ms here
# (a forward and backward pass plus four forward passes over every sequence).
THREAD_CELLS = 15_000

Checks = tuple[GradientCheck, GradientCheck]


class GradCheckPanel(FitsItsText):
    """``run(trainer)`` checks the gradients at the trainer's current weights."""

    DEFAULT_CSS = """
    GradCheckPanel { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.checks: Checks | None = None
        self.where = ""
        self._jobs = LatestJob(self, "gradcheck")

    def run(self, trainer: Trainer) -> None:
        """Check at ``trainer``'s weights: now, or in a thread on a big dataset."""
        wx, wrec = trainer.weights
        data, activation = trainer.dataset, trainer.config.activation
        where = f"epoch {trainer.epoch}, wx = {wx:.6g}, wrec = {wrec:.6g}"

        def check() -> tuple[str, Checks]:
            return where, gradient_check(wx, wrec, data.x, data.y, activation)

        if data.x.size <= THREAD_CELLS:
            self._show(check())
        else:
            self._jobs.run(check, self._show)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self._jobs.finished(event)

    def _show(self, result: tuple[str, Checks]) -> None:
        self.where, self.checks = result
        self.refit()

    def render(self) -> RenderResult:
        text = Text()
        text.append("Gradient check", style="bold")
        if self.checks is None:
            text.append("\nPress the check key to compare BPTT with a numerical derivative.")
            return text
        text.append(f" at {self.where}\n")
        text.append(f"numerical: {self.checks[0].method}, {self.checks[0].formula}\n\n")
        text.append(f"{'':9}{'BPTT':>14}{'numerical':>14}{'rel. error':>11}  verdict\n")
        for check in self.checks:
            text.append(
                f"{'dL/d' + check.name:9}{check.analytic:>14.6g}{check.numerical:>14.6g}"
                f"{check.relative_error:>11.1e}  "
            )
            text.append(check.verdict, style=VERDICT_STYLE.get(check.verdict, "bold yellow"))
            text.append("\n")
        text.append(
            "\nrel. error = |a − n| / max(|a|, |n|). good: ≤ 1e-7, or within what rounding "
            "alone can cause at these weights; too small to check: the gradient itself is at "
            "rounding level; suspect: ≤ 1e-2; wrong: beyond that, the backward pass is wrong. "
            "cannot check: a relu kink within h, or numbers too large to bound."
        )
        return text
