"""The status line at the top: preset, epoch, loss, weights and run state, and
the line of notices under it (what the last action did, or why a run stopped)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from rnn_tui.engine import MicroCursor

from ..controller import NoticeKind
from ..formatting import fmt_count, fmt_short
from ..runner import Mode, Runner


@dataclass(frozen=True)
class RunState:
    """The run state in words and a glyph that reads without colour."""

    glyph: str
    words: str
    style: str


def run_state(diverged: bool, converged: bool, runner: Runner, stalled: bool = False) -> RunState:
    if diverged:
        return RunState("✗", "diverged", "bold red")
    if runner.mode is Mode.SEEKING:
        return RunState("»", f"running {runner.describe()}", "bold green")
    if runner.mode is Mode.RUNNING:
        rate = (
            f" · {fmt_count(round(runner.epochs_per_second))} epochs/s"
            if runner.epochs_per_second
            else ""
        )
        return RunState("▶", f"running {runner.describe()}{rate}", "bold green")
    if converged:
        return RunState("✓", "converged", "bold cyan")
    if stalled:  # the engine's word: gradient ~0 but the loss above its floor
        return RunState("■", "stalled", "bold yellow")
    return RunState("‖", f"paused · speed {runner.describe()}", "bold yellow")


def micro_state(cursor: MicroCursor) -> RunState:
    """Micro-stepping: which step of the epoch, and its phase."""
    step = cursor.step
    phase = "start" if step is None else step.phase
    where = f" t = {step.t}" if step is not None and step.t else ""
    words = f"micro-step {cursor.position}/{len(cursor.plan)} · {phase}{where}"
    return RunState("◦", words, "bold magenta")


@dataclass(frozen=True)
class StatusFacts:
    """Everything the status line says, read from the trainer by the app."""

    preset: str
    epoch: int
    target: int
    head: int
    loss: float
    wx: float
    wrec: float
    state: RunState
    classroom: str = ""  # following / exploring / the class's counts, in class mode


def status_chunks(facts: StatusFacts) -> list[Text]:
    """The status line as pieces that are never split across lines."""

    # Numbers are padded to a steady width so the line neither jitters nor flips
    # between one and two lines (a costly relayout) as digits come and go.
    def field(label: str, value: str, width: int = 0) -> Text:
        return Text.assemble((f"{label} ", "dim"), (value.ljust(width), "bold"))

    target = fmt_count(facts.target)
    epoch = f"{fmt_count(facts.epoch)} / {target}"
    if facts.head > facts.epoch:
        epoch += f" (computed to {fmt_count(facts.head)})"
    return [
        Text(f" {facts.preset} ", style="bold reverse"),
        field("epoch", epoch, 2 * len(target) + 3),
        field("loss", fmt_short(facts.loss, 6), 11),
        field("wx", fmt_short(facts.wx, 8), 11),
        field("wrec", fmt_short(facts.wrec, 8), 11),
        Text(f"{facts.state.glyph} {facts.state.words}", style=facts.state.style),
        *([Text(f"◈ {facts.classroom}", style="bold blue")] if facts.classroom else []),
    ]


def pack(chunks: list[Text], width: int, gap: str = "  ") -> Text:
    """Lay chunks out left to right, starting a new line where the next one would not fit."""
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    column = 0
    for chunk in chunks:
        length = chunk.cell_len
        if column and column + len(gap) + length > width:
            text.append("\n")
            column = 0
        elif column:
            text.append(gap)
            column += len(gap)
        text.append_text(chunk)
        column += length
    return text


class StatusBar(Widget):
    DEFAULT_CSS = "StatusBar { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._chunks: list[Text] = []

    def show(self, facts: StatusFacts) -> None:
        lines_before = self._line_count(self.size.width)
        self._chunks = status_chunks(facts)
        # A relayout of the whole screen is costly: only when the height changes.
        self.refresh(layout=self._line_count(self.size.width) != lines_before)

    def _line_count(self, width: int) -> int:
        return len(pack(self._chunks, max(width, 1)).plain.split("\n"))

    def render(self) -> RenderResult:
        return pack(self._chunks, max(self.size.width, 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._line_count(width)

    @property
    def plain(self) -> str:
        return " ".join(chunk.plain for chunk in self._chunks)


class TextLine(Widget):
    """One line of text that redraws without relayout (Static.update always relayouts)."""

    DEFAULT_CSS = "TextLine { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(self, text: Text) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    @property
    def plain(self) -> str:
        return self._text.plain

    def render(self) -> RenderResult:
        return self._text


class NoticeLine(Static):
    """One short message at a time; an error stays until something else happens."""

    def say(self, message: str, kind: NoticeKind = "info") -> None:
        if (message, kind) == (str(self.content), self._kind):
            return
        self._kind = kind
        self.set_classes(f"-{kind}")
        self.update(Text(message))
        self.display = bool(message)

    _kind = ""
