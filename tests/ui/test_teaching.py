"""The teaching views in the real app: micro-steps in the tables, the explain panel on
the table's cursor, and the views one key away, each showing the engine's numbers."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from rich.console import Console

from rnn_tui.engine import COLUMNS, PRESETS, Trainer, explain_update, loss_and_grads, num
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.formatting import fmt
from rnn_tui.ui.keys import KEYS
from rnn_tui.ui.lesson import lesson
from rnn_tui.ui.screens.help import help_content
from rnn_tui.ui.switcher import ViewSwitcher
from rnn_tui.ui.table.micro import PENDING_MARK
from rnn_tui.ui.table.samples import SamplesTable
from rnn_tui.ui.table.unrolled import CellRef, UnrolledTable
from rnn_tui.ui.views import ExplainPanel, GradCheckPanel, GradientsView, LandscapeView
from rnn_tui.ui.views.lessons import LessonsPanel
from rnn_tui.ui.views.panes import explanations_for_cell

from .conftest import cell, driving, status

SAMPLE_QUANTITIES = {"prediction": "prediction", "error": "error", "sample_dwx": "dwx"}


def assert_tables_follow_the_micro_cursor(app: RnnTuiApp) -> None:
    """Done and current cells show the engine's trace; pending cells only a dot."""
    trace, micro, n = app.trainer.trace(), app.micro, app.sample
    width = app.query_one(UnrolledTable).number_width
    for t in range(1, trace.t + 1):
        for column in COLUMNS:
            shown = cell(app, f"t{t}", column).strip()
            state = "done" if micro is None else micro.cell_state(column, t)
            if state == "pending":
                assert shown == PENDING_MARK, (t, column)
            else:
                value = float(getattr(trace, column)[n, t - 1])
                assert fmt(value, width).strip() in shown, (t, column, state)
    total = cell(app, "total", "delta_x").strip()
    if micro is not None and micro.quantity_state("dwx") == "pending":
        assert total == PENDING_MARK
    else:
        assert fmt(trace.dwx, width + 1).strip() in total
    samples = app.query_one(SamplesTable)
    for key, quantity in SAMPLE_QUANTITIES.items():
        shown = samples.cell_text(f"n{n}", key).strip()
        if micro is not None and micro.quantity_state(quantity) == "pending":
            assert shown == PENDING_MARK, key
        else:
            assert fmt(float(getattr(trace, key)[n]), samples.number_width).strip() in shown


