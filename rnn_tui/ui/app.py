"""The rnn-tui app: one screen over a run.

The rules of the run live in a :class:`~rnn_tui.ui.controller.RunController`;
the App lays the screen out, turns keys into commands for it, draws its state
and does the I/O (files, the clipboard). Every change ends in one coalesced
:class:`Redraw`, so a burst of keys costs one repaint.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from rnn_tui.engine import PRESETS, Config, MicroCursor, Trainer

from . import commands as cmd
from .centre import CentreColumn
from .charts.panel import ChartsView
from .class_actions import ClassActions
from .collector import QuietCollector
from .controller import Outcome, RunController
from .footer import KeyFooter
from .keys import BINDINGS, KEYS, palette_commands
from .layout import breakpoint_classes, set_layout_classes
from .params.panel import ParameterPanel
from .partial_screen import PartialScreen
from .projector import Projector
from .runner import CHART_EVERY, FRAMES_PER_SECOND, Runner
from .screens.help import help_screen
from .status.bar import NoticeLine, StatusBar
from .summary import status_facts
from .switcher import VIEW_TITLES, ViewSwitcher
from .table.samples import SamplesTable
from .table.unrolled import UnrolledTable
from .terminal_watch import watch_terminal
from .view_names import BIG_VIEWS, HOME_VIEW, TEACHING_VIEWS
from .views import GradientsView, LandscapeView, MicroStepBar
from .views.panes import ExplainPane, GradCheckPane, LessonsPane

# Actions that only make sense in one view: action name -> view.
VIEW_KEYS = {key.action.split("(")[0]: key.view for key in KEYS if key.view}


@dataclass
class Redraw(Message):
    """Something about the run changed; several pending redraws are one."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Redraw)


