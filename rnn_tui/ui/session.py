"""Session files, history CSV and atomic writes. No Textual import.

A session is the config string plus where the cursor stood. Hyperparameter
changes made mid-run are kept as a list of ``(epoch, config)`` segments so that
opening the file replays exactly the same numbers.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from rnn_tui.engine import Config, ConfigError, Trainer, parse_value
from rnn_tui.engine.config import NO_HISTORY_KEYS
from rnn_tui.engine.history import COLUMNS

FORMAT = "rnn-tui-session"
VERSION = 1
MAX_CHANGES = 1000  # a class session has a handful; each one may replay the run

T = TypeVar("T")


class SessionError(ValueError):
    """A session file that cannot be read; the message says why."""


@dataclass(frozen=True)
class Session:
    config: str  # the config the run started with (what `rnn-tui --config` takes)
    epoch: int  # where the cursor stood
    changes: tuple[tuple[int, str], ...] = field(default=())  # (epoch, config) applied later
    preset: str | None = None
    sample: int = 0

    @property
    def final_config(self) -> str:
        return self.changes[-1][1] if self.changes else self.config

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "config": self.config,
            "epoch": self.epoch,
            "changes": [{"epoch": e, "config": c} for e, c in self.changes],
            "preset": self.preset,
            "sample": self.sample,
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Session:
        """Parse and check a session file: hostile input gives a :class:`SessionError`.

        Opening replays the run, so the replay is bounded: its epochs are within the limit
        of the ``epochs`` key, the changes come in epoch order (each one replays only
        forward) and there are at most :data:`MAX_CHANGES` of them."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SessionError(f"not a session file (invalid JSON: {error.msg})") from None
        except (ValueError, RecursionError):  # e.g. an integer of 5000 digits, [[[[…]]]]
            raise SessionError("not a session file (a value or nesting too large)") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionError("not an rnn-tui session file")
        changes_data = data.get("changes", [])
        if not isinstance(changes_data, list):
            raise SessionError("session file has a bad field: changes must be a list")
        if len(changes_data) > MAX_CHANGES:
            raise SessionError(f"a session file holds at most {MAX_CHANGES} changes")
        changes = tuple(_change(c) for c in changes_data)
        preset = data.get("preset")
        session = cls(
            config=_field(data, "config", str),
            epoch=_field(data, "epoch", int),
            changes=changes,
            preset=preset if isinstance(preset, str) else None,
            sample=_field(data, "sample", int, 0),
        )
        session._check_epochs()
        return session

    def _check_epochs(self) -> None:
        epochs = [self.epoch, *(e for e, _ in self.changes)]
        if min(epochs) < 0:
            raise SessionError("epochs in a session file must be >= 0")
        if any(a > b for a, b in itertools.pairwise(e for e, _ in self.changes)):
            raise SessionError("the changes in a session file must be in epoch order")
        try:  # the bound of the `epochs` key (lower when served) bounds the replay too
            parse_value("epochs", str(max(max(epochs), 1)))
        except ConfigError as error:
            raise SessionError(f"the session goes to epoch {max(epochs)}: {error.reason}") from None

    def build(self) -> Trainer:
        """A trainer standing where the session left off (replays the run).

        Raises :class:`SessionError` for a config the engine refuses."""
        try:
            trainer = Trainer(Config.parse(self.config))
            for epoch, text in self.changes:
                trainer.goto(epoch)
                trainer.configure(Config.parse(text))
        except (ConfigError, ValueError) as error:
            raise SessionError(f"bad config in session: {error}") from None
        trainer.goto(self.epoch)
        return trainer


class RunRecord:
    """How the current run came about: the config it started from and the
    hyperparameter changes made along the way, as a session file needs them."""

    def __init__(self, config: Config) -> None:
        self.start = str(config)
        self.changes: list[tuple[int, str]] = []

    def restart(self, config: Config) -> None:
        self.start = str(config)
        self.changes = []

    def changed(self, epoch: int, config: Config, keys: frozenset[str]) -> None:
        """Record a change that continued the run (the trainer cut its future at ``epoch``)."""
        if keys <= NO_HISTORY_KEYS:  # the number of epochs changes no result: rewrite it
            self.start = _with_epochs(self.start, config.epochs)
            self.changes = [(e, _with_epochs(c, config.epochs)) for e, c in self.changes]
            return
        self.changes = [(e, c) for e, c in self.changes if e < epoch]
        self.changes.append((epoch, str(config)))

    def session(self, epoch: int, preset: str | None, sample: int) -> Session:
        return Session(self.start, epoch, tuple(self.changes), preset, sample)


def _field(data: dict[str, Any], key: str, kind: type[T], default: T | None = None) -> T:
    """``data[key]`` if it has type ``kind`` (a bool is no int here)."""
    value = data.get(key, default)
    if value is None:
        raise SessionError(f"session file is missing the field {key!r}")
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SessionError(f"session file has a bad field: {key} must be {kind.__name__}")
    return value


def _change(item: object) -> tuple[int, str]:
    if not isinstance(item, dict):
        raise SessionError("session file has a bad field: each change is an object")
    return _field(item, "epoch", int), _field(item, "config", str)


def _with_epochs(text: str, epochs: int) -> str:
    return str(Config.parse(text).replace(epochs=epochs))


def write_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder and
    ``os.replace``, so a crash never leaves a half-written file behind."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def history_csv(trainer: Trainer) -> str:
    """The whole recorded history, one row per epoch, floats printed exactly."""
    columns = [trainer.history.column(name) for name in COLUMNS]
    lines = [",".join(("epoch", *COLUMNS))]
    table = np.column_stack(columns) if columns[0].size else np.empty((0, len(COLUMNS)))
    lines.extend(_csv_rows(table))
    return "\n".join(lines) + "\n"


def _csv_rows(table: np.ndarray) -> Iterable[str]:
    for epoch, row in enumerate(table.tolist()):
        yield ",".join((str(epoch), *(repr(v) for v in row)))