async def test_micro_steps_through_an_epoch_and_back() -> None:
    async with driving() as (app, pilot):
        await pilot.press("space", "space")
        steps = 2 * app.trainer.dataset.t + 2
        expected = (
            explain_update(app.trainer, "wx").value,
            explain_update(app.trainer, "wrec").value,
        )
        for position in range(1, steps + 1):
            await pilot.press("full_stop")
            await pilot.pause()
            assert app.micro is not None and app.micro.position == position
            assert app.trainer.epoch == 2
            assert f"micro-step {position}/{steps}" in status(app)
            assert_tables_follow_the_micro_cursor(app)
        await pilot.press("full_stop")  # past the update: the next epoch, nothing computed yet
        await pilot.pause()
        assert app.trainer.epoch == 3 and app.micro is not None and app.micro.position == 0
        assert app.trainer.weights == expected
        assert_tables_follow_the_micro_cursor(app)
        # Back into epoch 2's update, then (in one burst) to its start: every position's
        # rule is test_controller.py's; here the tables are drawn at both ends and midway.
        for presses, position in ((1, steps), (steps // 2, steps // 2), (steps // 2, 0)):
            await pilot.press(*["comma"] * presses)
            await pilot.pause()
            assert app.trainer.epoch == 2 and app.micro is not None
            assert app.micro.position == position
            assert_tables_follow_the_micro_cursor(app)
        await pilot.press("full_stop", "full_stop", "space")  # space finishes the epoch
        await pilot.pause()
        assert app.micro is None and app.trainer.epoch == 3
        assert "micro-step" not in status(app)
        assert_tables_follow_the_micro_cursor(app)


def test_every_cell_explains_the_engine_number() -> None:
    """What the explain pane shows for each timestep cell (the t label explains x_t)."""
    trainer = Trainer(PRESETS["seed-sigmoid"].config)
    trainer.step(3)
    trace = trainer.trace()
    for column in ("t", *COLUMNS[1:]):
        [shown] = explanations_for_cell(trainer, CellRef(0, 2, "timestep", column))
        value = float(getattr(trace, "x" if column == "t" else column)[0, 1])
        assert shown.value == value, column
        assert f"= {num(value)}" in "\n".join(shown.lines(76))
        assert all(len(line) <= 76 for line in shown.lines(76))


async def test_explain_follows_the_cell_cursor() -> None:
    async with driving("seed-sigmoid", size=(80, 24)) as (app, pilot):
        await pilot.press("space", "space", "space", "e")
        await pilot.pause()
        panel = app.query_one(ExplainPanel)
        trainer, trace = app.trainer, app.trainer.trace()
        await pilot.press("down", *["shift+right"] * (len(COLUMNS) - 1))  # t = 2, to the end
        await pilot.pause()
        # Each column's explanation is test_every_cell_explains_the_engine_number's.
        value = float(trace.delta_s_prev[0, 1])
        assert panel.explanations[0].value == value
        assert f"= {num(value)}" in "\n".join(panel.lines(panel.content_size.width))
        await pilot.press("down", "down")  # Σt row, δ_t·s_(t-1): this sequence's share
        await pilot.pause()
        assert panel.explanations[0].value == float(trace.sample_dwrec[0])
        await pilot.press("shift+left", "shift+left")  # Σt row, caption: prediction
        await pilot.pause()
        assert panel.explanations[0].value == float(trace.error[0])
        await pilot.press("down")  # ΣnΣt row, caption: the loss
        await pilot.pause()
        assert panel.explanations[0].value == trace.loss
        await pilot.press("shift+right")  # ΣnΣt δ_t·x_t: dL/dwx and the update of wx
        await pilot.pause()
        total, update = panel.explanations
        assert total.value == trace.dwx
        new_wx = update.value
        await pilot.press("space")
        await pilot.pause()
        assert trainer.weights[0] == new_wx
        assert panel.explanations[0].value == app.trainer.trace().dwx  # follows the run


async def test_explain_says_pending_cells_are_not_computed_yet() -> None:
    async with driving() as (app, pilot):
        await pilot.press("e", "full_stop")
        await pilot.pause()
        panel = app.query_one(ExplainPanel)
        assert panel.explanations[0].title.startswith("a_1")  # what the micro-step computed
        await pilot.press("shift+right", "shift+right", "shift+right", "shift+right")
        await pilot.pause()
        assert panel.explanations == [] and "Not computed yet" in panel.placeholder


@pytest.mark.slow
async def test_each_view_opens_with_one_key_and_shows_engine_numbers() -> None:
    async with driving("seed-sigmoid", size=(100, 30)) as (app, pilot):
        switcher = app.query_one(ViewSwitcher)
        await pilot.press("pagedown", "l")
        await pilot.pause()
        assert switcher.current == "landscape"
        view = app.query_one(LandscapeView)
        grid, computed = view.grid, view.computations
        assert grid is not None
        rows, cols = grid.loss.shape
        data = app.trainer.dataset
        for i, j in [(0, 0), (rows // 2, cols // 3), (rows - 1, cols - 1)]:
            loss, _, _ = loss_and_grads(grid.wx[j], grid.wrec[i], data.x, data.y, "sigmoid")
            assert np.isclose(grid.loss[i, j], loss, rtol=1e-12)
        await pilot.press("space", "plus")  # stepping and the speed key: the grid stays
        await pilot.pause()
        assert view.computations == computed
        await pilot.press("z")  # zoom: computed again
        await pilot.pause()
        assert view.computations == computed + 1
        await pilot.press("c")
        await pilot.pause()
        assert switcher.current == "gradcheck"
        checks = app.query_one(GradCheckPanel).checks
        assert checks is not None
        assert [c.analytic for c in checks] == list(app.trainer.gradients)
        assert {c.verdict for c in checks} == {"good"}
        await pilot.press("n")
        await pilot.pause()
        assert "In[11]" in str(app.query_one(LessonsPanel).render())
        await pilot.press("4", "y", "g")  # load a preset (y: the run goes); its view
        await pilot.pause()
        assert app.preset == "exploding" and switcher.current == "gradients"
        gradients = app.query_one(GradientsView)
        assert gradients.growth > 100
        assert np.isclose(gradients.flow[0] / gradients.flow[-1], gradients.growth)
        await pilot.press("g")
        await pilot.pause()
        assert switcher.current == "charts"


async def test_view_keys_only_work_in_their_view() -> None:
    async with driving() as (app, pilot):
        await pilot.press("z")  # the landscape is closed: nothing happens
        await pilot.pause()
        assert app.query_one(LandscapeView).computations == 0


def test_help_lists_the_teaching_keys() -> None:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(help_content(PRESETS["seed-linear"]))
    text = " ".join(console.export_text().split())
    for key in KEYS:
        if key.help_keys != "":
            assert " ".join(key.help.split())[:40] in text
    for words in ("micro-step", "Landscape", "Gradients through time", "Gradient check"):
        assert words in text


# -- snapshots of each view in the main app at 100×30 ----------------------------------


def app_on(preset: str) -> RnnTuiApp:
    return RnnTuiApp(PRESETS[preset].config, preset)


@pytest.mark.parametrize(
    ("preset", "keys"),
    [
        ("seed-linear", ["space", "e", *["full_stop"] * 6]),
        ("seed-linear", ["pagedown", "l"]),
        ("exploding", ["g"]),
        ("roelants-rprop", ["c"]),
        ("vanishing", ["n"]),
    ],
    ids=["micro-explain", "landscape", "gradients", "gradcheck", "lessons"],
)
def test_view_snapshot(snap_compare: Any, preset: str, keys: list[str]) -> None:
    # The lessons view computes the lesson's numbers once, off the UI thread: have them.
    assert snap_compare(
        app_on(preset), press=keys, terminal_size=(100, 30), run_before=lambda _: lesson()
    )
