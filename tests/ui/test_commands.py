"""Commands are plain values: they survive JSON exactly, and whatever arrives on the
wire is either a valid command or a CommandError (never another exception)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_tui.ui import commands as cmd

EVERY_KIND: list[cmd.Command] = [
    cmd.Step(-3),
    cmd.Micro(1),
    cmd.GoTo(1000),
    cmd.GoStart(),
    cmd.GoHead(),
    cmd.Reset(),
    cmd.ToggleRun(),
    cmd.RunToTarget(),
    cmd.Speed(-2),
    cmd.ApplyConfig("lr_wx=0.05,clip=norm:1", field="lr_wx"),
    cmd.ApplyConfig("activation=tanh", whole=True),
    cmd.LoadPreset("exploding"),
    cmd.SelectSample(2),
    cmd.OpenView("landscape"),
    cmd.Tick(),
]


def test_every_kind_is_covered() -> None:
    assert {c.kind for c in EVERY_KIND} == set(cmd.COMMANDS)


@pytest.mark.parametrize("command", EVERY_KIND, ids=lambda c: c.kind)
def test_a_command_round_trips_through_json_text(command: cmd.Command) -> None:
    wire = json.dumps(cmd.to_json(command))
    assert cmd.from_json(json.loads(wire)) == command


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "JSON object"),
        ({"epochs": 1}, "unknown command kind"),
        ({"kind": "format_disk"}, "unknown command kind"),
        ({"kind": 3}, "unknown command kind"),
        ({"kind": "step"}, "missing field epochs"),
        ({"kind": "step", "epochs": 1, "extra": 2}, "unknown field 'extra'"),
        ({"kind": "step", "epochs": True}, "whole number"),
        ({"kind": "step", "epochs": 1.0}, "whole number"),
        ({"kind": "step", "epochs": "1"}, "whole number"),
        ({"kind": "step", "epochs": 10**100}, "must be in"),
        ({"kind": "goto", "epoch": -1}, "must be in"),
        ({"kind": "goto", "epoch": 10**12}, "must be in"),
        ({"kind": "micro", "direction": 0}, "+1 or -1"),
        ({"kind": "micro", "direction": 5}, "must be in"),
        ({"kind": "speed", "steps": 10**9}, "must be in"),
        ({"kind": "select_sample", "index": -1}, "must be in"),
        ({"kind": "load_preset", "name": "nope"}, "no preset"),
        ({"kind": "load_preset", "name": ["seed-linear"]}, "must be text"),
        ({"kind": "open_view", "name": "../../etc"}, "no view"),
        ({"kind": "apply_config", "text": "x" * 100_000}, "longer than"),
        ({"kind": "apply_config", "text": None}, "must be text"),
        ({"kind": "apply_config", "text": "lr=1\x1b[2J"}, "control characters"),
        ({"kind": "load_preset", "name": "seed-linear\n"}, "control characters"),
        ({"kind": "apply_config", "text": "lr=1", "whole": "yes"}, "true or false"),
    ],
)
def test_hostile_commands_are_refused_with_a_reason(data: Any, words: str) -> None:
    with pytest.raises(cmd.CommandError, match=words.replace("+", r"\+")):
        cmd.from_json(data)


def test_commands_built_in_code_are_checked_too() -> None:
    with pytest.raises(cmd.CommandError):
        cmd.Step(cmd.MAX_STEP + 1)
    with pytest.raises(cmd.CommandError):
        cmd.OpenView("nowhere")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)


@given(
    st.sampled_from(sorted(cmd.COMMANDS)),
    st.dictionaries(
        st.sampled_from(["epochs", "direction", "epoch", "steps", "text", "whole", "field",
                         "name", "index", "other"]),
        JSON,
        max_size=4,
    ),
)  # fmt: skip
def test_any_json_is_a_command_or_a_command_error(kind: str, fields: dict[str, Any]) -> None:
    try:
        command = cmd.from_json({"kind": kind, **fields})
    except cmd.CommandError:
        return
    assert cmd.from_json(cmd.to_json(command)) == command


@given(JSON)
def test_any_json_value_at_all(data: Any) -> None:
    with contextlib.suppress(cmd.CommandError):
        cmd.from_json(data)
