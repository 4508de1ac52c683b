"""A one-line bar: where a micro-stepping student stands inside the epoch."""

from __future__ import annotations

from itertools import groupby

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from rnn_tui.engine import MicroCursor

PHASE_MARK = {"forward": "→", "loss": "L", "backward": "←", "update": "w"}
MOST_PER_PHASE = 12  # marks per phase: a 30-step sequence still leaves room for words


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
        text.append_text(strip(cursor))
        # The second line has the whole width for what the step computed; a head it
        # cannot hold ("forward t = 3:") moves up after the strip, in place of the
        # position (which the status line says too). At 80 columns no word is lost.
        width = self.content_size.width
        position, _, computed = cursor.describe().partition(": ")
        head, _, rest = computed.partition(": ")
        if len(computed) <= width or not rest:
            head, rest = "", computed
        else:
            head += ":"
        shown = head or position
        if text.cell_len + 2 + len(shown) <= width:
            text.append(f"  {shown}", style="" if head else "dim")
        return text.append("\n" + rest)


def strip(cursor: MicroCursor, most: int = MOST_PER_PHASE) -> Text:
    """→→→L←←←w: the epoch's micro-steps, the current one reversed. Long sequences
    show each phase in at most ``most`` marks, each standing for a few steps."""
    text = Text()
    steps = cursor.plan.steps
    runs = [list(group) for _, group in groupby(steps, key=lambda step: step.phase)]
    for run in runs:
        size = -(-len(run) // most)  # steps per mark
        for first in range(0, len(run), size):
            marks = run[first : first + size]
            last = marks[-1].index
            if marks[0].index <= cursor.position <= last:
                style = "bold reverse"
            else:
                style = "bold" if last < cursor.position else "dim"
            text.append(PHASE_MARK[marks[0].phase], style=style)
    return text
