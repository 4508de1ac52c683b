"""Session files, history CSV and atomic writes. No Textual import.

A session is the config string plus where the cursor stood. Hyperparameter
changes made mid-run are kept as a list of ``(epoch, config)`` segments so that
opening the file replays exactly the same numbers.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rnn_tui.engine import Config, ConfigError, Trainer
from rnn_tui.engine.config import NO_HISTORY_KEYS
from rnn_tui.engine.history import COLUMNS

FORMAT = "rnn-tui-session"
VERSION = 1


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
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SessionError(f"not a session file (invalid JSON: {error.msg})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionError("not an rnn-tui session file")
        try:
            changes = tuple((int(c["epoch"]), str(c["config"])) for c in data.get("changes", []))
            session = cls(
                config=str(data["config"]),
                epoch=int(data["epoch"]),
                changes=changes,
                preset=data.get("preset") if isinstance(data.get("preset"), str) else None,
                sample=int(data.get("sample", 0)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SessionError(f"session file is missing or has a bad field: {error}") from None
        if session.epoch < 0 or any(e < 0 for e, _ in changes):
            raise SessionError("epochs in a session file must be >= 0")
        return session

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
