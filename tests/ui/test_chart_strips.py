"""Charts drawn from plotext's cell grid look exactly as textual-plotext draws them.

The reference is textual-plotext's route (plotext's ANSI text, parsed by Rich and
styled by Textual); the charts' own route must give the same character, style
and selection offset in every cell, in every mode of every chart."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.visual import Visual, visualize

from rnn_tui.ui.charts.cached import CachedPlot, PlotFigure
from rnn_tui.ui.charts.plots import CostChart, WeightsChart

from .conftest import driving


def cells(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    return [[(ch, style) for text, style, _ in strip for ch in text] for strip in strips]


def textual_plotext_route(chart: CachedPlot) -> list[Strip]:
    width, height = chart.size
    figure = chart.render()
    assert isinstance(figure, PlotFigure)
    text = Text.from_ansi(figure.plot.build())
    visual = visualize(chart, text, markup=False)
    return Visual.to_strips(chart, visual, width, height, chart.visual_style)


def assert_same_cells(chart: CachedPlot) -> None:
    ours = cells(chart.plot_lines(chart.visual_style))
    reference = cells(textual_plotext_route(chart))
    assert len(ours) == chart.size.height
    assert ours == reference


async def test_every_chart_mode_draws_the_same_cells_as_textual_plotext() -> None:
    async with driving(size=(100, 34)) as (app, pilot):
        await pilot.press(*["space"] * 12)
        await pilot.pause()
        cost, weights = app.query_one(CostChart), app.query_one(WeightsChart)
        for _ in range(2):  # linear, then log scale; time series, then the plane
            assert_same_cells(cost)
            assert_same_cells(weights)
            await pilot.press("y", "w")
            await pilot.pause()
        await pilot.press("g")  # the gradients view's charts
        await pilot.pause()
        shown = [c for c in app.query(CachedPlot) if c.size.area and c not in (cost, weights)]
        assert shown
        for chart in shown:
            assert_same_cells(chart)


def test_a_built_figure_still_renders_through_rich() -> None:
    plot = CostChart().plt
    plot.plot([0.0, 1.0], [1.0, 0.0])
    plot.plotsize(20, 6)
    assert "\n" in Text.from_ansi(plot.build()).plain
    assert isinstance(PlotFigure(plot).__rich__(), Text)
