"""A one-line bar: where a micro-stepping student stands inside the epoch."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from rnn_tui.engine import MicroCursor

PHASE_MARK = {"forward": "→", "loss": "L", "backward": "←", "update": "w"}


class MicroStepBar(Widget):
    """``show(cursor, epoch)``: a strip of the epoch's micro-steps and what this one did."""

    DEFAULT_CSS = """
    MicroStepBar { height: 2; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.cursor: MicroCursor | None = None
        self.epoch = 0

    def show(self, cursor: MicroCursor | None, epoch: int) -> None:
        self.cursor, self.epoch = cursor, epoch
        self.refresh()

    def follow(self, cursor: MicroCursor | None, epoch: int) -> None:
        """Shown only while micro-stepping; redrawn only when the cursor moved."""
        if self.display != (cursor is not None):
            self.display = cursor is not None
        if cursor is not None and (self.cursor, self.epoch) != (cursor, epoch):
            self.show(cursor, epoch)

    def render(self) -> RenderResult:
        cursor = self.cursor
        text = Text(no_wrap=True, overflow="ellipsis")
        if cursor is None:
            return text.append("whole epochs (press . to step inside one)")
        text.append(f"epoch {self.epoch} ")
        for step in cursor.plan.steps:
            if step.index == cursor.position:
                style = "bold reverse"
            else:
                style = "bold" if step.index < cursor.position else "dim"
            text.append(PHASE_MARK[step.phase], style=style)
        return text.append("\n" + cursor.describe())
