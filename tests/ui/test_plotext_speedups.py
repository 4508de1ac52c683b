"""The faster plotext helpers return exactly what plotext's own return.

Each is compared with the original it replaces on random inputs shaped like
plotext's (cell coordinates, NaN and None for gaps, hd and plain markers), and
whole charts are compared cell for cell with and without them."""

from __future__ import annotations

import copy
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import plotext._utility as plotext_utility
from hypothesis import example, given
from hypothesis import strategies as st
from plotext._matrix import matrix_class
from textual_plotext.plot import Plot

from rnn_tui.ui.charts import plotext_speedups as fast
from rnn_tui.ui.charts.cached import CachedPlot
from rnn_tui.ui.charts.plots import CostChart, WeightsChart

from .conftest import driving

original = fast.ORIGINALS
coordinate = st.integers(-50, 400)
value = st.one_of(st.floats(-1e3, 1e3), st.integers(-1000, 1000), st.just(math.nan), st.none())
nested = st.recursive(
    st.one_of(value, st.text(max_size=2)), lambda inner: st.lists(inner, max_size=4)
)


@contextmanager
def plotexts_own() -> Iterator[None]:
    """plotext's own helpers, but for the order duplicates are dropped in (plotext's is
    set by string hashing, seeded anew in every process: no two runs need agree)."""
    fast.uninstall()
    plotext_utility.no_duplicates = fast.no_duplicates
    try:
        yield
    finally:
        fast.install()


def plotexts(name: str, *args: Any) -> Any:
    """What plotext's own ``name`` returns, calling only plotext's own helpers."""
    with plotexts_own():
        return original[name](*args)


def outcome(call: Callable[[], Any]) -> Any:
    """What ``call`` returns, or the type of what it raises (a span of 1e-308 overflows;
    plotext's hd_group cannot place points of two marker sizes in one cell)."""
    try:
        return call()
    except (ArithmeticError, IndexError) as error:
        return type(error).__name__


