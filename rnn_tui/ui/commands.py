"""What a user can do to a run, as plain values.

Every command is a frozen dataclass with a ``kind`` name and int/str/bool fields,
so it travels as a JSON object (``{"kind": "step", "epochs": 1}``): class mode
sends the teacher's commands to every student. A command checks its own fields
when it is built, from code or from JSON; anything hostile (a wrong type, a
number out of range, an unknown kind or field) raises :class:`CommandError`
instead of reaching the trainer. No Textual import.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, get_type_hints

from rnn_tui.engine import MAX_EPOCHS, PRESETS

from .runner import SPEEDS
from .view_names import VIEWS

MAX_STEP = 1_000  # epochs one Step may move: more is a run (GoTo, RunToTarget)
MAX_SAMPLE = 1_000_000  # bounded before the run is known; the controller checks the data
MAX_CONFIG_TEXT = 2_000  # characters in one ApplyConfig


class CommandError(ValueError):
    """A command that cannot be built; the message says which field and why."""


def _check_int(kind: str, name: str, value: object, lo: int, hi: int) -> None:
    # bool is an int to Python, but never a number of epochs.
    if type(value) is not int:
        raise CommandError(f"{kind}.{name} must be a whole number, got {type(value).__name__}")
    if not lo <= value <= hi:
        raise CommandError(f"{kind}.{name} must be in [{lo}, {hi}], got {value}")


def _check_str(kind: str, name: str, value: object, limit: int) -> None:
    if not isinstance(value, str):
        raise CommandError(f"{kind}.{name} must be text, got {type(value).__name__}")
    if len(value) > limit:
        raise CommandError(f"{kind}.{name} is longer than {limit} characters")
    if not value.isprintable():  # control characters would reach the screen and the logs
        raise CommandError(f"{kind}.{name} holds control characters")


@dataclass(frozen=True)
class Command:
    """Base of every command: ``kind`` is its name on the wire."""

    kind: ClassVar[str] = ""

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise :class:`CommandError` for a field out of bounds (nothing to check here)."""


@dataclass(frozen=True)
class Step(Command):
    """Move ``epochs`` epochs (negative: back)."""

    kind: ClassVar[str] = "step"
    epochs: int

    def check(self) -> None:
        _check_int(self.kind, "epochs", self.epochs, -MAX_STEP, MAX_STEP)


@dataclass(frozen=True)
class Micro(Command):
    """One micro-step inside the epoch: ``direction`` +1 forward, -1 back."""

    kind: ClassVar[str] = "micro"
    direction: int

    def check(self) -> None:
        _check_int(self.kind, "direction", self.direction, -1, 1)
        if self.direction == 0:
            raise CommandError("micro.direction must be +1 or -1")


@dataclass(frozen=True)
class GoTo(Command):
    """Stand on ``epoch``: at once if computed, else by a paced run to it."""

    kind: ClassVar[str] = "goto"
    epoch: int

    def check(self) -> None:
        _check_int(self.kind, "epoch", self.epoch, 0, MAX_EPOCHS)


@dataclass(frozen=True)
class GoStart(Command):
    """Epoch 0, keeping the history."""

    kind: ClassVar[str] = "go_start"


@dataclass(frozen=True)
class GoHead(Command):
    """The latest epoch computed."""

    kind: ClassVar[str] = "go_head"


@dataclass(frozen=True)
class Reset(Command):
    """Epoch 0, forgetting the history."""

    kind: ClassVar[str] = "reset"


@dataclass(frozen=True)
class ToggleRun(Command):
    """Run at the chosen speed, or pause."""

    kind: ClassVar[str] = "toggle_run"


@dataclass(frozen=True)
class RunToTarget(Command):
    """A paced run to the configured number of epochs."""

    kind: ClassVar[str] = "run_to_target"


@dataclass(frozen=True)
class Speed(Command):
    """``steps`` notches faster (negative: slower)."""

    kind: ClassVar[str] = "speed"
    steps: int

    def check(self) -> None:
        _check_int(self.kind, "steps", self.steps, -len(SPEEDS), len(SPEEDS))


@dataclass(frozen=True)
class ApplyConfig(Command):
    """``key=value,...`` on top of the current config, or (``whole``) a whole config
    string on top of the defaults. ``field`` names the editor it was typed in, so a
    refusal is shown there."""

    kind: ClassVar[str] = "apply_config"
    text: str
    whole: bool = False
    field: str = ""

    def check(self) -> None:
        _check_str(self.kind, "text", self.text, MAX_CONFIG_TEXT)
        _check_str(self.kind, "field", self.field, 32)
        if type(self.whole) is not bool:
            raise CommandError("apply_config.whole must be true or false")


@dataclass(frozen=True)
class LoadPreset(Command):
    kind: ClassVar[str] = "load_preset"
    name: str

    def check(self) -> None:
        _check_str(self.kind, "name", self.name, 64)
        if self.name not in PRESETS:
            raise CommandError(f"load_preset.name: no preset {self.name[:64]!r}")


@dataclass(frozen=True)
class SelectSample(Command):
    """Show sample ``index`` (0-based) in the unrolled table."""

    kind: ClassVar[str] = "select_sample"
    index: int

    def check(self) -> None:
        _check_int(self.kind, "index", self.index, 0, MAX_SAMPLE)


@dataclass(frozen=True)
class OpenView(Command):
    """Show ``name`` beside the table (``charts`` is the home view)."""

    kind: ClassVar[str] = "open_view"
    name: str

    def check(self) -> None:
        _check_str(self.kind, "name", self.name, 32)
        if self.name not in VIEWS:
            raise CommandError(f"open_view.name: no view {self.name[:32]!r}")


@dataclass(frozen=True)
class Tick(Command):
    """One frame of a running run (sent by the frame timer)."""

    kind: ClassVar[str] = "tick"


COMMANDS: dict[str, type[Command]] = {
    cls.kind: cls
    for cls in (
        Step, Micro, GoTo, GoStart, GoHead, Reset, ToggleRun, RunToTarget, Speed,
        ApplyConfig, LoadPreset, SelectSample, OpenView, Tick,
    )
}  # fmt: skip


def to_json(command: Command) -> dict[str, Any]:
    """The command as a JSON object: its kind and its fields."""
    return {"kind": command.kind, **dataclasses.asdict(command)}


def from_json(data: object) -> Command:
    """The command a JSON object describes; :class:`CommandError` if it describes none."""
    if not isinstance(data, dict):
        raise CommandError(f"a command is a JSON object, got {type(data).__name__}")
    kind = data.get("kind")
    cls = COMMANDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise CommandError(f"unknown command kind {str(kind)[:32]!r}")
    fields = {f.name for f in dataclasses.fields(cls)}
    extra = set(data) - fields - {"kind"}
    if extra:
        raise CommandError(f"{cls.kind}: unknown field {sorted(map(str, extra))[0][:32]!r}")
    values = {name: data[name] for name in fields if name in data}
    hints = get_type_hints(cls)
    for name, value in values.items():
        # The constructor checks ranges; here only what a dataclass would not: the type.
        if hints[name] is str and not isinstance(value, str):
            raise CommandError(f"{cls.kind}.{name} must be text, got {type(value).__name__}")
    try:
        return cls(**values)
    except TypeError:
        missing = sorted(fields - set(values))
        raise CommandError(f"{cls.kind}: missing field {missing[0] if missing else '?'}") from None
