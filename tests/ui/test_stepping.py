"""Stepping and rewinding with real keys: the engine moves and the screen follows."""

from __future__ import annotations

from rnn_tui.engine import PRESETS, Trainer
from rnn_tui.ui.keys import KEYS
from rnn_tui.ui.table.unrolled import UnrolledTable

from .conftest import assert_table_matches_engine, driving, number, status


async def test_start_screen_shows_epoch_zero_of_the_notebook() -> None:
    async with driving() as (app, _):
        assert app.trainer.epoch == 0
        assert "seed-linear" in status(app)
        assert "epoch 0 / 50 000" in status(app)
        assert "loss 2.0225" in status(app)
        assert "paused" in status(app)
        # a_1 = x_1 * wx = 0.2 for the first sequence 100
        assert number(app, "t1", "a") == 0.2
        assert_table_matches_engine(app)


async def test_space_steps_one_epoch_and_matches_a_fresh_trainer() -> None:
    async with driving() as (app, pilot):
        await pilot.press(*["space"] * 5)
        await pilot.pause()
        reference = Trainer(PRESETS["seed-linear"])
        reference.step(5)
        assert app.trainer.epoch == 5
        assert app.trainer.weights == reference.weights
        assert "epoch 5 / 50 000" in status(app)
        assert_table_matches_engine(app)


async def test_left_and_backspace_rewind_exactly() -> None:
    async with driving() as (app, pilot):
        await pilot.press("space", "space", "space")
        await pilot.pause()
        weights_at_1 = app.trainer.history.row(1)[:2]
        await pilot.press("left", "backspace")
        await pilot.pause()
        assert app.trainer.epoch == 1
        assert app.trainer.weights == weights_at_1
        assert "epoch 1 / 50 000 (computed to 3)" in status(app)
        assert_table_matches_engine(app)
        await pilot.press("left", "left", "left")  # cannot go below 0
        await pilot.pause()
        assert app.trainer.epoch == 0
        assert "Already at epoch 0" in str(app.query_one("#notice").content)


async def test_changed_cells_are_marked_after_a_step_only() -> None:
    async with driving() as (app, pilot):
        assert "▲" not in "".join(app.query_one("#unrolled").cell_text("t1", k) for k in ("a", "s"))
        await pilot.press("space")
        await pilot.pause()
        # wx grew from 0.2, so a_1 = x_1 * wx went up; x_1 never changes
        assert app.query_one("#unrolled").cell_text("t1", "a").endswith("▲")
        assert not app.query_one("#unrolled").cell_text("t1", "x").endswith(("▲", "▼"))


async def test_gradient_cells_carry_a_magnitude_glyph() -> None:
    async with driving() as (app, _):
        table = app.query_one("#unrolled")
        assert table.cell_text("t1", "delta").lstrip().startswith("█")  # the largest δ
        assert table.cell_text("t1", "delta_s_prev").strip() == "0"  # s_0 = 0: exactly zero
        assert table.cell_text("t1", "a").lstrip()[0] in "+-"  # no glyph on forward values


async def test_home_end_and_page_keys_move_through_history() -> None:
    async with driving() as (app, pilot):
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.trainer.epoch == 100
        await pilot.press("home")
        await pilot.pause()
        assert app.trainer.epoch == 0 and app.trainer.head == 100
        await pilot.press("end")
        await pilot.pause()
        assert app.trainer.epoch == 100
        await pilot.press("pageup", "0")
        await pilot.pause()
        assert app.trainer.epoch == 0


async def test_reset_forgets_history() -> None:
    async with driving() as (app, pilot):
        await pilot.press("space", "space", "R")
        await pilot.pause()
        assert app.trainer.epoch == 0 and app.trainer.head == 0
        assert "Reset" in str(app.query_one("#notice").content)


async def test_cost_chart_marks_the_current_epoch_and_switches_to_log() -> None:
    async with driving() as (app, pilot):
        await pilot.press(*["space"] * 10)
        await pilot.pause()
        chart = app.query_one("#cost")
        drawn = chart.render().plain  # type: ignore[union-attr]
        assert "◆" in drawn
        assert "1e" not in drawn
        await pilot.press("y")
        await pilot.pause()
        drawn = chart.render().plain  # type: ignore[union-attr]
        assert "1e0" in drawn or "1e-1" in drawn
        assert "log scale" in str(chart.border_title)
        await pilot.press("w")
        await pilot.pause()
        assert "plane" in str(app.query_one("#weights").border_title)


async def test_the_cell_cursor_names_the_cell_in_engine_terms() -> None:
    async with driving() as (app, pilot):
        table = app.query_one(UnrolledTable)
        await pilot.press("down", "shift+right", "shift+right", "right_square_bracket")
        await pilot.pause()
        cell_ref = table.cell_ref
        assert cell_ref is not None
        assert (cell_ref.sample, cell_ref.timestep, cell_ref.column) == (1, 2, "a")
        await pilot.press(*["down"] * 5)
        await pilot.pause()
        assert table.cell_ref is not None and table.cell_ref.row == "total"
        assert table.cell_ref.timestep is None
        assert app.trainer.epoch == 0  # the cursor keys never move through epochs


async def test_the_command_palette_offers_every_action_and_preset() -> None:
    async with driving() as (app, _):
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {key.label for key in KEYS if key.view is None} <= titles
        assert {f"Preset: {name}" for name in PRESETS} <= titles
