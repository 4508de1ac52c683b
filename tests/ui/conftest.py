"""Helpers for driving the app with real key presses and reading what it shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot
from textual.widgets import Input

from rnn_tui.engine import PRESETS, Config
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.formatting import fmt
from rnn_tui.ui.runner import SEEK_SECONDS, Runner
from rnn_tui.ui.status.bar import StatusBar
from rnn_tui.ui.table.unrolled import UnrolledTable

# Below 110 columns the parameter panel is hidden and its fields are not made (two thirds
# of the app's widgets, 0.2 s of CPU an app start): the default for the tests that are not
# about the panel. Those that are, and those that need its width, use WIDE.
SMALL = (100, 40)
WIDE = (120, 40)
# A run to a goal epoch paced to last a tenth of a second rather than two: for tests that
# check where runs end, not how they go (the frames still draw; the budget still bounds them).
QUICK_SEEK = 0.1


@asynccontextmanager
async def driving(
    config: Config | str = "seed-linear",
    size: tuple[int, int] = SMALL,
    seek_seconds: float = SEEK_SECONDS,
) -> AsyncIterator[tuple[RnnTuiApp, Pilot[None]]]:
    """The app on a preset name or a config, ready for keys."""
    runner = Runner(seek_seconds=seek_seconds)
    if isinstance(config, str):
        app = RnnTuiApp(PRESETS[config].config, config, runner=runner)
    else:
        app = RnnTuiApp(config, runner=runner)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield app, pilot


def status(app: RnnTuiApp) -> str:
    return app.query_one(StatusBar).plain


def cell(app: RnnTuiApp, row: str, column: str) -> str:
    return app.query_one(UnrolledTable).cell_text(row, column)


def number(app: RnnTuiApp, row: str, column: str) -> float:
    """The number printed in a cell, without its marks."""
    text = cell(app, row, column).strip().strip("▲▼█▆▃▁ ")
    return float(text)


def assert_table_matches_engine(app: RnnTuiApp) -> None:
    """Every timestep cell shows the engine's trace at the current epoch."""
    table = app.query_one(UnrolledTable)
    trace = app.trainer.trace()
    sample = app.sample
    width = table.number_width
    assert table.shown_sample == sample
    for t in range(trace.t):
        for key in ("x", "a", "s", "fprime", "delta", "delta_x", "delta_s_prev"):
            expected = fmt(float(getattr(trace, key)[sample, t]), width).strip()
            assert expected in cell(app, f"t{t + 1}", key), (t, key)
    assert fmt(trace.dwx, width + 1).strip() in cell(app, "total", "delta_x")
    assert fmt(trace.dwrec, width + 1).strip() in cell(app, "total", "delta_s_prev")


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Put ``text`` in an input and press enter (typing it key by key costs a frame per
    character and tests nothing more: Textual's Input is Textual's to test)."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.press("enter")
    await pilot.pause()
