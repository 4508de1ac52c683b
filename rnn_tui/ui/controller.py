"""The rules of a run, without Textual: what each command does and what to say.

A :class:`RunController` holds what a run is on screen: the trainer (whose
timeline of ``(epoch, config)`` segments is the one config history), the
runner that paces a running run, the preset it came from, the micro-step
cursor, the sample shown, the open view and the notice. :meth:`RunController.handle`
takes a command (:mod:`rnn_tui.ui.commands`) and returns an :class:`Outcome`;
the App only turns keys into commands and draws the controller's state.
"""

from __future__ import annotations

from dataclasses import replace

from rnn_tui.engine import KEYS as CONFIG_KEYS
from rnn_tui.engine import (
    MAX_EPOCHS,
    NO_HISTORY_KEYS,
    PRESETS,
    Config,
    ConfigError,
    DataError,
    MicroCursor,
    Trace,
    Trainer,
    epoch_limit_message,
    preset_for,
    trace,
)

from .commands import (
    ApplyConfig,
    Command,
    CommandError,
    GoHead,
    GoStart,
    GoTo,
    LoadPreset,
    Micro,
    OpenView,
    Reset,
    RunToTarget,
    SelectSample,
    Speed,
    Step,
    Tick,
    ToggleRun,
)
from .formatting import fmt_count
from .micro import MicroState
from .outcome import (
    AFTER_DIVERGENCE,
    DIVERGED_HERE,
    NEW_RUN,
    QUIET,
    Notice,
    NoticeKind,
    Outcome,
)
from .runner import Runner
from .view_names import HOME_VIEW

__all__ = [
    "AFTER_DIVERGENCE",
    "DIVERGED_HERE",
    "Notice",
    "NoticeKind",
    "Outcome",
    "RunController",
]

# Beyond this many cells a second trace per frame (for the change marks) is not worth it.
MAX_CELLS_FOR_CHANGE_MARKS = 200_000

# Views read between steps: closing one uncovers the view it covered (the teacher reads
# the lesson guide's next step, and the explain panel is back for the micro-step).
COVERING_VIEWS = frozenset({"lessons"})


