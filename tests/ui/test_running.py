"""Running through the frame timer: the screen keeps up and keys answer. (The rules of
running, speed and divergence are tested on the controller, test_controller.py.)"""

from __future__ import annotations

from rnn_tui.engine import PRESETS
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.controller import RunController
from rnn_tui.ui.runner import Runner
from rnn_tui.ui.status.line import status_line
from rnn_tui.ui.summary import status_facts

from .conftest import assert_table_matches_engine, driving, status


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
        assert trainer.divergence is not None and trainer.diverged
        assert "diverged" in status(app)
        notice = str(app.query_one("#notice").content)
        # the engine's words, then the app's own key hint (the engine names no keys)
        assert notice == f"{trainer.divergence.message} ← steps back."
        assert "wrec" in notice
        await pilot.press("left")
        await pilot.pause()
        assert "diverged before epoch" in str(app.query_one("#notice").content)
        assert_table_matches_engine(app)


def test_vanishing_run_ends_stalled_not_converged() -> None:
    # Was a Pilot run of 2 000 epochs through the frame timer (15 s at load 7): the state
    # is the controller's and the status line's words, so both are read without Textual.
    run = RunController(PRESETS["vanishing"].config, "vanishing", runner=Runner(lambda: 0.0))
    run.handle(cmd.RunToTarget())
    for _ in range(1000):
        run.handle(cmd.Tick())
        if not run.running:
            break
    assert run.trainer.epoch == 2_000 and not run.running
    words = status_line(status_facts(run), 10**6).plain
    assert "■ stalled" in words and "converged" not in words


async def test_a_frame_that_ticks_while_the_app_shuts_down_draws_nothing() -> None:
    """Quitting during a run: the frame timer can tick once more after the screens
    are closed (it raised NoMatches for the status bar, at random, on exit)."""
    async with driving() as (app, pilot):
        await pilot.press("p")
        await pilot.pause()
        assert app.controller.running
    app._frame()  # the last tick, after shutdown
