"""The gradient check: BPTT's gradients against the engine's numerical derivative,
with the engine's verdict (the CLI prints the same)."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from rnn_tui.engine import (
    VERDICT_GOOD,
    VERDICT_SMALL,
    VERDICT_WRONG,
    GradientCheck,
    Trainer,
    gradient_check,
)

VERDICT_STYLE = {VERDICT_GOOD: "bold green", VERDICT_WRONG: "bold red", VERDICT_SMALL: "bold"}


class GradCheckPanel(Widget):
    """``run(trainer)`` checks the gradients at the trainer's current weights."""

    DEFAULT_CSS = """
    GradCheckPanel { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.checks: tuple[GradientCheck, GradientCheck] | None = None
        self.where = ""

    def run(self, trainer: Trainer) -> tuple[GradientCheck, GradientCheck]:
        wx, wrec = trainer.weights
        data = trainer.dataset
        self.checks = gradient_check(wx, wrec, data.x, data.y, trainer.config.activation)
        self.where = f"epoch {trainer.epoch}, wx = {wx:.6g}, wrec = {wrec:.6g}"
        self.refresh(layout=True)
        return self.checks

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
