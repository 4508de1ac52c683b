"""Session files, history CSV and atomic writes. No Textual import.

A session is the trainer's timeline (the config of each stretch of epochs, the
first from epoch 0) plus where the cursor stood, so opening the file replays
exactly the same numbers. The timeline is the trainer's own record of the
config history; nothing else keeps a copy.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from rnn_tui.engine import HISTORY_COLUMNS, Config, ConfigError, Trainer, parse_value

FORMAT = "rnn-tui-session"
VERSION = 2  # 1: "config" + "changes"; 2: one "timeline" list (version 1 still loads)
MAX_CHANGES = 1000  # a class session has a handful; each one may replay the run

Timeline = tuple[tuple[int, str], ...]
T = TypeVar("T")


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
        """Parse and check a session file: hostile input gives a :class:`SessionError`.

        Opening replays the run, so the replay is bounded: its epochs are within the limit
        of the ``epochs`` key (lower when served), the timeline is in epoch order (each
        change replays only forward) and holds at most :data:`MAX_CHANGES` changes."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SessionError(f"not a session file (invalid JSON: {error.msg})") from None
        except (ValueError, RecursionError):  # e.g. an integer of 5000 digits, [[[[…]]]]
            raise SessionError("not a session file (a value or nesting too large)") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionError("not an rnn-tui session file")
        preset = data.get("preset")
        session = cls(
            timeline=_timeline(data),
            epoch=_field(data, "epoch", int),
            preset=preset if isinstance(preset, str) else None,
            sample=_field(data, "sample", int, 0),
        )
        session._check_epochs()
        return session

    def _check_epochs(self) -> None:
        epochs = [e for e, _ in self.timeline]
        if min(self.epoch, self.sample, *epochs) < 0:
            raise SessionError("epochs in a session file must be >= 0")
        if epochs[0] != 0:
            raise SessionError("the timeline of a session file must start at epoch 0")
        if any(a > b for a, b in itertools.pairwise(epochs)):
            raise SessionError("the changes in a session file must be in epoch order")
        furthest = max(self.epoch, *epochs)
        try:  # the bound of the `epochs` key (lower when served) bounds the replay too
            parse_value("epochs", str(max(furthest, 1)))
        except ConfigError as error:
            raise SessionError(f"the session goes to epoch {furthest}: {error.reason}") from None

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


def _timeline(data: dict[str, Any]) -> Timeline:
    """Version 2's timeline, or version 1's start config and its changes."""
    if "timeline" in data:
        items = _list(data, "timeline")
        if not items:
            raise SessionError("session file has a bad field: timeline is empty")
        return tuple(_change(item) for item in items)
    changes = _list(data, "changes")
    return ((0, _field(data, "config", str)), *(_change(c) for c in changes))


def _list(data: dict[str, Any], key: str) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise SessionError(f"session file has a bad field: {key} must be a list")
    limit = MAX_CHANGES + 1 if key == "timeline" else MAX_CHANGES  # the timeline has the start
    if len(items) > limit:
        raise SessionError(f"a session file holds at most {MAX_CHANGES} changes")
    return items


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
