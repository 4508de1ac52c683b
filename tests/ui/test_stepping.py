"""Stepping and rewinding with real keys: the screen follows the engine. (What each key
does to the run is tested on the controller, test_controller.py.)"""

from __future__ import annotations

from rnn_tui.engine import PRESETS, Trainer
from rnn_tui.ui.keys import KEYS
from rnn_tui.ui.screens.help import HelpScreen
from rnn_tui.ui.table.unrolled import UnrolledTable

from .conftest import assert_table_matches_engine, driving, number, status


async def test_start_screen_shows_epoch_zero_of_the_notebook() -> None:
    async with driving() as (app, pilot):
        assert app.trainer.epoch == 0
        assert "seed-linear" in status(app)
        assert "epoch 0 / 50 000" in status(app)
        assert "loss 2.0225" in status(app)
        assert "paused" in status(app)
        # a_1 = x_1 * wx = 0.2 for the first sequence 100
        assert number(app, "t1", "a") == 0.2
        assert_table_matches_engine(app)
        table = app.query_one(UnrolledTable)
        assert table.cell_text("t1", "delta").lstrip().startswith("█")  # the largest δ
        assert table.cell_text("t1", "delta_s_prev").strip() == "0"  # s_0 = 0: exactly zero
        assert table.cell_text("t1", "a").lstrip()[0] in "+-"  # no glyph on forward values
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {key.label for key in KEYS if key.view is None} <= titles
        assert {f"Preset: {name}" for name in PRESETS} <= titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_stepping_and_rewinding_show_the_engine_numbers() -> None:
    async with driving() as (app, pilot):
        await pilot.press("space", "space", "space")
        await pilot.pause()
        reference = Trainer(PRESETS["seed-linear"])
        reference.step(3)
        assert app.trainer.weights == reference.weights
        assert "epoch 3 / 50 000" in status(app)
        assert_table_matches_engine(app)
        await pilot.press("left", "backspace")
        await pilot.pause()
        assert app.trainer.weights == reference.history.row(1)[:2]
        assert "epoch 1 / 50 000" in status(app) and "computed to 3 (end)" in status(app)
        assert_table_matches_engine(app)
        await pilot.press("left", "left", "left")  # cannot go below 0: the notice says so
        await pilot.pause()
        assert "Already at epoch 0" in str(app.query_one("#notice").content)


async def test_changed_cells_are_marked_after_a_step_only() -> None:
    async with driving() as (app, pilot):
        assert "▲" not in "".join(app.query_one("#unrolled").cell_text("t1", k) for k in ("a", "s"))
        await pilot.press("space")
        await pilot.pause()
        # wx grew from 0.2, so a_1 = x_1 * wx went up; x_1 never changes
        assert app.query_one("#unrolled").cell_text("t1", "a").endswith("▲")
        assert not app.query_one("#unrolled").cell_text("t1", "x").endswith(("▲", "▼"))


async def test_cost_chart_marks_the_current_epoch_and_switches_to_log() -> None:
    async with driving() as (app, pilot):
        await pilot.press(*["space"] * 10)
        await pilot.pause()
        chart = app.query_one("#cost")
        drawn = "".join(chart.render_line(y).text for y in range(chart.size.height))
        assert "◆" in drawn
        assert "1e" not in drawn
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()  # the chart plots after the frame that shows the key
        drawn = "".join(chart.render_line(y).text for y in range(chart.size.height))
        assert "1e0" in drawn or "1e-1" in drawn
        assert "log scale" in str(chart.border_title)
        await pilot.press("w")
        await pilot.pause()
        assert "plane" in str(app.query_one("#weights").border_title)


async def test_the_cell_cursor_names_the_cell_in_engine_terms() -> None:
    async with driving() as (app, pilot):
        table = app.query_one(UnrolledTable)
        # The cursor starts on x_t (never on the row labels): one shift+right is a_t.
        await pilot.press("down", "shift+right", "right_square_bracket")
        await pilot.pause()
        cell_ref = table.cell_ref
        assert cell_ref is not None
        assert (cell_ref.sample, cell_ref.timestep, cell_ref.column) == (1, 2, "a")
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert table.cell_ref is not None and table.cell_ref.row == "total"
        assert table.cell_ref.timestep is None
        assert app.trainer.epoch == 0  # the cursor keys never move through epochs
