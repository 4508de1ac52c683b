"""The lesson guide: one step of the 45-minute lesson at a time, for the teacher.

What to press, what to say and what the class should see, from
:func:`rnn_tui.ui.lesson.lesson` (the same data as docs/lesson.md). The lesson's
numbers take about a second to compute, so the first showing computes them off the
UI thread.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ..lesson import Lesson, Step, lesson

CODE_STYLE = "bold"


def with_code(text: str) -> Text:
    """``text`` with its `code` spans set in :data:`CODE_STYLE` (our own data, not markup)."""
    out = Text()
    for i, part in enumerate(text.split("`")):
        out.append(part, style=CODE_STYLE if i % 2 else "")
    return out


def keys_text(step: Step) -> Text:
    if not step.press:
        return Text("nothing: talk, ask, point", style="dim")
    out = Text()
    for i, group in enumerate(step.press):
        if i:
            out.append(", ")
        out.append(group.before)
        out.append(group.shown, style=f"{CODE_STYLE} reverse")
        out.append(group.after)
    return out


def step_renderable(lesson: Lesson, index: int) -> RenderableType:
    """Step ``index`` (0-based) of ``lesson``: its section, keys, words and sights."""
    steps = lesson.steps
    section, step = steps[index]
    number = lesson.sections.index(section) + 1
    head = Text.assemble(
        (f"{number}. {section.title}", "bold"),
        (f" · {section.minutes} min · step {index + 1} of {len(steps)}", "dim"),
    )
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # a config string has no spaces
    grid.add_row("press", keys_text(step))
    grid.add_row("say", with_code(step.say))
    grid.add_row("see", with_code(step.see))
    return Group(head, grid)


class LessonGuidePanel(Static):
    """``advance(n)`` moves through the steps; ``index`` is the step shown."""

    DEFAULT_CSS = "LessonGuidePanel { height: auto; width: 1fr; padding: 0 1 1 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Computing the lesson's numbers …", id=id)
        self.lesson: Lesson | None = None
        self.index = 0

    def on_show(self) -> None:
        if self.lesson is not None:
            return
        if lesson.cache_info().currsize:  # computed already (by another app, or a test)
            self._computed(lesson())
        else:  # its result comes back as a message, so an app closing meanwhile is fine
            self.run_worker(lesson, thread=True, exclusive=True, group="lesson")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        result = event.worker.result
        if event.state is WorkerState.SUCCESS and isinstance(result, Lesson):
            self._computed(result)

    def _computed(self, computed: Lesson) -> None:
        self.lesson = computed
        self._draw()

    def advance(self, steps: int) -> None:
        if self.lesson is None:
            return
        self.index = max(0, min(self.index + steps, len(self.lesson.steps) - 1))
        self._draw()

    def _draw(self) -> None:
        if self.lesson is not None:
            self.update(step_renderable(self.lesson, self.index))
