"""Faster drop-in versions of the plotext functions a chart spends most of its time in.

Every step re-plots the cost and weights charts, and plotext (pure Python) is most
of a step's frame: per chart ~2 ms at 120x40, of which (sampled) grouping the line's
points into two-by-two "hd" cells 16 %, flattening lists 12 %, drawing the lines
between points 11 %, filling the empty canvas cell by cell 11 %, and then, with those
faster, clearing the figure (a deep copy) 18 %, placing cells and mapping data to
cells ~8 %; then the lines (19 % of plotext's build) and hd cells (20 %) again, and
dropping points off the canvas (7 %). The versions here do the same work without a
function call per cell or per point, and for whole-cell coordinates (what a chart
gives them: ints) without checking each for gaps; each returns exactly what
plotext's own returns (tests/ui/test_plotext_speedups.py compares them on random
inputs, and whole charts cell for cell), down to plotext's quirks, such as
``hd_group`` placing every point with the last point's marker size.

One is also a fix: plotext drops duplicates through a ``set``, so the order of what
remains (points, tick labels) follows string hashing, which Python seeds anew in every
process; where two tick labels fall on one row, which of them showed changed from run
to run (the gradient norm at 80x24 read ``1e0`` or ``1e1``). :func:`no_duplicates`
keeps the first of each, in order: the same elements, the same output in every run.

:func:`install` swaps them into plotext's modules; plotext looks its helpers up by
module attribute at call time, so its own code then calls these.
"""

from __future__ import annotations

import copy
import io
import math
import pickle
from collections.abc import Callable
from itertools import compress
from typing import Any

import plotext._figure as plotext_figure
import plotext._matrix as plotext_matrix
import plotext._monitor as plotext_monitor
import plotext._utility as plotext_utility

numerical: Callable[[Any], bool] = plotext_utility.numerical


def no_duplicates(data: Any) -> list[Any]:
    """The distinct elements of ``data``, in the order they first come (plotext's own
    gives them in the order of a ``set``)."""
    return list(dict.fromkeys(data))


def join(data: list[Any]) -> list[Any]:
    """Flatten nested lists (only ``list`` itself, as plotext checks the exact type).
    Two levels without a call: plotext flattens ``[[tick], []]`` for every column of
    an axis."""
    flat: list[Any] = []
    for item in data:
        if type(item) is list:
            for inner in item:
                if type(inner) is list:
                    flat.extend(join(inner))
                else:
                    flat.append(inner)
        else:
            flat.append(item)
    return flat


def get_line(x: list[Any], y: list[Any]) -> list[list[int]] | tuple[list[Any], list[Any]]:
    """The cells from (x[0], y[0]) to (x[1], y[1]), at least one apart in x and in y."""
    x0, x1 = x
    y0, y1 = y
    if not (numerical(x0) and numerical(x1) and numerical(y0) and numerical(y1)):
        return x, y
    length = int(max(abs(int(x1) - int(x0)), abs(int(y1) - int(y0))) + 1)
    if length > 1:
        x_slope, y_slope = (x1 - x0) / (length - 1), (y1 - y0) / (length - 1)
    else:
        x_slope = y_slope = 0
    steps = range(length)
    return [[int(x0 + i * x_slope) for i in steps], [int(y0 + i * y_slope) for i in steps]]


def all_ints(*columns: list[Any]) -> bool:
    """Every element an ``int`` (cell coordinates): no gap (None, NaN) and no date string."""
    return all(set(map(type, column)) <= {int} for column in columns)


def get_lines(x: list[Any], y: list[Any], *other: list[Any]) -> list[list[Any]]:
    """The points of the lines between consecutive points; ``other`` (markers, colours)
    repeated along each line."""
    transpose = plotext_utility.transpose
    others = transpose(other, len(other))
    if all_ints(x, y) and len(x) == len(y):
        xl, yl, ol = cell_lines(x, y, others)
    else:
        xl, yl, ol = [], [], []
        for n in range(len(x) - 1):
            xn, yn = get_line(x[n : n + 2], y[n : n + 2])
            line_x = xn[:-1]  # the next line starts where this one ends
            xl += line_x
            yl += yn[:-1]
            ol += [others[n]] * len(line_x)
    if x != []:
        xl.append(x[-1])
        yl.append(y[-1])
        ol.append(others[-1])
    return [xl, yl, *transpose(ol, len(other))]


