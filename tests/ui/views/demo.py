"""A test harness that shows every teaching view on one Trainer (not shipped).

    python -m tests.ui.views.demo [preset] [epochs]

l landscape, g gradients, e explain, c gradient check, n lesson; space / b move a
whole epoch, . / , move one micro-step; x, t, s pick the explained column,
timestep and sequence; 1-5 load a preset.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Footer

from rnn_tui.engine import COLUMNS, PRESETS, MicroCursor, Trainer, explain_update
from rnn_tui.ui.views import GradCheckPanel, GradientsView, LandscapeView, MicroStepBar
from rnn_tui.ui.views.explain import OUTSIDE_GRID, ExplainPanel
from rnn_tui.ui.views.lessons import LessonsPanel

VIEWS = {"l": "landscape", "g": "gradients", "e": "explain", "c": "gradcheck", "n": "lessons"}
TARGETS = (*COLUMNS, *OUTSIDE_GRID)  # what the x key cycles through


class ViewsDemo(App[None]):
    CSS = """
    MicroStepBar { dock: top; background: $panel; }
    #explain-scroll, #lessons-scroll, #gradcheck-scroll { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"view('{name}')", name.capitalize()) for key, name in VIEWS.items()),
        Binding("space", "epoch(1)", "Step", key_display="␣"),
        Binding("b", "epoch(-1)", "Back"),
        Binding("full_stop", "micro(1)", "Micro →", key_display="."),
        Binding("comma", "micro(-1)", "Micro ←", key_display=","),
        Binding("x", "pick('column')", "Column", show=False),
        Binding("t", "pick('t')", "Timestep", show=False),
        Binding("s", "pick('sample')", "Sequence", show=False),
        *(Binding(str(i), f"preset({i})", show=False) for i in range(1, len(PRESETS) + 1)),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, preset: str = "seed-linear", epochs: int = 0, view: str = "landscape"):
        super().__init__()
        self.trainer = Trainer(PRESETS[preset])
        self.trainer.step(epochs)
        self.start_view = view
        self.cursor: MicroCursor | None = None
        self.column, self.t, self.sample = "a", 2, 1

    def compose(self) -> ComposeResult:
        yield MicroStepBar()
        with ContentSwitcher(initial=f"{self.start_view}-view"):
            yield LandscapeView(id="landscape-view")
            yield GradientsView(id="gradients-view")
            with VerticalScroll(id="explain-view"):
                yield ExplainPanel()
            with VerticalScroll(id="gradcheck-view"):
                yield GradCheckPanel()
            with VerticalScroll(id="lessons-view"):
                yield LessonsPanel()
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_views()
        self.query_one(GradCheckPanel).run(self.trainer)
        if self.start_view == "landscape":
            self.query_one(LandscapeView).focus()

    def refresh_views(self) -> None:
        trainer = self.trainer
        self.query_one(MicroStepBar).show(self.cursor, trainer.epoch)
        self.query_one(LandscapeView).show(trainer)
        self.query_one(GradientsView).show(trainer)
        self.query_one(LessonsPanel).show(trainer)
        panel = self.query_one(ExplainPanel)
        if self.cursor is not None:
            panel.show_micro_step(trainer, self.cursor, self.sample)
        else:
            panel.show_cell(trainer, self.column, self.sample, self.t)

    def action_view(self, name: str) -> None:
        self.query_one(ContentSwitcher).current = f"{name}-view"
        if name == "gradcheck":
            self.query_one(GradCheckPanel).run(self.trainer)
        if name == "landscape":
            self.query_one(LandscapeView).focus()

    def action_epoch(self, n: int) -> None:
        self.cursor = None  # a whole epoch leaves micro-stepping
        self.trainer.step(n)
        self.refresh_views()

    def action_micro(self, direction: int) -> None:
        cursor = self.cursor or MicroCursor.start(self.trainer.dataset.t)
        cursor, moved = cursor.forward() if direction > 0 else cursor.backward(self.trainer.epoch)
        self.trainer.step(moved)
        self.cursor = cursor
        self.refresh_views()

    def action_pick(self, what: str) -> None:
        self.cursor = None
        if what == "column":
            self.column = TARGETS[(TARGETS.index(self.column) + 1) % len(TARGETS)]
        elif what == "t":
            self.t = self.t % self.trainer.dataset.t + 1
        else:
            self.sample = (self.sample + 1) % self.trainer.dataset.n
        self.refresh_views()
        self.action_view("explain")

    def action_preset(self, number: int) -> None:
        self.trainer = Trainer(list(PRESETS.values())[number - 1])
        self.cursor = None
        self.t = min(self.t, self.trainer.dataset.t)
        self.sample = min(self.sample, self.trainer.dataset.n - 1)
        self.refresh_views()

    def next_weights(self) -> tuple[float, float]:
        """What the explain panel says the update gives (tests compare with the trainer)."""
        return explain_update(self.trainer, "wx").value, explain_update(self.trainer, "wrec").value


def main() -> None:
    preset = sys.argv[1] if len(sys.argv) > 1 else "seed-linear"
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    ViewsDemo(preset, epochs).run()


if __name__ == "__main__":
    main()
