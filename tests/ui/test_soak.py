"""A random-key soak: many presses and parameter edits with a fixed seed; the app
never raises and the table always shows the engine's current epoch."""

from __future__ import annotations

import random

from rnn_tui.ui.table.unrolled import UnrolledTable

from .conftest import assert_table_matches_engine, driving, type_into

KEYS = (
    ["space"] * 6
    + ["left", "backspace", "pagedown", "pageup", "home", "end", "0", "R"]
    + ["p", "r", "plus", "minus", "right_square_bracket", "left_square_bracket"]
    + ["y", "w", "a", "up", "down", "shift+left", "shift+right", "tab", "escape"]
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
PRESSES = 1200


async def test_random_keys_and_edits_never_break_the_app() -> None:
    rng = random.Random(20240601)
    async with driving() as (app, pilot):
        for press in range(PRESSES):
            if rng.random() < 0.03:
                key, values = rng.choice(EDITS)
                await type_into(pilot, f"#param-{key}", rng.choice(values))
                await pilot.press("escape")
            else:
                await pilot.press(rng.choice(KEYS))
            if press % 50 == 0:
                await pilot.pause()
                if not app.runner.active and isinstance(app.focused, UnrolledTable):
                    assert_table_matches_engine(app)
        await pilot.press("escape")
        if app.runner.active:
            await pilot.press("p")
        await pilot.pause()
        assert not app.runner.active
        assert_table_matches_engine(app)
