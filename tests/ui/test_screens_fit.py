"""What a class reads at 80x24 is whole (issue 9, "Fit the screens a class uses")."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rnn_tui.ui.charts.plots import CostChart, WeightsChart
from rnn_tui.ui.status.bar import NoticeLine
from rnn_tui.ui.table.unrolled import UnrolledTable
from rnn_tui.ui.views.explain import ExplainPanel
from rnn_tui.ui.views.microbar import MicroStepBar
from rnn_tui.ui.views.panes import ExplainPane

from .conftest import driving


@pytest.mark.parametrize("preset", ["seed-linear", "vanishing"])
async def test_the_micro_step_line_keeps_every_word_at_80_columns(preset: str) -> None:
    """`.` shows the bar at its width in the 80x24 layout; then the bar is read at every
    micro-step of the epoch (the keys that walk them are the lesson walk's to press:
    here a redraw of the whole screen per step would only cost time)."""
    async with driving(preset, size=(80, 24)) as (app, pilot):
        bar = app.query_one(MicroStepBar)
        await pilot.press("full_stop")
        await pilot.pause()
        assert bar.cursor is not None and bar.region.width > 0
        first, epoch = bar.cursor, bar.epoch
        for position in range(len(first.plan) + 1):  # 0: the start of the epoch
            bar.show(replace(first, position=position), epoch)
            lines = str(bar.render()).split("\n")
            computed = bar.cursor.describe().partition(": ")[2]
            assert " ".join(lines).endswith(computed)
            assert all(len(line) <= bar.content_size.width for line in lines), lines


async def test_w_shows_the_weights_where_only_one_chart_fits() -> None:
    """At 100x30 the weights chart had no room, so `w` seemed dead."""
    async with driving("seed-linear", size=(100, 30)) as (app, pilot):
        cost, weights = app.query_one(CostChart), app.query_one(WeightsChart)
        await pilot.press("space")
        await pilot.pause()
        assert cost.region.height > 0 and weights.region.height == 0
        seen = []
        for _ in range(3):
            await pilot.press("w")
            await pilot.pause()
            seen.append((cost.region.height > 0, weights.region.height > 0, weights.plane))
        assert seen == [(False, True, False), (False, True, True), (True, False, False)]


async def test_w_still_switches_the_weights_chart_on_a_tall_screen() -> None:
    async with driving("seed-linear", size=(100, 40)) as (app, pilot):
        weights = app.query_one(WeightsChart)
        assert weights.region.height > 0 and not weights.plane
        await pilot.press("w")
        await pilot.pause()
        assert weights.region.height > 0 and weights.plane


async def test_the_divergence_message_takes_three_lines_at_80_columns() -> None:
    async with driving("exploding", size=(80, 24)) as (app, pilot):
        await pilot.press("space", "space")
        await pilot.pause()
        notice = app.query_one(NoticeLine)
        assert app.trainer.diverged
        text = str(notice.content)
        assert "wrec from 1.25 to" in text and "212-fold over 25 steps back" in text
        assert "clip=norm:1" in text and text.endswith("← steps back.")
        assert notice.region.height <= 3


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_update_line_is_visible_without_scrolling(size: tuple[int, int]) -> None:
    """On the gradient total the update it causes was ten ↓ below the fold at 100x30."""
    async with driving("seed-linear", size=size) as (app, pilot):
        await pilot.press("e", *["down"] * 5, *["shift+right"] * 7)
        await pilot.pause()
        pane = app.query_one(ExplainPane)
        lines = pane.query_one(ExplainPanel).lines(pane.query_one(ExplainPanel).content_size.width)
        update = next(i for i, line in enumerate(lines) if line.startswith("wrec ← "))
        assert lines[update].endswith("= 1.5012")
        assert pane.scroll_y == 0 and update < pane.scrollable_content_region.height


async def test_a_title_is_found_where_the_panel_writes_it() -> None:
    async with driving("seed-linear", size=(100, 30)) as (app, pilot):
        await pilot.press("e", *["down"] * 5, *["shift+right"] * 7)
        await pilot.pause()
        panel = app.query_one(ExplainPane).query_one(ExplainPanel)
        width = panel.content_size.width
        line = panel.first_line_of("update of", width)
        assert line is not None and panel.lines(width)[line].startswith("update of wrec")
        assert panel.first_line_of("no such title", width) is None


async def test_the_tables_first_paint_fits_its_numbers_to_its_width() -> None:
    """The first frame is painted before the table hears of its size: it showed the
    numbers at the default width, the last columns cut off, until the Resize came."""
    async with driving("seed-linear", size=(80, 24)) as (app, _pilot):
        table = app.query_one(UnrolledTable)
        fitted = table.number_width
        table.number_width = 10  # what the table holds before it has been laid out
        header = "".join(segment.text for segment in table.render_line(0))
        assert table.number_width == fitted != 10
        assert table.columns[-1].heading.strip() in header, header
