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
from typing import Any, TypedDict

from rnn_tui.engine import MAX_OPTIMIZER_STATE  # the wire carries what a checkpoint may hold

from .fields import (
    ProtocolError,
    as_dict,
    as_list,
    boolean,
    count,
    exact_keys,
    finite,
    json_object,
    one_of,
    optional,
    printable,
    printable_text,
    shown,
    word,
)
from .messages import (
    CLASS_FD_ENV,
    MAX_CLIENT_LINE,
    MAX_HUB_LINE,
    MAX_REASON,
    MAX_ROSTER,
    MAX_TEXT,
    MAX_TIMELINE,
    MAX_WORD,
    MODES,
    ROLES,
    STATE_WORDS,
    Bye,
    ClassSnapshot,
    ClientMessage,
    ExactPoint,
    HubMessage,
    LessonState,
    Mode,
    PauseClass,
    PublishState,
    PublishStatus,
    Push,
    Role,
    Roster,
    RosterEntry,
    Spotlight,
    StudentStatus,
    Welcome,
)

# The one import point for the channel's users: the messages, their wire format, the error.
__all__ = [
    "CLASS_FD_ENV",
    "MAX_CLIENT_LINE",
    "MAX_HUB_LINE",
    "MAX_TEXT",
    "MAX_TIMELINE",
    "MAX_WORD",
    "Bye",
    "ClassSnapshot",
    "ClientMessage",
    "ExactPoint",
    "HubMessage",
    "LessonState",
    "Mode",
    "PauseClass",
    "ProtocolError",
    "PublishState",
    "PublishStatus",
    "Push",
    "Role",
    "Roster",
    "RosterEntry",
    "Spotlight",
    "StudentStatus",
    "Welcome",
    "decode_client",
    "decode_hub",
    "encode_client",
    "encode_hub",
    "finite_or_none",
    "lesson_state",
    "printable",
    "roster_entry",
    "student_status",
]


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
        "exact": None if state.exact is None else _exact_obj(state.exact),
    }


def _exact_obj(exact: ExactPoint) -> dict[str, Any]:
    previous = None if exact.previous is None else list(exact.previous)
    return {
        "weights": list(exact.weights),
        "previous": previous,
        "optimizer": list(exact.optimizer),
    }


def _status_obj(status: StudentStatus) -> dict[str, Any]:
    return {**_run_obj(status), "mode": status.mode}


def _entry_obj(entry: RosterEntry) -> dict[str, Any]:
    return {"name": entry.name, "mode": entry.mode, **_run_obj(entry)}


def _run_obj(run: StudentStatus | RosterEntry) -> dict[str, Any]:
    """The fields a student's status and a roster entry share, in the wire's order."""
    return {
        "config": run.config,
        "epoch": run.epoch,
        "loss": finite_or_none(run.loss),
        "state": run.state,
    }


def finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


# -- decoding ------------------------------------------------------------------------------


def decode_client(line: bytes) -> ClientMessage:
    obj = json_object(line, MAX_CLIENT_LINE)
    kind = obj.get("t")
    if kind == "state":
        exact_keys(obj, "t", "state")
        return PublishState(lesson_state(obj["state"]))
    if kind == "status":
        exact_keys(obj, "t", "status")
        return PublishStatus(student_status(obj["status"]))
    if kind == "push":
        exact_keys(obj, "t")
        return Push()
    if kind == "spotlight":
        exact_keys(obj, "t", "name")
        return Spotlight(optional(word, obj["name"], "name"))
    if kind == "pause":
        exact_keys(obj, "t", "on")
        return PauseClass(boolean(obj["on"], "on"))
    raise ProtocolError(f"unknown message type {shown(kind)}")


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
    obj = json_object(line, MAX_HUB_LINE)
    kind = obj.get("t")
    if kind == "welcome":
        exact_keys(obj, "t", "role", "name")
        return Welcome(one_of(obj["role"], ROLES, "role"), word(obj["name"], "name"))
    if kind == "class":
        exact_keys(obj, "t", *_SNAPSHOT_KEYS)
        return ClassSnapshot(
            version=count(obj["version"], "version"),
            teacher=boolean(obj["teacher"], "teacher"),
            paused=boolean(obj["paused"], "paused"),
            pushes=count(obj["pushes"], "pushes"),
            spotlight=optional(word, obj["spotlight"], "spotlight"),
            source=optional(word, obj["source"], "source"),
            state_version=count(obj["state_version"], "state_version"),
            state=optional(lesson_state, obj["state"], "state"),
        )
    if kind == "roster":
        exact_keys(obj, "t", "students")
        students = as_list(obj["students"], MAX_ROSTER, "students")
        return Roster(tuple(roster_entry(item) for item in students))
    if kind == "bye":
        exact_keys(obj, "t", "reason")
        return Bye(printable_text(obj["reason"], MAX_REASON, "reason"))
    raise ProtocolError(f"unknown message type {shown(kind)}")


