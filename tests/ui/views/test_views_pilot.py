"""The teaching views driven through the demo harness with Textual's Pilot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from rnn_tui.engine import COLUMNS, QUANTITIES, Trainer, gradient_check, loss_and_grads, num
from rnn_tui.ui.views import ExplainPanel, GradientsView, LandscapeView, MicroStepBar
from rnn_tui.ui.views.gradcheck import THREAD_CELLS, GradCheckPanel
from rnn_tui.ui.views.landscape import THREAD_WORK

from .demo import TARGETS, ViewsDemo

SIZE = (100, 30)


@asynccontextmanager
async def running(app: ViewsDemo) -> AsyncIterator[Pilot[None]]:
    """The harness at 100×30, mounted and settled."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        yield pilot


async def test_landscape_grid_matches_loss_and_grads() -> None:
    app = ViewsDemo("seed-sigmoid", epochs=100)
    async with running(app):
        view = app.query_one(LandscapeView)
        grid = view.grid
        assert grid is not None
        rows, cols = grid.loss.shape
        assert (rows, cols) == view.map_size
        data = app.trainer.dataset
        for i, j in [(0, 0), (rows // 2, cols // 3), (rows - 1, cols - 1)]:
            loss, _, _ = loss_and_grads(grid.wx[j], grid.wrec[i], data.x, data.y, "sigmoid")
            assert np.isclose(grid.loss[i, j], loss, rtol=1e-12)


async def test_zoom_pan_and_centre_keys_change_the_window_only() -> None:
    app = ViewsDemo("seed-linear", epochs=50)
    async with running(app) as pilot:
        view = app.query_one(LandscapeView)
        start = view.viewport
        computed = view.computations
        await pilot.press("space")  # a new epoch moves the marker, not the grid
        await pilot.pause()
        assert view.computations == computed
        await pilot.press("z")
        await pilot.pause()
        assert view.viewport.span == (start.span[0] / 2, start.span[1] / 2)
        assert view.computations == computed + 1
        await pilot.press("Z", "Z")
        assert view.viewport.span == (start.span[0] * 2, start.span[1] * 2)
        await pilot.press("o")
        assert np.allclose(view.viewport.centre, app.trainer.weights)
        await pilot.press("up")
        assert view.viewport.centre[1] > app.trainer.weights[1]
        await pilot.press("f")
        assert view.viewport.cell(1.0, 1.0, 10, 10) is not None  # the optimum is in view


async def test_exploding_preset_shows_growth() -> None:
    app = ViewsDemo("exploding", view="gradients")
    async with running(app):
        view = app.query_one(GradientsView)
        assert view.growth == pytest.approx(1.25**24, rel=0.05)  # |wrec|^(T-1)
        assert np.all(np.diff(view.flow) < 0)  # larger at every step back towards t = 1
        summary = str(app.query_one("GradientsView _Summary").render())
        assert "EXPLODES going back in time" in summary


async def test_vanishing_preset_shows_decay() -> None:
    app = ViewsDemo("vanishing", view="gradients")
    async with running(app):
        view = app.query_one(GradientsView)
        assert view.growth < 1e-20
        assert "VANISHES" in str(app.query_one("GradientsView _Summary").render())


async def test_explain_every_column_against_the_trace() -> None:
    app = ViewsDemo("seed-sigmoid", epochs=10, view="explain")
    async with running(app) as pilot:
        panel = app.query_one(ExplainPanel)
        trace = app.trainer.trace()
        seen = set()
        for _ in range(len(TARGETS)):
            await pilot.press("x")
            column, sample, t = app.column, app.sample, app.t
            seen.add(column)
            shown = "\n".join(panel.lines(panel.content_size.width))
            if column in COLUMNS:
                value = float(getattr(trace, column)[sample, t - 1])
                assert panel.explanations[0].value == value
                assert f"= {num(value)}" in shown
        assert seen == set(TARGETS)


async def test_micro_steps_forwards_and_backwards() -> None:
    app = ViewsDemo("seed-linear", epochs=3, view="explain")
    async with running(app) as pilot:
        panel = app.query_one(ExplainPanel)
        steps = 2 * app.trainer.dataset.t + 2
        for position in range(1, steps + 1):
            await pilot.press("full_stop")
            assert app.cursor is not None and app.cursor.position == position
            assert app.trainer.epoch == 3
            step = app.cursor.step
            assert step is not None
            trace = app.trainer.trace()
            if step.phase in ("forward", "backward"):
                column = panel.explanations[0].title.split(",")[0]
                value = panel.explanations[0].value
                name = "a" if step.phase == "forward" else "delta"
                assert column == QUANTITIES[name].symbol_at(step.t)
                assert value == float(getattr(trace, name)[app.sample, step.t - 1])
        expected = app.next_weights()
        await pilot.press("full_stop")  # past the update: the next epoch, nothing computed
        assert app.trainer.epoch == 4 and app.cursor is not None and app.cursor.position == 0
        assert app.trainer.weights == expected
        assert "start of the epoch" in str(app.query_one(MicroStepBar).render())
        await pilot.press("comma")  # back into the previous epoch's update
        assert app.trainer.epoch == 3 and app.cursor.position == steps
        for _ in range(steps):
            await pilot.press("comma")
        assert app.cursor.position == 0 and app.trainer.epoch == 3
        await pilot.press("space")  # a whole epoch leaves micro-stepping
        assert app.cursor is None and app.trainer.epoch == 4


async def test_gradient_check_pane_shows_the_engines_verdict_at_convergence() -> None:
    # The pane used to tell students these correct 1e-12 gradients were "wrong".
    app = ViewsDemo("seed-linear", epochs=50_000, view="gradcheck")
    async with running(app):
        panel = app.query_one(GradCheckPanel)
        assert panel.checks is not None
        wx, wrec = app.trainer.weights
        data = app.trainer.dataset
        engine = gradient_check(wx, wrec, data.x, data.y, app.trainer.config.activation)
        assert panel.checks == engine  # the CLI prints this same tuple
        assert [c.verdict for c in panel.checks] == ["good", "good"]
        shown = str(panel.render())
        assert "complex step" in shown and "wrong" not in shown.split("rel. error =")[0]


class OneLandscape(App[None]):
    def __init__(self, trainer: Trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def compose(self) -> ComposeResult:
        yield LandscapeView()

    def on_mount(self) -> None:
        self.query_one(LandscapeView).show(self.trainer)


async def test_a_big_landscape_is_computed_in_a_thread_keeping_the_last_frame() -> None:
    """100 sequences of 40 on a 27x91 map: ~10^7 steps, tens of ms of NumPy."""
    app = OneLandscape(Trainer("data=random:100x40"))
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(LandscapeView)
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows, cols = view.map_size
        assert rows * cols * app.trainer.dataset.x.size > THREAD_WORK
        assert view.grid is not None and view.computations == 1
        frame = view.render()
        assert "Loss landscape" in str(frame)
        view.action_zoom(0.5)  # a new window: computed again, in a thread
        assert view.render() is frame  # the last frame until it is ready
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.computations == 2 and view.grid.loss.shape == (rows, cols)
        assert view.render() is not frame


async def test_a_big_gradient_check_runs_in_a_thread_keeping_the_last_one() -> None:
    trainer = Trainer("data=random:500x40,wrec=0.5")
    assert trainer.dataset.x.size > THREAD_CELLS

    class OneCheck(App[None]):
        def compose(self) -> ComposeResult:
            yield GradCheckPanel()

    app = OneCheck()
    async with app.run_test(size=SIZE) as pilot:
        panel = app.query_one(GradCheckPanel)
        panel.run(trainer)
        assert panel.checks is None  # not on the UI thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = panel.checks
        assert first is not None and "epoch 0" in str(panel.render())
        trainer.step(1)
        panel.run(trainer)
        assert panel.checks is first  # the last check until the new one is done
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert panel.checks is not first and "epoch 1" in str(panel.render())
        wx, wrec = trainer.weights
        data = trainer.dataset
        expected = gradient_check(wx, wrec, data.x, data.y, trainer.config.activation)
        assert [c.analytic for c in panel.checks] == [c.analytic for c in expected]
