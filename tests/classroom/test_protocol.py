"""The class channel's wire format: every message round-trips; anything else is refused."""

from __future__ import annotations

import contextlib
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_tui.classroom.protocol import (
    MAX_CLIENT_LINE,
    Bye,
    ClassSnapshot,
    ExactPoint,
    LessonState,
    PauseClass,
    ProtocolError,
    PublishState,
    PublishStatus,
    Push,
    Roster,
    RosterEntry,
    Spotlight,
    StudentStatus,
    Welcome,
    decode_client,
    decode_hub,
    encode_client,
    encode_hub,
    printable,
)

STATE = LessonState(
    ((0, "wx=0.2,wrec=1.5"), (40, "wx=0.2,wrec=1.5,lr_wx=0.1")), 57, 9, 2, "landscape"
)
# Floats that a decimal rendering with fewer digits would not bring back exactly.
EXACT = ExactPoint((0.1 + 0.2, -(2.0**-1074)), (1 / 3, 5e-324), (math.pi, -0.0, 1e308, 2.0))
STATE_WITH_EXACT = LessonState(((0, "wx=0.2,wrec=1.5"),), 99, exact=EXACT)
STATUS = StudentStatus("wx=0.5", 120, 0.0123, "stalled", "exploring")

CLIENT_MESSAGES = [
    PublishState(STATE),
    PublishState(LessonState(((0, ""),), 0, preset="seed-sigmoid", running=True)),
    PublishStatus(STATUS),
    PublishStatus(StudentStatus("", 0, None, "starting", "following")),
    Push(),
    Spotlight("alice#2"),
    Spotlight(None),
    PauseClass(True),
]
HUB_MESSAGES = [
    Welcome("student", "alice#2"),
    ClassSnapshot(7, True, False, 2, "bob", "bob", 3, STATE),
    ClassSnapshot(0, False, False, 0, None, None, 0, None),
    Roster((RosterEntry("bob", "exploring", "wx=1", 3, None, "diverged"),)),
    Roster(()),
    Bye("cut off: more than 200 messages a second"),
]


@pytest.mark.parametrize("message", CLIENT_MESSAGES, ids=repr)
def test_client_messages_round_trip_as_one_line(message: object) -> None:
    line = encode_client(message)  # type: ignore[arg-type]
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode_client(line) == message


@pytest.mark.parametrize("message", HUB_MESSAGES, ids=repr)
def test_hub_messages_round_trip_as_one_line(message: object) -> None:
    line = encode_hub(message)  # type: ignore[arg-type]
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode_hub(line) == message


def test_a_loss_that_is_not_finite_travels_as_null() -> None:
    for loss in (math.inf, math.nan):
        status = StudentStatus("wx=1", 5, loss, "diverged", "exploring")
        assert decode_client(encode_client(PublishStatus(status))).status.loss is None  # type: ignore[union-attr]


def _status(**changes: object) -> bytes:
    obj = {"config": "wx=1", "epoch": 1, "loss": 0.5, "state": "running", "mode": "following"}
    return json.dumps({"t": "status", "status": obj | changes}).encode()


def _state(**changes: object) -> bytes:
    obj = {
        "timeline": [[0, "wx=1"]],
        "epoch": 1,
        "micro": 0,
        "sample": 0,
        "view": None,
        "preset": None,
        "running": False,
        "exact": None,
    }
    return json.dumps({"t": "state", "state": obj | changes}).encode()


def _exact(**changes: object) -> bytes:
    obj = {"weights": [0.5, 1.25], "previous": [0.5, 1.0], "optimizer": [0.1, 0.2]}
    return _state(exact=obj | changes)