def lesson_state(value: object, what: str = "state") -> LessonState:
    obj = as_dict(value, what)
    exact_keys(obj, "timeline", "epoch", "micro", "sample", "view", "preset", "running", "exact")
    timeline = []
    for item in as_list(obj["timeline"], MAX_TIMELINE, "timeline"):
        pair = as_list(item, 2, "timeline entry")
        if len(pair) != 2:
            raise ProtocolError("a timeline entry is [epoch, config]")
        epoch = count(pair[0], "timeline epoch")
        timeline.append((epoch, printable_text(pair[1], MAX_TEXT, "config")))
    if not timeline:
        raise ProtocolError("timeline is empty: it starts with the run's first config")
    return LessonState(
        timeline=tuple(timeline),
        epoch=count(obj["epoch"], "epoch"),
        micro=count(obj["micro"], "micro"),
        sample=count(obj["sample"], "sample"),
        view=optional(word, obj["view"], "view"),
        preset=optional(word, obj["preset"], "preset"),
        running=boolean(obj["running"], "running"),
        exact=optional(exact_point, obj["exact"], "exact"),
    )


def exact_point(value: object, what: str = "exact") -> ExactPoint:
    """Shapes and finiteness only: whether a run here can stand on it, the engine judges."""
    obj = as_dict(value, what)
    exact_keys(obj, "weights", "previous", "optimizer")
    optimizer = as_list(obj["optimizer"], MAX_OPTIMIZER_STATE, "optimizer state")
    return ExactPoint(
        weights=_pair(obj["weights"], "weights"),
        previous=optional(_pair, obj["previous"], "previous weights"),
        optimizer=tuple(finite(v, "optimizer state") for v in optimizer),
    )


def _pair(value: object, what: str) -> tuple[float, float]:
    pair = as_list(value, 2, what)
    if len(pair) != 2:
        raise ProtocolError(f"{what} must be two numbers")
    return finite(pair[0], what), finite(pair[1], what)


class _RunFields(TypedDict):
    config: str
    epoch: int
    loss: float | None
    state: str


def _run_fields(obj: dict[str, Any]) -> _RunFields:
    """The fields a student's status and a roster entry share, checked."""
    return {
        "config": printable_text(obj["config"], MAX_TEXT, "config"),
        "epoch": count(obj["epoch"], "epoch"),
        "loss": optional(finite, obj["loss"], "loss"),
        "state": one_of(obj["state"], STATE_WORDS, "state"),
    }


def student_status(value: object, what: str = "status") -> StudentStatus:
    obj = as_dict(value, what)
    exact_keys(obj, "config", "epoch", "loss", "state", "mode")
    return StudentStatus(**_run_fields(obj), mode=one_of(obj["mode"], MODES, "mode"))


def roster_entry(value: object) -> RosterEntry:
    obj = as_dict(value, "roster entry")
    exact_keys(obj, "name", "mode", "config", "epoch", "loss", "state")
    name, mode = word(obj["name"], "name"), one_of(obj["mode"], MODES, "mode")
    return RosterEntry(name=name, mode=mode, **_run_fields(obj))