def cell_lines(
    x: list[int], y: list[int], others: list[Any]
) -> tuple[list[int], list[int], list[Any]]:
    """:func:`get_line` between each two points of whole cells, but the last point of
    each line; along the longer side the cells are consecutive (its slope is exactly
    one: ``x0 + i * 1.0`` is ``x0 + i``), along the other, as plotext works them out."""
    xl: list[int] = []
    yl: list[int] = []
    ol: list[Any] = []
    for n in range(len(x) - 1):
        x0, x1, y0, y1 = x[n], x[n + 1], y[n], y[n + 1]
        dx, dy = x1 - x0, y1 - y0
        steps = max(abs(dx), abs(dy))  # the line's cells, less its last
        if not steps:
            continue
        if abs(dx) == steps:
            xl += range(x0, x1, 1 if dx > 0 else -1)
            slope = dy / steps
            yl += [int(y0 + i * slope) for i in range(steps)]
        else:
            slope = dx / steps
            xl += [int(x0 + i * slope) for i in range(steps)]
            yl += range(y0, y1, 1 if dy > 0 else -1)
        ol += [others[n]] * steps
    return xl, yl, ol


def hd_group(
    x: list[Any], y: list[Any], xf: list[int], yf: list[int]
) -> tuple[list[Any], list[Any], list[tuple[int, ...]]]:
    """Points grouped into the cells of an hd marker: each cell's position, and which
    of its sub-cells are set (top row first, as plotext reads them)."""
    one_size = len({*xf}) == len({*yf}) == 1
    if x and len(x) == len(y) == len(xf) == len(yf) and one_size and all_ints(x, y):
        return hd_cells(x, y, xf[0], yf[0])
    x_factor, y_factor = max(xf), max(yf)
    cells = list(
        zip(
            [el // x_factor if numerical(el) else el for el in x],
            [el // y_factor if numerical(el) else el for el in y],
            strict=False,
        )
    )
    shapes: dict[tuple[Any, Any], tuple[int, int]] = {}
    for cell, width, height in zip(cells, xf, yf, strict=False):
        shapes[cell] = (width, height)  # the last point in a cell sets its size, first its place
    grids = {cell: [[0] * width for _ in range(height)] for cell, (width, height) in shapes.items()}
    if cells:
        # plotext places every point with the marker size of the last one
        width, height = xf[len(x) - 1], yf[len(x) - 1]
        floor = math.floor
        for xi, yi, cell in zip(x, y, cells, strict=False):
            if numerical(cell[0]) and numerical(cell[1]):
                grids[cell][floor(yi % height)][floor(xi % width)] = 1
    xs, ys = plotext_utility.transpose(grids.keys(), 2)
    markers = [tuple(bit for row in reversed(grid) for bit in row) for grid in grids.values()]
    return xs, ys, markers


def hd_cells(
    x: list[int], y: list[int], width: int, height: int
) -> tuple[list[Any], list[Any], list[tuple[int, ...]]]:
    """:func:`hd_group` for whole-cell points of one marker size: a cell's sub-cells as
    the bits of a number (bit ``k`` is the marker's ``k``-th, top row first)."""
    cells = list(zip([v // width for v in x], [v // height for v in y], strict=True))
    masks = dict.fromkeys(cells, 0)
    top = height - 1
    for xi, yi, cell in zip(x, y, cells, strict=True):
        masks[cell] |= 1 << ((top - yi % height) * width + xi % width)
    size = width * height
    shapes = {mask: tuple(mask >> k & 1 for k in range(size)) for mask in {*masks.values()}}
    xs, ys = plotext_utility.transpose(masks.keys(), 2)
    return xs, ys, [shapes[mask] for mask in masks.values()]


def remove_outsiders(
    x: list[Any], y: list[Any], width: int, height: int, *other: list[Any]
) -> list[list[Any]]:
    """The points inside ``width`` x ``height`` cells, with their ``other`` (markers,
    colours); whole-cell points without a ``range`` made for each."""
    columns = (x, y, *other)
    if not other or min(map(len, columns)) < len(x) or not all_ints(x, y):
        return ORIGINALS["remove_outsiders"](x, y, width, height, *other)  # type: ignore[no-any-return]
    kept = [0 <= a < width and 0 <= b < height for a, b in zip(x, y, strict=True)]
    if not any(kept):
        return [[]] * len(columns)  # as plotext's transpose gives it
    return [list(compress(column, kept)) for column in columns]


def set_matrices(self: Any) -> None:
    """The empty canvas: spaces, no colours, the canvas colour inside the canvas area."""
    space, no_color = plotext_utility.space, plotext_utility.no_color
    canvas, axes = self.canvas_color, self.axes_color
    canvas_cols, canvas_rows = self.Cols_canvas, self.Rows_canvas
    canvas_row = [canvas if col in canvas_cols else axes for col in self.Cols]
    axes_row = [axes for _ in self.Cols]
    self.marker = [[space] * self.cols for _ in self.Rows]
    self.fullground = [[no_color] * self.cols for _ in self.Rows]
    self.background = [(canvas_row if row in canvas_rows else axes_row)[:] for row in self.Rows]
    self.style = [[no_color] * self.cols for _ in self.Rows]


SCALE_UP, SCALE_DOWN = 10**8, 10 ** (-8)  # plotext's round(n, 8), its factors as it makes them


def get_matrix_data(data: list[Any], lim: list[float], bins: int) -> list[Any]:
    """Data to canvas cells (rounded to 8 decimals first, so 9.99999999 lands on 10,
    with plotext's rounding of halves up, inlined)."""
    if not data:
        return []
    low, span, steps = lim[0], lim[1] - lim[0], bins - 1
    floor, ceil = math.floor, math.ceil
    cells = []
    for el in data:
        if numerical(el):
            n = (0.5 + steps * (el - low) / span) * SCALE_UP
            whole = floor(n)
            cells.append(floor((whole if n - whole < 0.5 else ceil(n)) * SCALE_DOWN))
        else:
            cells.append(el)
    return cells


def insert_element(
    self: Any,
    col: int,
    row: int,
    marker: str,
    fullground: str | None = None,
    style: str | None = None,
    background: str | None = None,
    check_canvas: bool = False,
) -> None:
    """One cell of the canvas, if it is on the canvas (and in its plot area if asked)."""
    if not (col in self.Cols and row in self.Rows):
        return
    if check_canvas is not False and not (col in self.Cols_canvas and row in self.Rows_canvas):
        return
    self.marker[row][col] = marker
    if fullground is not None:
        self.fullground[row][col] = fullground
    if background is not None:
        self.background[row][col] = background
    if style is not None:
        self.style[row][col] = style


def copy_monitor(self: Any) -> Any:
    """A deep copy (clearing a figure makes one, for the spare sub-figure plotext keeps),
    by pickle: an equal copy at a third of ``copy.deepcopy``'s time (its strings are
    new objects, not shared with the original: plotext compares them by identity only
    with the copy's own defaults)."""
    try:
        return pickle.loads(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, AttributeError, TypeError):  # a function set by a user
        return copy.deepcopy(self)


class _StatePickler(pickle.Pickler):
    """Pickles a figure's state with the figure itself left out: a placeholder stands
    for it wherever its parts point back to it (sub-figures, the active figure)."""

    def __init__(self, file: io.BytesIO, figure: object) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.figure = figure

    def persistent_id(self, obj: object) -> str | None:
        return "figure" if obj is self.figure else None


class _StateUnpickler(pickle.Unpickler):
    """Reads such a state back, with ``figure`` where the placeholder was."""

    def __init__(self, file: io.BytesIO, figure: object) -> None:
        super().__init__(file)
        self.figure = figure

    def persistent_load(self, pid: object) -> object:
        return self.figure


# (figure class, terminal size) -> the state of a new figure (plotext reads the size)
_NEW_STATES: dict[tuple[type, tuple[Any, ...]], bytes] = {}


def clear_figure(self: Any) -> None:
    """What plotext's does, ``self.__init__()``, from a kept copy of a new figure's state
    (making one from nothing is 0.17 ms a chart: dates parsed, the terminal asked, a
    spare sub-figure deep-copied; reading the copy back a third of that)."""
    key = (type(self), tuple(plotext_utility.terminal_size()))
    if key not in _NEW_STATES:
        new = type(self)()
        buffer = io.BytesIO()
        _StatePickler(buffer, new).dump(vars(new))
        _NEW_STATES[key] = buffer.getvalue()
    state = _StateUnpickler(io.BytesIO(_NEW_STATES[key]), self).load()
    vars(self).clear()
    vars(self).update(state)


# where each faster version goes: (module or class, attribute, faster version)
PLACES: dict[str, tuple[Any, str, Any]] = {
    "no_duplicates": (plotext_utility, "no_duplicates", no_duplicates),
    "join": (plotext_utility, "join", join),
    "get_line": (plotext_utility, "get_line", get_line),
    "get_lines": (plotext_utility, "get_lines", get_lines),
    "hd_group": (plotext_utility, "hd_group", hd_group),
    "remove_outsiders": (plotext_utility, "remove_outsiders", remove_outsiders),
    "get_matrix_data": (plotext_utility, "get_matrix_data", get_matrix_data),
    "set_matrices": (plotext_matrix.matrix_class, "set_matrices", set_matrices),
    "insert_element": (plotext_matrix.matrix_class, "insert_element", insert_element),
    "copy_monitor": (plotext_monitor.monitor_class, "copy", copy_monitor),
    "clear_figure": (plotext_figure._figure_class, "clear_figure", clear_figure),
}
ORIGINALS: dict[str, Any] = {
    name: getattr(owner, attribute) for name, (owner, attribute, _) in PLACES.items()
}


def install() -> None:
    """Make plotext call the versions here."""
    for owner, attribute, faster in PLACES.values():
        setattr(owner, attribute, faster)


def uninstall() -> None:
    """Give plotext its own versions back (tests compare the two)."""
    for name, (owner, attribute, _) in PLACES.items():
        setattr(owner, attribute, ORIGINALS[name])
