"""Session files, history CSV and atomic writes. No Textual import.

A session is the trainer's timeline (the config of each stretch of epochs, the
first from epoch 0) plus where the cursor stood, so opening the file replays
exactly the same numbers. The timeline is the trainer's own record of the
config history; nothing else keeps a copy.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rnn_tui.engine import HISTORY_COLUMNS, MAX_EPOCHS, Config, ConfigError, Trainer

FORMAT = "rnn-tui-session"
VERSION = 2  # 1: "config" + "changes"; 2: one "timeline" list (version 1 still loads)
MAX_SEGMENTS = 10_000  # a hostile file cannot make a replay take forever

Timeline = tuple[tuple[int, str], ...]


class SessionError(ValueError):
    """A session file that cannot be read; the message says why."""


@dataclass(frozen=True)
class Session:
    timeline: Timeline
    """(first epoch, config string) of each stretch of the run; the first at epoch 0."""
    epoch: int
    """Where the cursor stood."""
    preset: str | None = None
    sample: int = 0

    @classmethod
    def of(cls, trainer: Trainer, preset: str | None = None, sample: int = 0) -> Session:
        """The session that replays ``trainer`` to where it stands now."""
        timeline = tuple((epoch, str(config)) for epoch, config in trainer.timeline)
        return cls(timeline, trainer.epoch, preset, sample)

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "version": VERSION,
            "timeline": [{"epoch": e, "config": c} for e, c in self.timeline],
            "epoch": self.epoch,
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
        except RecursionError:
            raise SessionError("not a session file (nested too deeply)") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionError("not an rnn-tui session file")
        try:
            session = cls(
                timeline=_timeline(data),
                epoch=_whole(data["epoch"]),
                preset=data.get("preset") if isinstance(data.get("preset"), str) else None,
                sample=_whole(data.get("sample", 0)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SessionError(f"session file is missing or has a bad field: {error}") from None
        epochs = [e for e, _ in session.timeline]
        if session.epoch < 0 or session.sample < 0 or any(e < 0 for e in epochs):
            raise SessionError("epochs in a session file must be >= 0")
        if max(session.epoch, *epochs) > MAX_EPOCHS:
            raise SessionError(f"epochs in a session file must be <= {MAX_EPOCHS}")
        if epochs[0] != 0 or epochs != sorted(epochs) or len(epochs) > MAX_SEGMENTS:
            raise SessionError("the timeline of a session file must start at epoch 0, in order")
        return session

    def build(self) -> Trainer:
        """A trainer standing where the session left off (replays the run).

        Raises :class:`SessionError` for a config the engine refuses."""
        try:
            (_, first), *later = self.timeline
            trainer = Trainer(Config.parse(first))
            for epoch, text in later:
                trainer.goto(epoch)
                trainer.configure(Config.parse(text))
        except (ConfigError, ValueError) as error:
            raise SessionError(f"bad config in session: {error}") from None
        trainer.goto(self.epoch)
        return trainer


def _whole(value: Any) -> int:
    if type(value) is not int:
        raise ValueError(f"expected a whole number, got {str(value)[:40]!r}")
    return value


def _timeline(data: dict[str, Any]) -> Timeline:
    """Version 2's timeline, or version 1's start config and its changes."""
    if "timeline" in data:
        items = data["timeline"]
        if not isinstance(items, list) or not items:
            raise ValueError("timeline must be a non-empty list")
        return tuple((_whole(i["epoch"]), _text(i["config"])) for i in items)
    changes = data.get("changes", [])
    if not isinstance(changes, list):
        raise ValueError("changes must be a list")
    later = tuple((_whole(c["epoch"]), _text(c["config"])) for c in changes)
    return ((0, _text(data["config"])), *later)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a config string, got {type(value).__name__}")
    return value


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
    columns = [trainer.history.column(name) for name in HISTORY_COLUMNS]
    lines = [",".join(("epoch", *HISTORY_COLUMNS))]
    table = np.column_stack(columns) if columns[0].size else np.empty((0, len(HISTORY_COLUMNS)))
    lines.extend(_csv_rows(table))
    return "\n".join(lines) + "\n"


def _csv_rows(table: np.ndarray) -> Iterable[str]:
    for epoch, row in enumerate(table.tolist()):
        yield ",".join((str(epoch), *(repr(v) for v in row)))
