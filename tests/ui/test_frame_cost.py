"""What a frame costs: only what is visible and changed is rendered again.

Counters, not timings (the benchmarks time it): the tables render only visible
rows, once until they change; the charts plot once per change of what they show,
after the frame that shows the step."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from rnn_tui.ui.charts.plots import CostChart, WeightsChart
from rnn_tui.ui.table.grid import GridColumn, GridRow, GridTable

from .conftest import driving

ROWS = 1_000


def rows(value: int) -> list[GridRow]:
    return [GridRow(f"r{i}", [Text(f"{i:>5}"), Text(f"{value + i:>8}")]) for i in range(ROWS)]


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield GridTable(id="grid")


async def test_a_long_table_renders_only_its_visible_rows_and_only_when_changed() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(GridTable)
        columns = [GridColumn("i", "i", 5), GridColumn("v", "value", 8)]
        table.show_grid(columns, rows(0))
        await pilot.pause()
        visible = table.size.height  # the header and the rows below it
        first = table.rows_rendered
        assert 0 < first <= visible
        table.show_grid(columns, rows(1))  # every row changes, most are off screen
        await pilot.pause()
        assert table.rows_rendered - first <= visible
        before = table.rows_rendered
        table.show_grid(columns, rows(1))  # nothing changes
        table.refresh()
        await pilot.pause()
        assert table.rows_rendered == before
        assert table.cell_text("r999", "v").strip() == "1000"


async def test_charts_plot_once_per_step_after_the_frame_and_not_for_other_redraws() -> None:
    async with driving() as (app, pilot):
        charts = [app.query_one(CostChart), app.query_one(WeightsChart)]
        await pilot.press("space")
        await pilot.pause()
        plotted = [chart.plots for chart in charts]
        await pilot.press("right_square_bracket")  # another sample: the charts do not change
        await pilot.pause()
        app.redraw()
        await pilot.pause()
        assert [chart.plots for chart in charts] == plotted
        await pilot.press("space")
        await pilot.pause()
        assert [chart.plots for chart in charts] == [n + 1 for n in plotted]
        cost = charts[0]
        assert "◆" in "".join(cost.render_line(y).text for y in range(cost.size.height))


async def test_stepping_through_a_long_history_replots_only_when_the_mark_moves() -> None:
    async with driving() as (app, pilot):
        app.trainer.step(19_999)
        app.trainer.goto(10_000)
        app.redraw()
        await pilot.pause()
        cost = app.query_one(CostChart)
        plotted = cost.plots
        await pilot.press("space", "space", "left")  # within one column's bucket of epochs
        await pilot.pause()
        assert cost.plots == plotted
        await pilot.press("pageup", "pageup")  # 200 epochs: the mark moves a column
        await pilot.pause()
        assert cost.plots == plotted + 1
