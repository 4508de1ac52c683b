"""Running, pausing, speed and divergence, through the keys and the frame timer."""

from __future__ import annotations

from rnn_tui.engine import Config
from rnn_tui.ui.runner import DEFAULT_SPEED, SPEEDS

from .conftest import assert_table_matches_engine, driving, status

EXPLODING = Config.parse("wrec=3,lr_wx=1,lr_wrec=1,data=random:5x20,epochs=1000")


async def test_p_runs_and_pauses_and_keys_answer_while_running() -> None:
    async with driving() as (app, pilot):
        await pilot.press("p")
        await pilot.pause(0.3)
        assert app.runner.active
        assert "running 50/frame" in status(app)
        await pilot.press("p")
        await pilot.pause()
        stopped_at = app.trainer.epoch
        assert stopped_at > 0
        assert "paused" in status(app)
        await pilot.pause(0.2)
        assert app.trainer.epoch == stopped_at
        assert_table_matches_engine(app)


async def test_speed_keys_change_epochs_per_frame_within_bounds() -> None:
    async with driving() as (app, pilot):
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert app.runner.speed == SPEEDS[DEFAULT_SPEED + 2]
        await pilot.press(*["minus"] * 30)
        await pilot.pause()
        assert app.runner.speed == SPEEDS[0]
        assert "1 every 16 frames" in status(app)
        await pilot.press(*["equals_sign"] * 30)
        await pilot.pause()
        assert app.runner.speed == SPEEDS[-1]


async def test_r_runs_the_notebook_to_50000_epochs_in_seconds() -> None:
    async with driving() as (app, pilot):
        await pilot.press("r")
        for _ in range(100):
            await pilot.pause(0.1)
            if not app.runner.active:
                break
        assert app.trainer.epoch == 50_000
        wx, wrec = app.trainer.weights
        assert abs(wx - 1) < 1e-6 and abs(wrec - 1) < 1e-6
        assert "Reached epoch 50 000" in str(app.query_one("#notice").content)
        assert_table_matches_engine(app)
        await pilot.press("r")  # already there: says so, does nothing
        await pilot.pause()
        assert "Already at epoch 50 000" in str(app.query_one("#notice").content)


async def test_space_pauses_a_run() -> None:
    async with driving() as (app, pilot):
        await pilot.press("p")
        await pilot.pause(0.1)
        await pilot.press("space")
        await pilot.pause()
        assert not app.runner.active


async def run_until_stopped(app, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        await pilot.pause(0.05)
        if not app.runner.active:
            return


async def test_divergence_pauses_at_the_last_finite_epoch_and_explains() -> None:
    async with driving("exploding") as (app, pilot):
        await pilot.press("r")
        await run_until_stopped(app, pilot)
        trainer = app.trainer
        assert trainer.divergence is not None
        assert trainer.diverged and trainer.epoch == trainer.head >= 1
        assert "diverged" in status(app)
        notice = str(app.query_one("#notice").content)
        # the engine's words, then the app's own key hint (the engine names no keys)
        assert notice == f"{trainer.divergence.message} ← steps back."
        assert "wrec" in notice
        # running again refuses politely; rewinding still works
        await pilot.press("p")
        await pilot.pause()
        assert not app.runner.active
        assert str(app.query_one("#notice").content) == notice
        await pilot.press("left")
        await pilot.pause()
        assert trainer.epoch == trainer.head - 1
        assert "diverged before epoch" in str(app.query_one("#notice").content)
        assert_table_matches_engine(app)


async def test_a_config_that_overflows_at_once_says_so_and_stays_usable() -> None:
    async with driving(EXPLODING) as (app, pilot):
        await pilot.press("space", "p", "r", "left", "right_square_bracket")
        await pilot.pause()
        assert app.trainer.epoch == 0
        assert app.trainer.diverged
        assert "diverged" in status(app)
        assert str(app.query_one("#notice").content) == app.trainer.divergence.message


async def test_vanishing_run_ends_stalled_not_converged() -> None:
    async with driving("vanishing") as (app, pilot):
        await pilot.press("r")
        await run_until_stopped(app, pilot)
        assert app.trainer.epoch == 2_000
        assert "■ stalled" in status(app) and "converged" not in status(app)
