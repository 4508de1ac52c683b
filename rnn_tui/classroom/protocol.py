"""The class channel's wire format: newline-delimited JSON objects with a strict schema.

Every line is one object with a ``"t"`` (type) key and exactly the keys its type
names; anything else (unknown keys, wrong types, booleans where numbers belong,
NaN, strings with control characters, values out of range, deep nesting) is a
:class:`ProtocolError`. The hub treats one as hostile and cuts that client off.

Apps to hub (``encode_client`` / ``decode_client``)::

    {"t": "state",  "state": {...LessonState}}     teacher, or the spotlighted student
    {"t": "status", "status": {...StudentStatus}}  students
    {"t": "push"}                                  teacher: everyone follows my run
    {"t": "spotlight", "name": "alice" | null}     teacher: the class follows alice
    {"t": "pause", "on": true | false}             teacher: hold the class / release it

Hub to apps (``encode_hub`` / ``decode_hub``)::

    {"t": "welcome", "role": "student", "name": "alice#2"}
    {"t": "class", ...ClassSnapshot}               the latest only, never a backlog
    {"t": "roster", "students": [...RosterEntry]}  teacher only
    {"t": "bye", "reason": "..."}                  just before the hub closes the channel
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, cast

Role = Literal["teacher", "student"]
Mode = Literal["following", "exploring"]
ROLES: tuple[Role, ...] = ("teacher", "student")
MODES: tuple[Mode, ...] = ("following", "exploring")
# A student's run as one word (the hub puts diverged and stalled on top of the roster).
STATE_WORDS = ("diverged", "stalled", "running", "paused", "converged", "starting")

CLASS_FD_ENV = "RNN_TUI_CLASS_FD"  # the inherited descriptor's number, in an app process

MAX_CLIENT_LINE = 64 * 1024  # app -> hub: a whole LessonState fits with room to spare
MAX_HUB_LINE = 1024 * 1024  # hub -> app: a roster of every seat fits
MAX_TEXT = 400  # config strings
MAX_WORD = 40  # names, views, presets, reasons' pieces
MAX_REASON = 200
MAX_TIMELINE = 100  # config changes in one run
MAX_ROSTER = 1000
MAX_COUNT = 10**12  # epochs, versions, positions: far beyond any real run, far below 2**63


class ProtocolError(ValueError):
    """A line that is not a valid message; the text says what was wrong."""


@dataclass(frozen=True)
class LessonState:
    """What a follower needs to show the leader's screen: the engine redoes the numbers.

    ``timeline`` lists ``(epoch, config string)``: the run's config from that epoch on
    (the first entry is the start, later ones are mid-run changes).
    ``micro`` is the micro-step position inside the epoch (0 = at the epoch boundary).
    """

    timeline: tuple[tuple[int, str], ...]
    epoch: int
    micro: int = 0
    sample: int = 0
    view: str | None = None
    preset: str | None = None
    running: bool = False


@dataclass(frozen=True)
class StudentStatus:
    config: str
    epoch: int
    loss: float | None  # None while unknown or not finite (the state word says diverged)
    state: str  # one of STATE_WORDS
    mode: Mode


@dataclass(frozen=True)
class RosterEntry:
    name: str
    mode: Mode
    config: str
    epoch: int
    loss: float | None
    state: str


@dataclass(frozen=True)
class ClassSnapshot:
    """The class as the hub sees it; ``version`` grows with every change of any field."""

    version: int
    teacher: bool  # a teacher is connected
    paused: bool  # the teacher holds the class: followers may not explore
    pushes: int  # how many times the teacher pushed: a rise brings explorers back
    spotlight: str | None  # the student whose run the class follows, if any
    source: str | None  # whose state ``state`` is: "teacher", a student's name, or None
    state_version: int  # grows when ``state`` changes
    state: LessonState | None


# -- messages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishState:
    state: LessonState


@dataclass(frozen=True)
class PublishStatus:
    status: StudentStatus


@dataclass(frozen=True)
class Push:
    pass


@dataclass(frozen=True)
class Spotlight:
    name: str | None


@dataclass(frozen=True)
class PauseClass:
    on: bool


@dataclass(frozen=True)
class Welcome:
    role: Role
    name: str


@dataclass(frozen=True)
class Roster:
    students: tuple[RosterEntry, ...]


@dataclass(frozen=True)
class Bye:
    reason: str


ClientMessage = PublishState | PublishStatus | Push | Spotlight | PauseClass
HubMessage = Welcome | ClassSnapshot | Roster | Bye


# -- encoding ------------------------------------------------------------------------------


def encode_client(message: ClientMessage) -> bytes:
    match message:
        case PublishState(state):
            return _line({"t": "state", "state": _state_obj(state)})
        case PublishStatus(status):
            return _line({"t": "status", "status": _status_obj(status)})
        case Push():
            return _line({"t": "push"})
        case Spotlight(name):
            return _line({"t": "spotlight", "name": name})
        case PauseClass(on):
            return _line({"t": "pause", "on": on})
    raise TypeError(f"not a client message: {message!r}")


def encode_hub(message: HubMessage) -> bytes:
    match message:
        case Welcome(role, name):
            return _line({"t": "welcome", "role": role, "name": name})
        case ClassSnapshot():
            return _line(
                {
                    "t": "class",
                    "version": message.version,
                    "teacher": message.teacher,
                    "paused": message.paused,
                    "pushes": message.pushes,
                    "spotlight": message.spotlight,
                    "source": message.source,
                    "state_version": message.state_version,
                    "state": None if message.state is None else _state_obj(message.state),
                }
            )
        case Roster(students):
            return _line({"t": "roster", "students": [_entry_obj(e) for e in students]})
        case Bye(reason):
            return _line({"t": "bye", "reason": reason})
    raise TypeError(f"not a hub message: {message!r}")


def _line(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode() + b"\n"


def _state_obj(state: LessonState) -> dict[str, Any]:
    return {
        "timeline": [[epoch, config] for epoch, config in state.timeline],
        "epoch": state.epoch,
        "micro": state.micro,
        "sample": state.sample,
        "view": state.view,
        "preset": state.preset,
        "running": state.running,
    }


def _status_obj(status: StudentStatus) -> dict[str, Any]:
    return {
        "config": status.config,
        "epoch": status.epoch,
        "loss": finite_or_none(status.loss),
        "state": status.state,
        "mode": status.mode,
    }


def _entry_obj(entry: RosterEntry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "mode": entry.mode,
        "config": entry.config,
        "epoch": entry.epoch,
        "loss": finite_or_none(entry.loss),
        "state": entry.state,
    }


def finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


# -- decoding ------------------------------------------------------------------------------


def decode_client(line: bytes) -> ClientMessage:
    obj = _object(line, MAX_CLIENT_LINE)
    kind = obj.get("t")
    if kind == "state":
        _keys(obj, "t", "state")
        return PublishState(lesson_state(obj["state"]))
    if kind == "status":
        _keys(obj, "t", "status")
        return PublishStatus(student_status(obj["status"]))
    if kind == "push":
        _keys(obj, "t")
        return Push()
    if kind == "spotlight":
        _keys(obj, "t", "name")
        return Spotlight(_optional(_word, obj["name"], "name"))
    if kind == "pause":
        _keys(obj, "t", "on")
        return PauseClass(_bool(obj["on"], "on"))
    raise ProtocolError(f"unknown message type {_show(kind)}")


_SNAPSHOT_KEYS = (
    "version",
    "teacher",
    "paused",
    "pushes",
    "spotlight",
    "source",
    "state_version",
    "state",
)


def decode_hub(line: bytes) -> HubMessage:
    obj = _object(line, MAX_HUB_LINE)
    kind = obj.get("t")
    if kind == "welcome":
        _keys(obj, "t", "role", "name")
        return Welcome(_choice(obj["role"], ROLES, "role"), _word(obj["name"], "name"))
    if kind == "class":
        _keys(obj, "t", *_SNAPSHOT_KEYS)
        return ClassSnapshot(
            version=_count(obj["version"], "version"),
            teacher=_bool(obj["teacher"], "teacher"),
            paused=_bool(obj["paused"], "paused"),
            pushes=_count(obj["pushes"], "pushes"),
            spotlight=_optional(_word, obj["spotlight"], "spotlight"),
            source=_optional(_word, obj["source"], "source"),
            state_version=_count(obj["state_version"], "state_version"),
            state=_optional(lesson_state, obj["state"], "state"),
        )
    if kind == "roster":
        _keys(obj, "t", "students")
        students = _list(obj["students"], MAX_ROSTER, "students")
        return Roster(tuple(roster_entry(item) for item in students))
    if kind == "bye":
        _keys(obj, "t", "reason")
        return Bye(_text(obj["reason"], MAX_REASON, "reason"))
    raise ProtocolError(f"unknown message type {_show(kind)}")


def lesson_state(value: object, what: str = "state") -> LessonState:
    obj = _dict(value, what)
    _keys(obj, "timeline", "epoch", "micro", "sample", "view", "preset", "running")
    timeline = []
    for item in _list(obj["timeline"], MAX_TIMELINE, "timeline"):
        pair = _list(item, 2, "timeline entry")
        if len(pair) != 2:
            raise ProtocolError("a timeline entry is [epoch, config]")
        timeline.append((_count(pair[0], "timeline epoch"), _text(pair[1], MAX_TEXT, "config")))
    if not timeline:
        raise ProtocolError("timeline is empty: it starts with the run's first config")
    return LessonState(
        timeline=tuple(timeline),
        epoch=_count(obj["epoch"], "epoch"),
        micro=_count(obj["micro"], "micro"),
        sample=_count(obj["sample"], "sample"),
        view=_optional(_word, obj["view"], "view"),
        preset=_optional(_word, obj["preset"], "preset"),
        running=_bool(obj["running"], "running"),
    )


def student_status(value: object, what: str = "status") -> StudentStatus:
    obj = _dict(value, what)
    _keys(obj, "config", "epoch", "loss", "state", "mode")
    return StudentStatus(
        config=_text(obj["config"], MAX_TEXT, "config"),
        epoch=_count(obj["epoch"], "epoch"),
        loss=_optional(_float, obj["loss"], "loss"),
        state=_choice(obj["state"], STATE_WORDS, "state"),
        mode=_choice(obj["mode"], MODES, "mode"),
    )


def roster_entry(value: object) -> RosterEntry:
    obj = _dict(value, "roster entry")
    _keys(obj, "name", "mode", "config", "epoch", "loss", "state")
    return RosterEntry(
        name=_word(obj["name"], "name"),
        mode=_choice(obj["mode"], MODES, "mode"),
        config=_text(obj["config"], MAX_TEXT, "config"),
        epoch=_count(obj["epoch"], "epoch"),
        loss=_optional(_float, obj["loss"], "loss"),
        state=_choice(obj["state"], STATE_WORDS, "state"),
    )


# -- field checks --------------------------------------------------------------------------

T = TypeVar("T")
S = TypeVar("S", bound=str)


def _object(line: bytes, limit: int) -> dict[str, Any]:
    if len(line) > limit:
        raise ProtocolError(f"line longer than {limit} bytes")
    try:
        value = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(f"not JSON: {error}") from None
    return _dict(value, "message")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def _dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError(f"{what} must be an object")
    return cast(dict[str, Any], value)


def _keys(obj: Mapping[str, Any], *keys: str) -> None:
    if set(obj) != set(keys):
        extra = sorted(set(obj) - set(keys))
        missing = sorted(set(keys) - set(obj))
        raise ProtocolError(f"wrong keys: extra {_show(extra)}, missing {_show(missing)}")


def _list(value: object, limit: int, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProtocolError(f"{what} must be a list")
    if len(value) > limit:
        raise ProtocolError(f"{what} holds more than {limit} items")
    return value


def _count(value: object, what: str) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise ProtocolError(f"{what} must be a whole number from 0 to {MAX_COUNT}")
    return value


def _float(value: object, what: str) -> float:
    if type(value) not in (int, float) or not math.isfinite(cast(float, value)):
        raise ProtocolError(f"{what} must be a finite number or null")
    return float(cast(float, value))


def _bool(value: object, what: str) -> bool:
    if type(value) is not bool:
        raise ProtocolError(f"{what} must be true or false")
    return value


def _text(value: object, limit: int, what: str) -> str:
    if not isinstance(value, str) or len(value) > limit or not value.isprintable():
        raise ProtocolError(f"{what} must be printable text of at most {limit} characters")
    return value


def _word(value: object, what: str) -> str:
    text = _text(value, MAX_WORD, what)
    if not text:
        raise ProtocolError(f"{what} is empty")
    return text


def _choice(value: object, choices: tuple[S, ...], what: str) -> S:
    for choice in choices:
        if value == choice:
            return choice
    raise ProtocolError(f"{what} must be one of {', '.join(choices)}")


def _optional(check: Callable[[object, str], T], value: object, what: str) -> T | None:
    return None if value is None else check(value, what)


def _show(value: object) -> str:
    """A short, printable rendering of hostile input, for error messages and logs."""
    return printable(repr(value), 60)


def printable(text: str, limit: int = MAX_REASON) -> str:
    """``text`` with control characters replaced and cut to ``limit``: safe to log."""
    clean = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
