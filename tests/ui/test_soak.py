"""A random-key soak: many presses and parameter edits with a fixed seed; the app
never raises and the table always shows the engine's current epoch."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import ModalScreen

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.table.unrolled import UnrolledTable

from .conftest import WIDE, assert_table_matches_engine, driving, type_into

KEYS = (
    ["space"] * 6
    + ["left", "backspace", "pagedown", "pageup", "home", "end", "0", "R"]
    + ["p", "r", "plus", "minus", "right_square_bracket", "left_square_bracket"]
    + ["y", "w", "a", "up", "down", "shift+left", "shift+right", "tab", "escape"]
    + ["question_mark", "ctrl+s"]
)
EDITS = (
    ("wx", ["0.5", "abc", "1e9", "-1"]),
    ("wrec", ["1.1", "nan", "3"]),
    ("lr_wx", ["0.01", "-1", "0.5"]),
    ("lr_wrec", ["0.001", "x", "2"]),
    ("clip", ["norm:1", "value:0.5", "bogus", "none"]),
    ("epochs", ["300", "0", "2e3"]),
    ("data", ["random:4x6", "notebook", "random:0x1", "/missing.csv", "roelants"]),
)
PRESSES = 200  # the rules get thousands of commands in test_controller.py
BURST = 10  # keys sent back to back, as from key repeat, before the app catches up


def send_burst(app: RnnTuiApp, keys: list[str]) -> None:
    """Queue key events without waiting between them: the app must coalesce them."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        character = key if len(key) == 1 else {"space": " "}.get(key)
        driver.send_message(events.Key(key, character))


async def close_dialogs(app: RnnTuiApp, pilot: Pilot[None]) -> None:
    """Escape every dialog a burst opened (a burst can stack two, e.g. ctrl+s then ?, and a
    loaded machine can open one after the burst's pause)."""
    await pilot.pause()
    for _ in range(5):
        if not isinstance(app.screen, ModalScreen):
            return
        await pilot.press("escape")
        await pilot.pause()
    assert not isinstance(app.screen, ModalScreen), (app.screen, app.focused, app.screen_stack)


@pytest.mark.slow
async def test_random_keys_and_edits_never_break_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Random keys reach the session dialog, whose Save writes to the working directory.
    monkeypatch.chdir(tmp_path)
    rng = random.Random(20240601)
    async with driving(size=WIDE) as (app, pilot):
        for burst in range(PRESSES // BURST):
            if rng.random() < 0.2:
                await close_dialogs(app, pilot)
                key, values = rng.choice(EDITS)
                await type_into(pilot, f"#param-{key}", rng.choice(values))
                await pilot.press("escape")
            send_burst(app, [rng.choice(KEYS) for _ in range(BURST)])
            await pilot.pause(0.02 if app.runner.active else 0)
            if app.runner.active:
                app.action_toggle_run()  # keep runs short so the soak stays fast
                await pilot.pause()
            await close_dialogs(app, pilot)
            if burst % 5 == 0 and isinstance(app.focused, UnrolledTable):
                assert_table_matches_engine(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not app.runner.active
        assert_table_matches_engine(app)
