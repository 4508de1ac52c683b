"""Every key of the main screen sends its command to the run controller (the rules
behind the commands are unit tests in test_controller.py)."""

from __future__ import annotations

from rnn_tui.engine import PRESETS
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.keys import KEYS

from .conftest import WIDE, driving, type_into

SECOND_PRESET = list(PRESETS)[1]

KEY_COMMANDS: list[tuple[str, cmd.Command]] = [
    ("space", cmd.Step(1)),
    ("right", cmd.Step(1)),
    ("left", cmd.Step(-1)),
    ("backspace", cmd.Step(-1)),
    ("pagedown", cmd.Step(100)),
    ("pageup", cmd.Step(-100)),
    ("full_stop", cmd.Micro(1)),
    ("comma", cmd.Micro(-1)),
    ("end", cmd.GoHead()),
    ("home", cmd.GoStart()),
    ("0", cmd.GoStart()),
    ("R", cmd.Reset()),
    ("p", cmd.ToggleRun()),
    ("p", cmd.ToggleRun()),
    ("r", cmd.RunToTarget()),
    ("space", cmd.Step(1)),
    ("plus", cmd.Speed(1)),
    ("equals_sign", cmd.Speed(1)),
    ("minus", cmd.Speed(-1)),
    ("right_square_bracket", cmd.SelectSample(1)),
    ("left_square_bracket", cmd.SelectSample(0)),
    ("left_square_bracket", cmd.SelectSample(2)),  # wraps round
    ("e", cmd.OpenView("explain")),
    ("e", cmd.OpenView("charts")),
    ("l", cmd.OpenView("landscape")),
    ("g", cmd.OpenView("gradients")),
    ("c", cmd.OpenView("gradcheck")),
    ("n", cmd.OpenView("lessons")),
    ("2", cmd.LoadPreset(SECOND_PRESET)),
    ("n", cmd.OpenView("gradcheck")),  # closing the lesson guide uncovers the view it hid
]


def recording(app: RnnTuiApp) -> list[cmd.Command]:
    """Record what the App hands the controller (frame ticks aside)."""
    sent: list[cmd.Command] = []
    handle = app.controller.handle

    def record(command: cmd.Command):  # type: ignore[no-untyped-def]
        if not isinstance(command, cmd.Tick):
            sent.append(command)
        return handle(command)

    app.controller.handle = record  # type: ignore[method-assign]
    return sent


async def test_each_key_sends_its_command() -> None:
    async with driving(size=WIDE) as (app, pilot):
        sent = recording(app)
        app.redraw = lambda views=True: None  # type: ignore[method-assign]  # keys, not drawing
        # R and a preset ask first when the run would be lost: y confirms.
        await pilot.press(*[k for key, _ in KEY_COMMANDS for k in (key, "y")[: 1 + (key in "R2")]])
        await pilot.pause()
        assert sent == [command for _, command in KEY_COMMANDS]
        await type_into(pilot, "#param-lr_wx", "0.05")
        assert sent[-1] == cmd.ApplyConfig("lr_wx=0.05", field="lr_wx")


COMMAND_ACTIONS = {"step", "micro", "goto_start", "goto_head", "reset", "toggle_run",
                   "run_to_target", "speed", "sample", "view"}  # fmt: skip


def test_every_command_key_is_in_the_list() -> None:
    """A new key in the key table needs a line above (the presets: key 2 stands for 1-5)."""
    pressed = {key for key, _ in KEY_COMMANDS}
    for key in KEYS:
        if key.action.split("(")[0] in COMMAND_ACTIONS:
            assert set(key.keys.split(",")) & pressed, key.keys