def same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN, and of the same types throughout."""
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and a == b


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["hd", "dot", "1e0", "1e1"]))))
def test_duplicates_go_as_in_plotext_and_the_rest_keeps_its_order(data: list[Any]) -> None:
    kept = fast.no_duplicates(data)
    assert sorted(kept) == sorted(original["no_duplicates"](data))
    assert kept == [item for i, item in enumerate(data) if item not in data[:i]]


TICKS_ON_ONE_ROW = """
from textual_plotext.plot import Plot
from rnn_tui.ui.charts import plotext_speedups
plotext_speedups.install()
plt = Plot()
plt.plotsize(30, 6)  # three rows for four ticks: 1e0 and 1e1 fall on one
plt.ylim(-1, 2)
plt.yticks([-1.0, 0.0, 1.0, 2.0], ["1e-1", "1e0", "1e1", "1e2"])
plt.plot([0, 1, 2], [2, -1, -1])
print(plt.build())
"""


def test_a_plot_comes_out_the_same_whatever_the_string_hashing() -> None:
    """With plotext's own, which of two labels on one row shows followed the process's
    hash seed (seeds 0 and 2 differ): the gradient norm read 1e0 in one run, 1e1 in another."""
    plots = {
        subprocess.run(
            [sys.executable, "-c", TICKS_ON_ONE_ROW],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "2", "5")
    }
    assert len(plots) == 1


@given(st.lists(nested, max_size=6))
def test_join_flattens_as_plotext_does(data: list[Any]) -> None:
    assert same(fast.join(data), plotexts("join", data))


@given(st.lists(st.tuples(value, value), min_size=1, max_size=40), st.data())
def test_get_lines_draws_the_points_plotext_draws(points: list[Any], data: st.DataObject) -> None:
    x = [data.draw(st.one_of(coordinate, st.just(math.nan), st.none())) for _ in points]
    y = [data.draw(st.one_of(coordinate, st.floats(-50, 400))) for _ in points]
    markers = [data.draw(st.sampled_from(["hd", "dot", "x"])) for _ in points]
    colours = [data.draw(st.sampled_from(["red", "cyan"])) for _ in points]
    assert same(
        fast.get_lines(x, y, markers, colours), plotexts("get_lines", x, y, markers, colours)
    )


near = st.integers(-3, 8)  # points a cell or two apart, or on one cell


@given(st.lists(st.tuples(st.one_of(coordinate, near), st.one_of(coordinate, near)), max_size=40))
def test_lines_between_whole_cells_are_plotexts(points: list[tuple[int, int]]) -> None:
    """What a chart gives get_lines: cell coordinates, all of them ints."""
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    markers = ["hd"] * len(points)
    colours = [("red", "cyan")[i % 2] for i in range(len(points))]
    assert fast.all_ints(x, y)
    assert same(
        fast.get_lines(x, y, markers, colours), plotexts("get_lines", x, y, markers, colours)
    )


@given(
    st.lists(
        st.tuples(
            st.one_of(coordinate, st.just(math.nan), st.none()),
            st.one_of(coordinate, st.just(math.nan)),
            st.sampled_from([(2, 2), (1, 1), (2, 3), (2, 4)]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_hd_group_groups_gaps_and_mixed_markers_as_plotext_does(
    points: list[tuple[Any, Any, tuple[int, int]]],
) -> None:
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    xf = [p[2][0] for p in points]
    yf = [p[2][1] for p in points]
    ours = outcome(lambda: fast.hd_group(x, y, xf, yf))
    assert same(ours, outcome(lambda: plotexts("hd_group", x, y, xf, yf)))


@given(
    st.one_of(
        st.lists(st.tuples(st.integers(-5, 30), st.integers(-5, 20)), max_size=40),  # a chart's
        st.lists(
            st.tuples(
                st.one_of(st.integers(-5, 30), st.floats(-5, 30), st.just(True)),
                st.one_of(st.integers(-5, 20), st.just(math.nan)),
            ),
            max_size=40,
        ),
    ),
    st.integers(0, 25),
    st.integers(0, 15),
)
def test_the_points_kept_on_the_canvas_are_plotexts(
    points: list[tuple[Any, Any]], width: int, height: int
) -> None:
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    markers = [str(i) for i in range(len(points))]
    colours = ["red"] * len(points)
    kept = fast.remove_outsiders(x, y, width, height, markers, colours)
    assert same(kept, plotexts("remove_outsiders", x, y, width, height, markers, colours))


@given(
    st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=60),
    st.sampled_from([(2, 2), (1, 1), (2, 3), (2, 4)]),  # hd, plain, fhd, braille
)
def test_hd_group_groups_the_points_as_plotext_does(
    points: list[tuple[int, int]], factors: tuple[int, int]
) -> None:
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    xf = [factors[0]] * len(points)
    yf = [factors[1]] * len(points)
    assert same(fast.hd_group(x, y, xf, yf), plotexts("hd_group", x, y, xf, yf))


@given(st.integers(1, 40), st.integers(1, 20), st.data())
def test_the_empty_canvas_is_plotexts(cols: int, rows: int, data: st.DataObject) -> None:
    col1 = data.draw(st.integers(0, cols))
    col2 = data.draw(st.integers(col1, cols))
    row1 = data.draw(st.integers(0, rows))
    canvases = []
    for set_matrices in (fast.set_matrices, original["set_matrices"]):
        matrix = matrix_class()
        matrix.set_size(cols, rows)
        matrix.set_canvas_area(col1, col2, row1, rows)
        matrix.set_canvas_color("blue")
        matrix.set_axes_color("white")
        set_matrices(matrix)
        canvases.append((matrix.marker, matrix.fullground, matrix.background, matrix.style))
    assert canvases[0] == canvases[1]
    matrix.background[0][0] = "changed"  # rows are separate lists, as plotext makes them
    assert all(row[0] != "changed" for row in matrix.background[1:])


@given(
    st.lists(st.one_of(st.floats(-1e6, 1e6), st.integers(-1000, 1000), st.none()), max_size=30),
    st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)).filter(lambda lim: lim[0] != lim[1]),
    st.integers(1, 400),
)
@example(data=[1.0], lim=(0.0, 1.1125369292536007e-308), bins=2)  # overflows in both
def test_data_lands_on_the_cells_plotext_puts_it_on(
    data: list[Any], lim: tuple[float, float], bins: int
) -> None:
    ours = outcome(lambda: fast.get_matrix_data(data, list(lim), bins))
    assert same(ours, outcome(lambda: plotexts("get_matrix_data", data, list(lim), bins)))


@given(
    st.lists(
        st.tuples(
            st.integers(-3, 12),
            st.integers(-3, 8),
            st.one_of(st.none(), st.just("red")),
            st.one_of(st.none(), st.just("bold")),
            st.one_of(st.none(), st.just("blue")),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_cells_are_placed_as_plotext_places_them(elements: list[Any]) -> None:
    canvases = []
    for insert_element in (fast.insert_element, original["insert_element"]):
        matrix = matrix_class()
        matrix.set_size(10, 6)
        matrix.set_canvas_area(2, 9, 1, 6)
        fast.set_matrices(matrix)
        for i, (col, row, fullground, style, background, check_canvas) in enumerate(elements):
            insert_element(matrix, col, row, str(i), fullground, style, background, check_canvas)
        canvases.append((matrix.marker, matrix.fullground, matrix.style, matrix.background))
    assert canvases[0] == canvases[1]


def test_a_cleared_figure_copies_its_monitor_as_deepcopy_does() -> None:
    monitor = CostChart().plt.monitor
    assert same_state(fast.copy_monitor(monitor), copy.deepcopy(monitor))
    monitor.unpicklable = lambda: None  # a function set on it: deepcopy's way
    assert fast.copy_monitor(monitor).unpicklable is monitor.unpicklable


def test_a_cleared_figure_is_as_plotext_clears_it() -> None:
    figures = []
    for clear in (fast.clear_figure, original["clear_figure"]):
        figure = Plot()
        figure.plot([1.0, 2.0, 3.0], [3.0, 1.0, 2.0], color="cyan")
        figure.plotsize(40, 10)
        figure.xlim(0, 4)
        figure.build()
        clear(figure)
        clear(figure)  # a second time: from the state a first clear left
        figures.append(figure)
    cleared, plotexts_cleared = figures
    assert same_state(cleared, plotexts_cleared)
    # the figure's parts point back to the figure itself, as plotext's __init__ makes them
    assert cleared._master is cleared._active is cleared._dummy._master is cleared
    cleared.plot([0.0, 1.0], [1.0, 0.0])
    cleared.plotsize(30, 8)
    plotexts_cleared.plot([0.0, 1.0], [1.0, 0.0])
    plotexts_cleared.plotsize(30, 8)
    assert cleared.build() == plotexts_cleared.build()


def same_state(a: Any, b: Any, seen: set[int] | None = None) -> bool:
    """Objects of the same classes holding equal values, all the way down."""
    seen = set() if seen is None else seen
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_state(x, y, seen) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_state(a[k], b[k], seen) for k in a)
    if hasattr(a, "__dict__") and not callable(a):
        if id(a) in seen:  # a figure's parts point back to it
            return True
        seen.add(id(a))
        return same_state(vars(a), vars(b), seen)
    return bool(a == b)


def cells(chart: CachedPlot) -> list[Any]:
    return [list(strip) for strip in chart.plot_lines(chart.visual_style)]


async def test_every_chart_draws_the_same_cells_with_plotexts_own_helpers() -> None:
    async with driving("exploding", size=(120, 40)) as (app, pilot):
        await pilot.press(*["space"] * 8)
        await pilot.pause()
        charts: list[CachedPlot] = [app.query_one(CostChart), app.query_one(WeightsChart)]
        compared = 0
        for keys in (["y", "w"], ["y", "w"], ["g"]):
            shown = [chart for chart in app.query(CachedPlot) if chart.size.area]
            for chart in {*charts, *shown}:
                if chart.size.area:
                    ours = cells(chart)
                    with plotexts_own():
                        assert cells(chart) == ours
                    compared += 1
            await pilot.press(*keys)
            await pilot.pause()
        assert compared >= 6
