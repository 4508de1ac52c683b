"""The status line at the top: preset, epoch, loss, weights and run state, and
the line of notices under it (what the last action did, or why a run stopped)."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget
from textual.widgets import Static

from rnn_tui.engine import MicroCursor

from ..controller import NoticeKind
from ..formatting import fmt_count, fmt_rate
from ..runner import Mode, Runner, nominal_rate
from .line import FEWER_DIGITS, RunState, StatusFacts, status_line
from .one_line import OneLineText, SpanStyles


def run_state(
    diverged: bool,
    converged: bool,
    runner: Runner,
    stalled: bool = False,
    computed_to: int | None = None,
) -> RunState:
    """``computed_to``: the latest epoch computed, when the cursor stands behind it."""
    if diverged:
        return RunState("✗", "diverged", "bold red")
    if runner.mode is Mode.SEEKING:
        goal = f"to epoch {fmt_count(runner.goal or 0)}"
        return RunState("»", f"running {runner.describe()}", "bold green", goal)
    if runner.mode is Mode.RUNNING:
        rate = runner.epochs_per_second
        if not rate:  # not measured yet: say what was asked for
            return RunState("▶", f"running {runner.describe()}", "bold green", "running")
        measured = f"{fmt_rate(rate)} epochs/s"
        return RunState("▶", f"running {runner.describe()} · {measured}", "bold green", measured)
    if converged:
        return RunState("✓", "converged", "bold cyan")
    if stalled:  # the engine's word: gradient ~0 but the loss above its floor
        return RunState("■", "stalled", "bold yellow")
    if computed_to is not None:
        ahead = f"computed to {fmt_count(computed_to)}"
        return RunState("‖", f"paused · {ahead} (end)", "bold yellow", ahead)
    # Short: the speed as the rate it runs at (at most: frames can come late).
    nominal = f"paused · {fmt_rate(nominal_rate(runner.speed))}/s"
    return RunState("‖", f"paused · speed {runner.describe()}", "bold yellow", nominal)


def micro_state(cursor: MicroCursor) -> RunState:
    """Micro-stepping: which step of the epoch, and its phase."""
    step = cursor.step
    phase = "start" if step is None else step.phase
    where = f" t = {step.t}" if step is not None and step.t else ""
    position = f"micro-step {cursor.position}/{len(cursor.plan)}"
    return RunState("◦", f"{position} · {phase}{where}", "bold magenta", position)


class OneLineWidget(Widget):
    """A widget whose render() is one line of Rich text, drawn through
    :class:`~.one_line.OneLineText`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._span_styles: SpanStyles = {}

    def one_line(self, text: Text) -> OneLineText:
        return OneLineText(text, self.app.console, self.app.ansi_theme, self._span_styles)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._span_styles.clear()  # the theme may have changed what a style name means


class StatusBar(OneLineWidget):
    """One line, always: :func:`~.line.status_line` picks what fits the width."""

    DEFAULT_CSS = "StatusBar { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.facts: StatusFacts | None = None
        self.fewer_digits = False  # projector mode: start from a layout with fewer digits

    def show(self, facts: StatusFacts) -> None:
        if facts != self.facts:
            self.facts = facts
            self.refresh()  # one line whatever it says: never a relayout

    def line(self, width: int) -> Text:
        if self.facts is None:
            return Text()
        return status_line(self.facts, width, FEWER_DIGITS if self.fewer_digits else 0)

    def render(self) -> RenderResult:
        return self.one_line(self.line(self.content_size.width))

    @property
    def shown(self) -> str:
        """The line as the screen shows it at the widget's width."""
        return self.line(self.content_size.width).plain

    @property
    def plain(self) -> str:
        """Every fact, as the widest layout writes them (whatever the width)."""
        return self.line(10**6).plain


class TextLine(OneLineWidget):
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
        return self.one_line(self._text)


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
