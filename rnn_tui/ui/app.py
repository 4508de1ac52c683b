"""The rnn-tui app: one screen over a :class:`~rnn_tui.engine.Trainer`.

The app owns the trainer and a :class:`~rnn_tui.ui.runner.Runner`; widgets are
passive and only draw what the engine computed. Every change to the run ends in
one coalesced :class:`Redraw`, so a burst of keys costs one repaint.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from rnn_tui.engine import PRESETS, Config, DataError, Trace, Trainer, preset_for, trace
from rnn_tui.engine.microsteps import MicroCursor

from .charts.panel import ChartsView
from .formatting import fmt_count, fmt_short
from .keys import BINDINGS, KEYS
from .micro import MicroState
from .params.panel import ParameterPanel
from .runner import FRAMES_PER_SECOND, Frame, Runner
from .screens.help import HelpScreen
from .screens.session import SessionRequest, SessionScreen
from .session import RunRecord, Session, SessionError, history_csv, write_atomic
from .status.bar import NoticeLine, StatusBar, StatusFacts, TextLine, micro_state, run_state
from .switcher import BIG_VIEWS, HOME_VIEW, TEACHING_VIEWS, VIEW_TITLES, ViewSwitcher
from .table.micro import PENDING_MARK, quantity_state
from .table.samples import SamplesTable, sequence_text, shows_all_samples
from .table.unrolled import UnrolledTable
from .views import GradientsView, LandscapeView, MicroStepBar
from .views.panes import ExplainPane, GradCheckPane, LessonsPane

CHART_EVERY = 3  # while running, redraw the charts on every third frame

# Actions that only make sense in one view: action name -> view.
VIEW_KEYS = {key.action.split("(")[0]: key.view for key in KEYS if key.view}

# Beyond this many cells a second trace per frame (for the change marks) is not worth it.
MAX_CELLS_FOR_CHANGE_MARKS = 200_000


@dataclass
class Redraw(Message):
    """Something about the run changed; several pending redraws are one."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Redraw)