class RnnTuiApp(ClassActions):
    CSS_PATH = "app.tcss"
    TITLE = "rnn-tui"
    BINDINGS: ClassVar[list[BindingType]] = [
        *BINDINGS,
        Binding("escape", "leave_parameters", show=False),
    ]
    # Textual declares the breakpoints as instance attributes, so no ClassVar here.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (110, "-medium"),
        (170, "-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012

    show_samples: reactive[bool] = reactive(True, init=False)

    def __init__(
        self,
        config: Config,
        preset: str | None = None,
        projector: bool = False,
        runner: Runner | None = None,
    ) -> None:
        super().__init__()
        self.controller = RunController(config, preset, runner)
        self.projector = Projector(self)
        self.projector.set(projector)
        self._frame_timer: Timer | None = None
        self.collector = QuietCollector()
        self._frames_run = 0

    # The run as the controller holds it (read-only, for the widgets and the tests).

    @property
    def trainer(self) -> Trainer:
        return self.controller.trainer

    @property
    def runner(self) -> Runner:
        return self.controller.runner

    @property
    def sample(self) -> int:
        return self.controller.sample

    @property
    def preset(self) -> str | None:
        return self.controller.preset

    @property
    def micro(self) -> MicroCursor | None:
        return self.controller.micro

    # -- layout ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return PartialScreen(id="_default")

    def compose(self) -> ComposeResult:
        # Textual sets the breakpoint classes on the screen's first Resize, which can
        # come after the first frame (drawn in the wide layout); set before the widgets
        # mount, they are styled once, for this size.
        layout = breakpoint_classes(
            self.size, self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS
        )
        self.screen.update_classes(layout, update=False)
        yield StatusBar(id="status")
        yield NoticeLine(id="notice")
        yield MicroStepBar(id="microbar")
        with Horizontal(id="body"):
            narrow = layout["-narrow"]  # the panel hidden: its fields made when asked for
            yield ParameterPanel(self.controller, apply=self.apply_parameter, deferred=narrow)
            with Container(id="main"):
                yield CentreColumn(id="centre")
                with ViewSwitcher(initial=HOME_VIEW, id="views"):
                    yield ChartsView(id=HOME_VIEW)
                    yield ExplainPane(id="explain")
                    for view in (LandscapeView(id="landscape"), GradientsView(id="gradients")):
                        view.border_title = VIEW_TITLES[str(view.id)]
                        yield view
                    yield GradCheckPane(id="gradcheck")
                    yield LessonsPane(id="lessons")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(StatusBar).fewer_digits = self.projector.on
        self._frame_timer = self.set_interval(1 / FRAMES_PER_SECOND, self._frame, pause=True)
        self.query_one(UnrolledTable).focus()
        self.start_class()
        self.redraw()
        self.call_after_refresh(self._quiet_collector)

    def _quiet_collector(self) -> None:
        if self.is_running:  # not when the app quit before its first frame
            self.collector.start()

    def on_unmount(self) -> None:
        self.collector.stop()

    # -- commands -------------------------------------------------------------------

    def do(self, command: cmd.Command) -> Outcome:
        """Hand ``command`` to the run controller, then show what it did."""
        if (refused := self.class_refusal()) is not None:  # following the class
            return self.show_outcome(self.controller.say(refused.text, refused.kind))
        return self.show_outcome(self.controller.handle(command))

    def show_outcome(self, outcome: Outcome) -> Outcome:
        if self._frame_timer is not None:  # the timer runs exactly while the run does
            (self._frame_timer.resume if self.controller.running else self._frame_timer.pause)()
        panel = self.query_one(ParameterPanel)
        if outcome.refused_field:
            panel.refuse(outcome.refused_field, outcome.refusal)
        if outcome.config_changed:
            panel.show_config()
        if outcome.restarted and outcome.config_changed:  # a new run: the table from its top
            self.focus_table(top=True)
        self.post_message(Redraw())
        return outcome

    def _frame(self) -> None:
        """One frame of a run: compute within the budget, then draw once."""
        if not self.is_running:  # a tick during shutdown, its screens already closed
            return
        self.controller.handle(cmd.Tick())
        self._frames_run += 1
        running = self.controller.running
        if not running and self._frame_timer is not None:
            self._frame_timer.pause()
        # Plotting costs more than the table: while running, charts get every third frame.
        self.redraw(views=not running or self._frames_run % CHART_EVERY == 0)
        self.call_after_refresh(self.controller.runner.drawn)  # sizes the next frame's budget

    def action_step(self, epochs: int) -> None:
        self.do(cmd.Step(epochs))

    def action_micro(self, direction: int) -> None:
        self.do(cmd.Micro(direction))

    def action_goto_start(self) -> None:
        self.do(cmd.GoStart())

    def action_goto_head(self) -> None:
        self.do(cmd.GoHead())

    def action_toggle_run(self) -> None:
        self.do(cmd.ToggleRun())

    def action_run_to_target(self) -> None:
        self.do(cmd.RunToTarget())

    def action_speed(self, steps: int) -> None:
        self.do(cmd.Speed(steps))

    def action_sample(self, steps: int) -> None:
        self.do(self.controller.next_sample(steps))

    @on(SamplesTable.SampleChosen)
    def _choose_sample(self, event: SamplesTable.SampleChosen) -> None:
        self.do(cmd.SelectSample(event.sample))

    def action_view(self, name: str) -> None:
        """Open a teaching view in the charts' place, or go back to the charts."""
        self.do(self.controller.toggled_view(name))

    # -- drawing --------------------------------------------------------------------

    @on(Redraw)
    def _redraw_requested(self) -> None:
        self.redraw()

    def redraw(self, views: bool = True) -> None:
        """Show the controller's run everywhere (``views=False``: not the charts)."""
        run = self.controller
        current = self.trainer.trace()
        sample, micro, previous = run.sample, run.micro, run.previous_trace()
        self.query_one(StatusBar).show(status_facts(run, self.class_words()))
        self.query_one(MicroStepBar).follow(micro, self.trainer.epoch)
        self.query_one(CentreColumn).show(
            current, previous, sample, micro, self.show_samples, run.preset_label
        )
        self._show_view()
        if views:
            self.query_one(ExplainPane).follow_micro(micro)
            self.query_one(ViewSwitcher).show_trainer(self.trainer, sample)
        self.query_one(NoticeLine).say(run.shown_notice.text, run.shown_notice.kind)
        self.class_redrawn()

    def _show_view(self) -> None:
        switcher, current = self.query_one(ViewSwitcher), self.controller.view
        if switcher.current == current:
            return
        before = switcher.current
        switcher.current = current
        views = {f"-view-{view}": current == view for view in TEACHING_VIEWS}
        set_layout_classes(self.query_one("#main"), {**views, "-big-view": current in BIG_VIEWS})
        if {before, current} & set(VIEW_KEYS.values()):  # the footer rebuilds: only if it changes
            self.refresh_bindings()
        self.focus_table()  # a view that hid the table took its focus: give it back

    # -- keys that only change how things are drawn -----------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that belong to one view work (and show in the footer) only there."""
        view = VIEW_KEYS.get(action)
        return self.class_allows(action) and (view is None or self.controller.view == view)

    def action_landscape(self, action: str, *args: float) -> None:
        getattr(self.query_one(LandscapeView), f"action_{action}")(*args)

    def action_guide(self, steps: int) -> None:
        self.query_one(LessonsPane).advance(steps)

    @on(UnrolledTable.CellChanged)
    def _explain_cell(self, event: UnrolledTable.CellChanged) -> None:
        pane = self.query_one(ExplainPane)
        pane.follow_cell(event.cell)
        if pane.display:
            pane.show_trainer(self.trainer, self.sample)

    def action_toggle_log(self) -> None:
        self.query_one(ChartsView).toggle_log_scale()
        self.post_message(Redraw())

    def action_toggle_trajectory(self) -> None:
        # A short screen has room for one chart (the -short rules in app.tcss).
        self.query_one(ChartsView).cycle_weights(one_chart=self.screen.has_class("-short"))
        self.post_message(Redraw())

    def action_projector(self) -> None:
        self.projector.set(not self.projector.on)
        self.query_one(StatusBar).fewer_digits = self.projector.on
        words = "on: light theme, 4 digits" if self.projector.on else "off"
        self.show_outcome(self.controller.say(f"Projector mode {words} (T switches).", "ok"))

    def action_toggle_samples(self) -> None:
        self.show_samples = not self.show_samples

    def watch_show_samples(self) -> None:
        self.post_message(Redraw())

    def action_help(self) -> None:
        self.push_screen(help_screen(self, PRESETS.get(self.preset or "")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(self)


def run_app(config: Config, preset: str | None = None, projector: bool = False) -> None:
    """Open the app on ``config`` (``preset`` names where it came from, if anywhere)."""
    watch_terminal(sys.stdin.fileno())
    RnnTuiApp(config, preset, projector).run()