class RunController:
    def __init__(
        self, config: Config | Trainer, preset: str | None = None, runner: Runner | None = None
    ) -> None:
        self.trainer = config if isinstance(config, Trainer) else Trainer(config)
        self.preset = preset if preset in PRESETS else preset_for(self.trainer.config)
        self.runner = runner or Runner()
        self.sample = 0
        self.view = HOME_VIEW
        self._covered = HOME_VIEW  # the view a covering view (the lesson guide) hides
        self.notice = QUIET
        self._micro: MicroState | None = None
        self._previous: tuple[tuple[float, float], Trace] | None = None
        self.mark_saved()

    # -- state, for drawing --------------------------------------------------------

    @property
    def config(self) -> Config:
        return self.trainer.config

    @property
    def micro(self) -> MicroCursor | None:
        """The micro-step cursor, while the student is stepping inside this epoch."""
        return None if self._micro is None else self._micro.cursor_for(self.trainer)

    @property
    def running(self) -> bool:
        return self.runner.active

    @property
    def preset_label(self) -> str:
        if self.preset is None:
            return "custom"
        if PRESETS[self.preset].config != self.trainer.config:
            return f"{self.preset} (edited)"
        return self.preset

    @property
    def shown_notice(self) -> Notice:
        """The notice to show: a divergence at the cursor outranks everything."""
        divergence = self.trainer.divergence
        if divergence is not None and self.trainer.diverged:
            hint = " ← steps back." if self.trainer.epoch > 0 else ""  # the engine names no keys
            return Notice(f"{divergence.message}{hint}", "error")
        if divergence is not None and not self.notice.text:
            return Notice(
                f"This run diverged before epoch {fmt_count(divergence.epoch)}; "
                "end goes back to the last finite epoch.",
                "warning",
            )
        return self.notice

    def previous_trace(self) -> Trace | None:
        """The epoch before the current one, to mark the cells that changed."""
        trainer = self.trainer
        if trainer.epoch == 0 or trainer.dataset.x.size > MAX_CELLS_FOR_CHANGE_MARKS:
            return None
        weights = trainer.history.row(trainer.epoch - 1)[:2]
        if self._previous is None or self._previous[0] != weights:
            data = trainer.dataset
            self._previous = (weights, trace(*weights, data.x, data.y, trainer.config.activation))
        return self._previous[1]

    # -- commands ------------------------------------------------------------------

    def handle(self, command: Command) -> Outcome:
        """Do ``command``; say what happened."""
        match command:
            case Step(epochs=epochs):
                return self._step(epochs)
            case Micro(direction=direction):
                return self._micro_step(direction)
            case GoTo(epoch=epoch):
                return self._goto(epoch)
            case GoStart():
                self._halt()
                self.trainer.goto(0)
                return self._say(
                    "Epoch 0: the initial weights. The history is kept; step forward to replay it."
                )
            case GoHead():
                self._halt()
                self.trainer.goto(self.trainer.head)
                return self._say()
            case Reset():
                self._halt()
                self.trainer.reset()
                return self._say("Reset: back to epoch 0, history forgotten.", restarted=True)
            case ToggleRun():
                return self._toggle_run()
            case RunToTarget():
                return self._run_to_target()
            case Speed(steps=steps):
                self.runner.faster(steps)
                return self._say()
            case ApplyConfig():
                return self._apply(command)
            case LoadPreset(name=name):
                return self.load_preset(name)
            case SelectSample(index=index):
                return self._select_sample(index)
            case OpenView(name=name):
                if name in COVERING_VIEWS and name != self.view:
                    self._covered = self.view
                self.view = name
                return self._say()
            case Tick():
                return self._tick()
        raise TypeError(f"not a command: {command!r}")

    def say(self, text: str = "", kind: NoticeKind = "info") -> Outcome:
        """Set the notice (for what the App did itself: files, the clipboard)."""
        return self._say(text, kind)

    def _say(
        self,
        text: str = "",
        kind: NoticeKind = "info",
        *,
        restarted: bool = False,
        config_changed: bool = False,
    ) -> Outcome:
        self.notice = Notice(text, kind)
        return self._outcome(restarted=restarted, config_changed=config_changed)

    def _outcome(self, *, restarted: bool = False, config_changed: bool = False) -> Outcome:
        return Outcome(self.shown_notice, restarted=restarted, config_changed=config_changed)

    def _halt(self) -> None:
        """Stop a run and leave the micro-steps: the command moves the run itself."""
        self.runner.pause()
        self._micro = None

    def _step(self, epochs: int) -> Outcome:
        self._halt()
        report = self.trainer.step(epochs)
        if epochs < 0 and report.advanced == 0:
            return self._say("Already at epoch 0.")
        if report.stopped == "limit":
            return self._say(epoch_limit_message(), "warning")
        return self._say()

    def _micro_step(self, direction: int) -> Outcome:
        self.runner.pause()
        trainer = self.trainer
        before = self.micro or MicroCursor.start(trainer.dataset.t)
        cursor, moved = before.forward() if direction > 0 else before.backward(trainer.epoch)
        if direction < 0 and cursor == before:
            return self._say("Already at the start of epoch 0.")
        report = trainer.step(moved) if moved else None
        if report is not None and report.advanced == 0:
            limited = report.stopped == "limit"
            return self._say(epoch_limit_message() if limited else DIVERGED_HERE, "warning")
        self._micro = MicroState.at(cursor, trainer)
        return self._say()

    def _goto(self, epoch: int) -> Outcome:
        self._halt()
        trainer = self.trainer
        if epoch <= trainer.head:
            trainer.goto(epoch)
            return self._say()
        if trainer.divergence is not None:
            trainer.goto(trainer.head)
            return self._say(
                f"Epoch {fmt_count(epoch)} cannot be computed: the run diverged at "
                f"epoch {fmt_count(trainer.divergence.epoch)}.",
                "warning",
            )
        self.runner.seek(epoch, trainer)  # paced over frames: keys keep working
        return self._say()

    def _toggle_run(self) -> Outcome:
        if self.runner.active:
            self.runner.pause()
            return self._say("Paused.")
        if self.trainer.diverged:
            return self._say(DIVERGED_HERE, "warning")
        self._micro = None
        self.runner.start(self.trainer)
        return self._say()

    def _run_to_target(self) -> Outcome:
        goal = self.trainer.config.epochs
        if self.trainer.epoch == goal:
            return self._say(
                f"Already at epoch {fmt_count(goal)}: raise `epochs` to train further."
            )
        if self.trainer.diverged:
            return self._say(DIVERGED_HERE, "warning")
        self._micro = None
        self.runner.seek(goal, self.trainer)
        return self._say()

    def _tick(self) -> Outcome:
        """One frame of a run: compute within the runner's time budget."""
        frame = self.runner.advance(self.trainer)
        if frame.finished == "goal":
            return self._say(f"Reached epoch {fmt_count(self.trainer.epoch)}.", "ok")
        if frame.finished == "limit":
            return self._say(epoch_limit_message(), "warning")
        return self._outcome()

    def _select_sample(self, index: int) -> Outcome:
        count = self.trainer.dataset.n
        if index >= count:
            return self._say(f"There is no sample {index + 1}: this data has {count}.", "warning")
        self.sample = index
        return self._outcome()

    def next_sample(self, steps: int) -> SelectSample:
        """The command that shows the sample ``steps`` further on (wrapping round)."""
        return SelectSample((self.sample + steps) % self.trainer.dataset.n)

    def toggled_view(self, name: str) -> OpenView:
        """The command that opens ``name``, or goes home if it is open already."""
        if self.view != name:
            return OpenView(name)
        return OpenView(self._covered if name in COVERING_VIEWS else HOME_VIEW)

    # -- changing the experiment ---------------------------------------------------

    def _apply(self, command: ApplyConfig) -> Outcome:
        """Hyperparameters continue from the current weights, the rest restarts; say which."""
        diverged = self.trainer.divergence is not None
        try:
            base = None if command.whole else self.trainer.config
            config = Config.parse(command.text, base)
            change = self.trainer.configure(config)
        except ConfigError as error:
            return self._refuse(command.field or error.key, error.reason, str(error))
        except DataError as error:
            field = command.field or "data"
            return self._refuse(field, str(error), f"{field}: {error}")
        if not change.keys:
            return self._outcome(config_changed=True)
        text, restarted = change.describe(), change.restarted
        if diverged and not restarted and change.keys - NO_HISTORY_KEYS:
            # Going on from weights that overflowed is never the experiment wanted.
            self.trainer.reset()
            text, restarted = f"{', '.join(sorted(change.keys))} {AFTER_DIVERGENCE}", True
        if restarted:
            self._halt()
            self.sample = min(self.sample, self.trainer.dataset.n - 1)
        return self._say(text + ".", "ok", restarted=restarted, config_changed=True)

    def _refuse(self, field: str, reason: str, notice: str) -> Outcome:
        """Keep the run as it was; name the field only if it is one (text off the wire
        can name anything)."""
        self.notice = Notice(notice, "error")
        field = field if field in CONFIG_KEYS else ""
        return Outcome(self.shown_notice, refused_field=field, refusal=reason)

    def load_preset(self, name: str) -> Outcome:
        preset = PRESETS[name]
        self.adopt(Trainer(preset), name)
        return self._say(f"{preset.title}. Press ? for what it shows.", "ok", **NEW_RUN)

    def stand_at_micro(self, position: int | None) -> None:
        """Stand at micro-step ``position`` of this epoch (None, or out of range: at the
        epoch itself), as a class follower shows where its leader stands."""
        self._micro = None
        cursor = MicroCursor.start(self.trainer.dataset.t)
        if position is not None and 0 <= position <= len(cursor.plan):
            self._micro = MicroState.at(replace(cursor, position=position), self.trainer)

    def adopt(self, trainer: Trainer, preset: str | None, sample: int = 0) -> Outcome:
        """Make ``trainer`` the run on screen (a preset, or an opened session)."""
        self._halt()
        self.trainer = trainer
        self.preset = preset if preset in PRESETS else preset_for(trainer.config)
        self._previous = None
        self.sample = max(0, min(sample, trainer.dataset.n - 1))
        self.mark_saved()
        return self._outcome(**NEW_RUN)

    # -- what a new run would throw away ------------------------------------------

    def mark_saved(self) -> None:
        """The run as it stands is safe (just started, opened or saved to a file)."""
        self._saved = (id(self.trainer), self.trainer.timeline, self.trainer.head)
        self._saved_config = self.trainer.config

    def unsaved(self, *, keep_config: bool = False) -> str:
        """What starting over would lose, in words ("" nothing): the epochs computed
        and (unless ``keep_config``, as a reset does) the edited parameters."""
        trainer = self.trainer
        if self._saved == (id(trainer), trainer.timeline, trainer.head):
            return ""
        lost = []
        if trainer.head > 0:
            lost.append(f"the run to epoch {fmt_count(trainer.head)}")
        if not keep_config and trainer.config != self._saved_config:
            lost.append("the edited parameters")
        return " and ".join(lost)

    def goto_command(self, text: str) -> GoTo:
        """The GoTo for an epoch typed by a user, or :class:`CommandError` saying why not:
        past the configured ``epochs`` (or the head, if further) is refused (a served
        session's limit then stops the run where it must, with its message)."""
        digits = text.strip().replace(" ", "").replace("_", "").replace(",", "")
        if not digits.isdigit() or not digits.isascii():
            raise CommandError(f"{text.strip()[:20]!r} is not an epoch: type a whole number ≥ 0")
        epoch = int(digits) if len(digits) < 20 else MAX_EPOCHS + 1  # no huge int parses
        highest = min(max(self.config.epochs, self.trainer.head), MAX_EPOCHS)
        if epoch > highest:
            raise CommandError(
                f"Epoch {fmt_count(epoch)} is past epochs = {fmt_count(highest)}: "
                "raise `epochs` (i) to go further."
            )
        return GoTo(epoch)