class RnnTuiApp(App[None]):
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

    sample: reactive[int] = reactive(0, init=False)
    show_samples: reactive[bool] = reactive(True, init=False)
    show_parameters: reactive[bool] = reactive(False, init=False)

    def __init__(self, config: Config, preset: str | None = None) -> None:
        super().__init__()
        self.trainer = Trainer(config)
        self.preset = preset if preset in PRESETS else preset_for(config)
        self.runner = Runner()
        self.record = RunRecord(config)
        self._notice: tuple[str, str] = ("", "info")
        self._previous: tuple[tuple[float, float], Trace] | None = None
        self._frame_timer: Timer | None = None
        self._frames_run = 0
        self._micro: MicroState | None = None

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield NoticeLine(id="notice")
        yield MicroStepBar(id="microbar")
        with Horizontal(id="body"):
            params = ParameterPanel(self.trainer.config, self.preset, id="params")
            params.border_title = "Parameters"
            yield params
            with Container(id="main"):
                with Vertical(id="centre"):
                    with Vertical(id="unrolled-panel"):
                        yield UnrolledTable(id="unrolled")
                        yield TextLine(id="sample-summary")
                    samples = SamplesTable(id="samples")
                    samples.border_title = "All samples"
                    yield samples
                with ViewSwitcher(initial=HOME_VIEW, id="views"):
                    yield ChartsView(id=HOME_VIEW)
                    yield ExplainPane(id="explain")
                    for view in (LandscapeView(id="landscape"), GradientsView(id="gradients")):
                        view.border_title = VIEW_TITLES[str(view.id)]
                        yield view
                    yield GradCheckPane(id="gradcheck")
                    yield LessonsPane(id="lessons")
        yield Footer()

    def on_mount(self) -> None:
        self._frame_timer = self.set_interval(1 / FRAMES_PER_SECOND, self._frame, pause=True)
        self.query_one(UnrolledTable).focus()
        self.redraw()

    # -- drawing --------------------------------------------------------------------

    def request_redraw(self) -> None:
        self.post_message(Redraw())

    @on(Redraw)
    def _redraw_requested(self) -> None:
        self.redraw()

    def redraw(self, views: bool = True) -> None:
        """Show the trainer's current epoch everywhere (``views=False``: not the charts)."""
        trainer = self.trainer
        current = trainer.trace()
        sample = min(self.sample, current.n - 1)
        if sample != self.sample:
            self.set_reactive(RnnTuiApp.sample, sample)
        previous = self._previous_trace()
        micro = self.micro
        self.query_one(StatusBar).show(self._status_facts())
        self._show_micro_bar(micro)
        table = self.query_one(UnrolledTable)
        table.show(current, previous, sample, micro)
        if micro is not None and micro.step is not None:
            step = micro.step
            table.reveal_row({"loss": "sum", "update": "total"}.get(step.phase, f"t{step.t}"))
        panel = self.query_one("#unrolled-panel")
        title = f"Unrolled through time · sample {sample + 1} of {current.n}"
        if panel.border_title != title:
            panel.border_title = title
        summary = self._sample_summary(current, sample, micro)
        self.query_one("#sample-summary", TextLine).show(summary)
        samples = self.query_one(SamplesTable)
        visible = self.show_samples and shows_all_samples(current)
        # A class, not `display`: the stylesheet may still hide it (short terminals).
        samples.set_class(not visible, "-hidden")
        if visible:
            samples.show(current, previous, sample, micro)
        if views:
            self.query_one(ExplainPane).follow_micro(micro)
            self.query_one(ViewSwitcher).show_trainer(trainer, sample)
        self._show_notice()

    def _previous_trace(self) -> Trace | None:
        """The epoch before the current one, to mark the cells that changed."""
        trainer = self.trainer
        if trainer.epoch == 0 or trainer.dataset.x.size > MAX_CELLS_FOR_CHANGE_MARKS:
            return None
        weights = trainer.history.row(trainer.epoch - 1)[:2]
        if self._previous is None or self._previous[0] != weights:
            data = trainer.dataset
            self._previous = (weights, trace(*weights, data.x, data.y, trainer.config.activation))
        return self._previous[1]

    def _status_facts(self) -> StatusFacts:
        trainer = self.trainer
        wx, wrec = trainer.weights
        return StatusFacts(
            preset=self.preset_label,
            epoch=trainer.epoch,
            target=trainer.config.epochs,
            head=trainer.head,
            loss=trainer.loss,
            wx=wx,
            wrec=wrec,
            state=(
                run_state(trainer.diverged, trainer.converged, self.runner, trainer.stalled)
                if self.micro is None
                else micro_state(self.micro)
            ),
        )

    @property
    def preset_label(self) -> str:
        if self.preset is None:
            return "custom"
        if PRESETS[self.preset].config != self.trainer.config:
            return f"{self.preset} (edited)"
        return self.preset

    def _sample_summary(self, current: Trace, n: int, micro: MicroCursor | None) -> Text:
        parts: list[tuple[str, str]] = []
        sequence = sequence_text(current.x[n])
        if sequence:
            parts.append((f"x = {sequence}", ""))
        prediction = float(current.prediction[n])
        parts.append((f"target {fmt_short(float(current.target[n]))}", ""))
        if quantity_state(micro, "prediction") == "pending":
            parts.append((f"prediction {PENDING_MARK} (computed at the loss step)", "dim"))
        else:
            parts += [
                (f"prediction {fmt_short(prediction)}", "bold"),
                (f"rounded {fmt_short(round(prediction))}", ""),
                (f"error {fmt_short(float(current.error[n]))}", ""),
            ]
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        for i, (part, style) in enumerate(parts):
            if i:
                text.append(" · ", style="dim")
            text.append(part, style=style)
        return text

    def notice(self, message: str, kind: str = "info") -> None:
        self._notice = (message, kind)
        self._show_notice()

    def _show_notice(self) -> None:
        trainer = self.trainer
        line = self.query_one(NoticeLine)
        if trainer.diverged and trainer.divergence is not None:
            hint = " ← steps back." if trainer.epoch > 0 else ""
            line.say(f"{trainer.divergence.message}{hint}", "error")
        elif trainer.divergence is not None and not self._notice[0]:
            line.say(
                f"This run diverged before epoch {fmt_count(trainer.divergence.epoch)}; "
                "end goes back to the last finite epoch.",
                "warning",
            )
        else:
            line.say(*self._notice)

    def _moved(self, message: str = "", kind: str = "info") -> None:
        self._notice = (message, kind)
        self.request_redraw()

    # -- micro-steps inside an epoch ------------------------------------------------

    @property
    def micro(self) -> MicroCursor | None:
        """The micro-step cursor, while the student is stepping inside this epoch."""
        return None if self._micro is None else self._micro.cursor_for(self.trainer)

    def _leave_micro(self) -> None:
        self._micro = None

    def action_micro(self, direction: int) -> None:
        self._stop_running()
        trainer = self.trainer
        before = self.micro or MicroCursor.start(trainer.dataset.t)
        cursor, moved = before.forward() if direction > 0 else before.backward(trainer.epoch)
        if direction < 0 and cursor == before:
            self._moved("Already at the start of epoch 0.")
            return
        if moved and trainer.step(moved).advanced == 0:
            self._moved("The run diverged here: rewind (←) or change a parameter first.", "warning")
            return
        self._micro = MicroState.at(cursor, trainer)
        self.query_one(ExplainPane).follow_micro(cursor)
        self._moved()

    def _show_micro_bar(self, micro: MicroCursor | None) -> None:
        bar = self.query_one(MicroStepBar)
        if bar.display != (micro is not None):
            bar.display = micro is not None
        if micro is not None and (bar.cursor, bar.epoch) != (micro, self.trainer.epoch):
            bar.show(micro, self.trainer.epoch)

    # -- moving through epochs ------------------------------------------------------

    def action_step(self, epochs: int) -> None:
        self._stop_running()
        self._leave_micro()
        report = self.trainer.step(epochs)
        if epochs < 0 and report.advanced == 0:
            self._moved("Already at epoch 0.")
        elif epochs > 0 and report.stopped == "diverged" and report.advanced == 0:
            self._moved()
        else:
            self._moved()

    def action_goto_start(self) -> None:
        self._stop_running()
        self._leave_micro()
        self.trainer.goto(0)
        self._moved("Epoch 0: the initial weights. The history is kept; step forward to replay it.")

    def action_goto_head(self) -> None:
        self._stop_running()
        self._leave_micro()
        self.trainer.goto(self.trainer.head)
        self._moved()

    def action_reset(self) -> None:
        self._stop_running()
        self._leave_micro()
        self.trainer.reset()
        self.record.restart(self.trainer.config)
        self._moved("Reset: back to epoch 0, history forgotten.")

    def action_toggle_run(self) -> None:
        if self.runner.active:
            self._stop_running()
            self._moved("Paused.")
            return
        if self.trainer.diverged:
            self._moved("The run diverged here: rewind (←) or change a parameter first.", "warning")
            return
        self.runner.start(self.trainer)
        self._start_frames()

    def action_run_to_target(self) -> None:
        goal = self.trainer.config.epochs
        if self.trainer.epoch == goal:
            self._moved(f"Already at epoch {fmt_count(goal)}: raise `epochs` to train further.")
            return
        if self.trainer.diverged:
            self._moved("The run diverged here: rewind (←) or change a parameter first.", "warning")
            return
        self.runner.seek(goal, self.trainer)
        self._start_frames()

    def action_speed(self, steps: int) -> None:
        self.runner.faster(steps)
        self._moved()

    def _start_frames(self) -> None:
        self._leave_micro()
        self._notice = ("", "info")
        if self._frame_timer is not None:
            self._frame_timer.resume()
        self.request_redraw()

    def _stop_running(self) -> None:
        self.runner.pause()
        if self._frame_timer is not None:
            self._frame_timer.pause()

    def _frame(self) -> None:
        """One frame of a run: compute within the budget, then draw once."""
        frame: Frame = self.runner.advance(self.trainer)
        self._frames_run += 1
        if not self.runner.active:
            self._stop_running()
            if frame.finished == "goal":
                self._notice = (f"Reached epoch {fmt_count(self.trainer.epoch)}.", "ok")
        # Plotting costs more than the table: while running, charts get every third frame.
        self.redraw(views=not self.runner.active or self._frames_run % CHART_EVERY == 0)

    # -- samples and views ----------------------------------------------------------

    def action_sample(self, steps: int) -> None:
        count = self.trainer.dataset.n
        self.sample = (self.sample + steps) % count

    def watch_sample(self) -> None:
        self.request_redraw()

    @on(SamplesTable.SampleChosen)
    def _choose_sample(self, event: SamplesTable.SampleChosen) -> None:
        self.sample = event.sample

    def action_view(self, name: str) -> None:
        """Open a teaching view in the charts' place, or go back to the charts."""
        switcher = self.query_one(ViewSwitcher)
        switcher.toggle(name)
        current = switcher.current or HOME_VIEW
        for view in TEACHING_VIEWS:
            self.screen.set_class(current == view, f"-view-{view}")
        self.screen.set_class(current in BIG_VIEWS, "-big-view")
        self.refresh_bindings()
        self._moved()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that belong to one view work (and show in the footer) only there."""
        view = VIEW_KEYS.get(action)
        return view is None or self.query_one(ViewSwitcher).current == view

    def action_landscape(self, action: str, *args: float) -> None:
        getattr(self.query_one(LandscapeView), f"action_{action}")(*args)

    def action_preset(self, number: int) -> None:
        names = list(PRESETS)
        if 1 <= number <= len(names):
            self.load_preset(names[number - 1])

    @on(UnrolledTable.CellChanged)
    def _explain_cell(self, event: UnrolledTable.CellChanged) -> None:
        pane = self.query_one(ExplainPane)
        pane.follow_cell(event.cell)
        if pane.display:
            pane.show_trainer(self.trainer, self.sample)

    def action_toggle_log(self) -> None:
        self.query_one(ChartsView).toggle_log_scale()
        self.request_redraw()

    def action_toggle_trajectory(self) -> None:
        self.query_one(ChartsView).toggle_plane()
        self.request_redraw()

    def action_toggle_samples(self) -> None:
        self.show_samples = not self.show_samples

    def watch_show_samples(self) -> None:
        self.request_redraw()

    # -- parameters -----------------------------------------------------------------

    def action_edit_parameters(self) -> None:
        self.show_parameters = True
        self.call_after_refresh(self.query_one("#param-wx").focus)

    def action_leave_parameters(self) -> None:
        if self.show_parameters or self.query_one(ParameterPanel).has_focus_within:
            self.show_parameters = False
            self.query_one(UnrolledTable).focus()

    def watch_show_parameters(self, show: bool) -> None:
        self.screen.set_class(show, "-show-params")

    @on(ParameterPanel.Changed)
    def _apply_parameter(self, event: ParameterPanel.Changed) -> None:
        config = self.trainer.config.replace(**{event.key: event.value})
        self.apply_config(config, event.key)

    def apply_config(self, config: Config, key: str | None = None) -> None:
        """Apply a config: hyperparameters continue, the rest restarts; say which."""
        epoch = self.trainer.epoch
        try:
            change = self.trainer.configure(config)
        except DataError as error:
            if key is not None:
                self.query_one(ParameterPanel).refuse(key, str(error))
            self._moved(f"{key}: {error}", "error")
            return
        if change.restarted:
            self._stop_running()
            self.record.restart(self.trainer.config)
        elif change.keys:
            self.record.changed(epoch, self.trainer.config, change.keys)
        self.query_one(ParameterPanel).show_config(self.trainer.config, self.preset)
        if change.keys:
            self._moved(change.describe() + ".", "ok")

    @on(ParameterPanel.PresetChosen)
    def _choose_preset(self, event: ParameterPanel.PresetChosen) -> None:
        self.load_preset(event.name)

    def load_preset(self, name: str) -> None:
        preset = PRESETS[name]
        self.adopt(Trainer(preset), name)
        self._moved(f"{preset.title}. Press ? for what it shows.", "ok")

    def adopt(self, trainer: Trainer, preset: str | None, sample: int = 0) -> None:
        """Make ``trainer`` the run on screen (a preset, or an opened session)."""
        self._stop_running()
        self._leave_micro()
        self.trainer = trainer
        self.preset = preset if preset in PRESETS else preset_for(trainer.config)
        self.record = RunRecord(trainer.config)
        self._previous = None
        self.set_reactive(RnnTuiApp.sample, max(0, min(sample, trainer.dataset.n - 1)))
        self.query_one(ParameterPanel).show_config(trainer.config, self.preset)

    # -- screens --------------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(PRESETS.get(self.preset or "")))

    def action_session(self, mode: str) -> None:
        screen = SessionScreen(
            str(self.trainer.config), self.trainer.epoch, "open" if mode == "open" else "save"
        )
        self.push_screen(screen, self._session_request)

    def _session_request(self, request: SessionRequest | None) -> None:
        if request is None:
            return
        path = Path(request.path).expanduser()
        try:
            if request.action == "save":
                session = self.record.session(self.trainer.epoch, self.preset, self.sample)
                written = write_atomic(path, session.to_json())
                self._moved(
                    f"Saved the session (epoch {fmt_count(self.trainer.epoch)}) to {written}.", "ok"
                )
            elif request.action == "csv":
                written = write_atomic(path, history_csv(self.trainer))
                self._moved(
                    f"Exported {fmt_count(len(self.trainer.history))} epochs to {written}.", "ok"
                )
            elif request.action == "svg":
                self.call_after_refresh(self._export_svg, path)
            elif request.action == "copy":
                self.copy_to_clipboard(str(self.trainer.config))
                self._moved(f"Copied to the clipboard: {self.trainer.config}", "ok")
            else:
                self._stop_running()
                self._moved(f"Opening {path} …")
                self.open_session(path)
        except OSError as error:
            self._moved(f"Could not write {path}: {error.strerror or error}", "error")

    def _export_svg(self, path: Path) -> None:
        try:
            written = write_atomic(path, self.export_screenshot(title="rnn-tui"))
        except OSError as error:
            self._moved(f"Could not write {path}: {error.strerror or error}", "error")
            return
        self._moved(f"Saved the screen to {written}.", "ok")

    @work(thread=True, exclusive=True, group="session")
    def open_session(self, path: Path) -> None:
        """Read and replay a session off the UI thread; the old run stays until it is ready."""
        try:
            session = Session.from_json(path.read_text(encoding="utf-8"))
            trainer = session.build()
        except (OSError, UnicodeDecodeError) as error:
            self.call_from_thread(self._moved, f"Could not open {path}: {error}", "error")
            return
        except (SessionError, DataError) as error:
            self.call_from_thread(self._moved, f"Could not open {path}: {error}", "error")
            return
        self.call_from_thread(self._opened, trainer, session, path)

    def _opened(self, trainer: Trainer, session: Session, path: Path) -> None:
        self.adopt(trainer, session.preset, session.sample)
        self.record.start = session.config
        self.record.changes = list(session.changes)
        self._moved(f"Opened {path} at epoch {fmt_count(trainer.epoch)}.", "ok")

    # -- command palette ------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in KEYS:
            if key.view is not None:
                continue  # keys of one view: the view lists them
            yield SystemCommand(key.label, key.help, partial(self.run_action, key.action))
        for name, preset in PRESETS.items():
            yield SystemCommand(f"Preset: {name}", preset.title, partial(self.load_preset, name))
        yield SystemCommand(
            "Copy config string",
            "Copy the config string that reproduces this run",
            partial(self._session_request, SessionRequest("copy", "")),
        )


def run_app(config: Config, preset: str | None = None) -> None:
    """Open the app on ``config`` (``preset`` names where it came from, if anywhere)."""
    RnnTuiApp(config, preset).run()