REFUSED = {
    "empty": b"",
    "not json": b"{",
    "a list": b"[]",
    "no type": b"{}",
    "unknown type": b'{"t": "shell"}',
    "extra key": b'{"t": "push", "also": 1}',
    "missing key": b'{"t": "pause"}',
    "string as bool": b'{"t": "pause", "on": "yes"}',
    "bool as number": _status(epoch=True),
    "float epoch": _status(epoch=1.5),
    "negative epoch": _status(epoch=-1),
    "huge epoch": _status(epoch=10**13),
    "NaN": _status(loss=float("nan")),
    "Infinity": b'{"t":"status","status":{"config":"","epoch":1,"loss":Infinity,'
    b'"state":"running","mode":"following"}}',
    "unknown state word": _status(state="happy"),
    "unknown mode": _status(mode="leading"),
    "escape in config": _status(config="\x1b[2J"),
    "newline in config": _status(config="a\nb"),
    "long config": _status(config="x" * 401),
    "empty timeline": _state(timeline=[]),
    "long timeline": _state(timeline=[[0, "x"]] * 101),
    "short timeline entry": _state(timeline=[[0]]),
    "timeline entry of three": _state(timeline=[[0, "x", 1]]),
    "empty view": _state(view=""),
    "exact not an object": _state(exact=[1.0, 2.0]),
    "exact extra key": _exact(loss=1.0),
    "NaN weight": _exact(weights=[float("nan"), 1.0]),
    "one weight": _exact(weights=[1.0]),
    "three previous weights": _exact(previous=[1.0, 2.0, 3.0]),
    "string weight": _exact(weights=["1.0", 2.0]),
    "huge optimizer state": _exact(optimizer=[0.0] * 9),
    "infinite optimizer state": b'{"t":"state","state":{"timeline":[[0,"wx=1"]],"epoch":1,'
    b'"micro":0,"sample":0,"view":null,"preset":null,"running":false,"exact":{"weights":'
    b'[1,2],"previous":null,"optimizer":[-Infinity]}}}',
    "long name": b'{"t": "spotlight", "name": "' + b"a" * 41 + b'"}',
    "deep nesting": b"[" * 50_000,
    "not utf-8": b'{"t": "\xff\xfe"}',
    "too long": b'{"t": "push"}' + b" " * MAX_CLIENT_LINE,
}


@pytest.mark.parametrize("line", REFUSED.values(), ids=REFUSED.keys())
def test_anything_off_schema_is_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_client(line)


def test_an_app_cannot_send_hub_messages_and_the_hub_cannot_send_app_ones() -> None:
    with pytest.raises(ProtocolError):
        decode_client(encode_hub(Welcome("teacher", "teacher")))
    with pytest.raises(ProtocolError):
        decode_hub(encode_client(Push()))


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_anything_but_a_protocol_error(data: bytes) -> None:
    for decode in (decode_client, decode_hub):
        with contextlib.suppress(ProtocolError):
            decode(data)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(JSON)
def test_arbitrary_json_never_raises_anything_but_a_protocol_error(value: object) -> None:
    line = json.dumps({"t": "state", "state": value}).encode()
    with pytest.raises(ProtocolError):
        decode_client(line)


def test_printable_cleans_text_for_logs() -> None:
    assert printable("a\x1b[31mb\nc\x07") == "a\ufffd[31mb\ufffdc\ufffd"
    assert printable("x" * 500, 10) == "x" * 9 + "…"


def test_the_exact_point_travels_bit_for_bit() -> None:
    for decode, encode, message in (
        (decode_client, encode_client, PublishState(STATE_WITH_EXACT)),
        (
            decode_hub,
            encode_hub,
            ClassSnapshot(1, True, False, 0, None, "teacher", 1, STATE_WITH_EXACT),
        ),
    ):
        back = decode(encode(message))  # type: ignore[operator]
        state = back.state
        assert isinstance(state, LessonState) and state.exact is not None
        got = (*state.exact.weights, *(state.exact.previous or ()), *state.exact.optimizer)
        sent = (*EXACT.weights, *(EXACT.previous or ()), *EXACT.optimizer)
        assert [v.hex() for v in got] == [v.hex() for v in sent]
