"""The loss landscape: a shaded map of L(wx, wrec) with the run drawn on it.

One character per grid point. Loss is shaded in bands evenly spaced in log10
(`` ░▒▓█``, low to high), so band borders read as contour lines even without
colour; colour only repeats the band. The grid is recomputed (one vectorised
engine call) only when the data, the activation, the window or the size change;
a big one (many long sequences, a large map) is computed in a thread, the last
frame staying on screen until it is ready.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

import numpy as np
from rich.text import Text
from textual.app import RenderResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.worker import Worker

from rnn_tui.engine import (
    Landscape,
    Trainer,
    Viewport,
    band_edges,
    bands_of,
    known_optimum,
    landscape,
    weight_path,
)

from .background import LatestJob

SHADES = " ░▒▓█"
BAND_STYLES = ("", "blue", "cyan", "yellow", "red")  # 16-colour names
NOW, PATH, OPTIMUM, LOWEST, START = "●", "·", "✕", "+", "○"
# The path's direction, by the (row, column) step to its next cell (row 0 is the top).
ARROWS = {
    (-1, -1): "↖", (-1, 0): "↑", (-1, 1): "↗",
    (0, -1): "←", (0, 1): "→",
    (1, -1): "↙", (1, 0): "↓", (1, 1): "↘",
}  # fmt: skip
LABEL_WIDTH = 8  # wrec labels left of the map
CHROME_LINES = 3  # title, wx axis, legend
# Grid points x samples x timesteps above which the grid is computed in a thread:
# about 10 ms of NumPy here (the 20x30 'vanishing' data on a 54x65 map is 2.1e6).
THREAD_WORK = 2_500_000
COMPUTING = "Computing the loss landscape …"


@dataclass(frozen=True)
class _Key:
    """What the grid depends on; anything else (the cursor, the path) is cheap."""

    data: int  # id of the dataset object: a new dataset is a new object
    activation: str
    viewport: Viewport
    rows: int
    cols: int


def _label(value: float) -> str:
    return f"{value:.3g}"


def _short(value: float) -> str:
    """2 significant digits, exponent without padding: 1.1e2, 6.5e-2."""
    return f"{value:.2g}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def _append_bands(out: Text, bands: np.ndarray) -> None:
    """Shade a stretch of the map, one styled run per band (not one per character:
    a frame's cost is in the number of styled pieces Textual has to lay out)."""
    if not bands.size:
        return
    cuts = [0, *(np.flatnonzero(np.diff(bands)) + 1).tolist(), bands.size]
    for start, end in itertools.pairwise(cuts):
        band = int(bands[start])
        out.append(SHADES[band] * (end - start), style=BAND_STYLES[band])


class LandscapeView(Widget, can_focus=True):
    """``show(trainer)`` after every change; keys zoom, pan and re-centre."""

    DEFAULT_CSS = """
    LandscapeView { height: 1fr; width: 1fr; min-height: 8; }
    LandscapeView:focus { background-tint: $foreground 3%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # z / Z, not + / -: those set the running speed in the main app.
        Binding("z", "zoom(0.5)", "Zoom in"),
        Binding("Z", "zoom(2)", "Zoom out"),
        Binding("o", "centre", "Centre on weights"),
        Binding("f", "fit", "Fit path"),
        Binding("up", "pan(0, 0.25)", "Pan", show=False),
        Binding("down", "pan(0, -0.25)", "Pan", show=False),
        Binding("left", "pan(-0.25, 0)", "Pan", show=False),
        Binding("right", "pan(0.25, 0)", "Pan", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.trainer: Trainer | None = None
        self.viewport = Viewport()
        self.grid: Landscape | None = None
        self.computations = 0  # how often the grid was computed (tests check caching)
        self._key: _Key | None = None
        self._pending: _Key | None = None  # the latest grid asked of the thread
        self._jobs = LatestJob(self, "landscape")
        self._last_frame: Text | None = None
        self._setup: tuple[int, str] | None = None

    # -- API ---------------------------------------------------------------------------

    def show(self, trainer: Trainer) -> None:
        """Draw ``trainer``'s data and run; a new dataset or activation resets the window."""
        setup = (id(trainer.dataset), trainer.config.activation)
        if setup != self._setup:
            self._setup = setup
            self.viewport = self._default_viewport(trainer)
        self.trainer = trainer
        self.refresh()

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        """The main app's view switcher calls this (the sample does not matter here)."""
        self.show(trainer)

    def set_viewport(self, viewport: Viewport) -> None:
        self.viewport = viewport
        self.refresh()

    @property
    def map_size(self) -> tuple[int, int]:
        """(rows, cols) of the map for the widget's current size."""
        width, height = self.content_size
        return max(2, height - CHROME_LINES), max(2, width - LABEL_WIDTH - 1)

    # -- actions -----------------------------------------------------------------------

    def action_zoom(self, factor: float) -> None:
        self.set_viewport(self.viewport.zoom(factor))

    def action_pan(self, dx: float, dy: float) -> None:
        self.set_viewport(self.viewport.pan(dx, dy))

    def action_centre(self) -> None:
        if self.trainer is not None:
            self.set_viewport(self.viewport.centred_on(*self.trainer.weights))

    def action_fit(self) -> None:
        if self.trainer is not None:
            self.set_viewport(self._fit(self.trainer))

    # -- drawing -----------------------------------------------------------------------

    @staticmethod
    def _default_viewport(trainer: Trainer) -> Viewport:
        """Roelants' window, (-3, 3)², widened if the run starts outside it."""
        view = Viewport()
        wx, wrec = trainer.weights
        if view.cell(wx, wrec, 3, 3) is None:
            return LandscapeView._fit(trainer)
        return view

    @staticmethod
    def _fit(trainer: Trainer) -> Viewport:
        wx, wrec = weight_path(trainer)
        optimum = known_optimum(trainer.dataset, trainer.config.activation)
        if optimum is not None:
            wx, wrec = np.append(wx, optimum[0]), np.append(wrec, optimum[1])
        return Viewport.around(wx, wrec)

    def _compute(self, trainer: Trainer, rows: int, cols: int) -> Landscape | None:
        """The grid for the window and size now; None while a thread computes it."""
        key = _Key(id(trainer.dataset), trainer.config.activation, self.viewport, rows, cols)
        if self.grid is not None and key == self._key:
            return self.grid
        data = trainer.dataset
        job = partial(
            landscape, data.x, data.y, key.activation, self.viewport.wx, self.viewport.wrec
        )
        if rows * cols * data.x.size <= THREAD_WORK:
            self._computed(key, job((rows, cols)))
            return self.grid
        if key != self._pending:
            self._pending = key
            self._jobs.run(partial(job, (rows, cols)), partial(self._computed_in_thread, key))
        return None

    def _computed(self, key: _Key, grid: Landscape) -> None:
        self.grid, self._key = grid, key
        self.computations += 1

    def _computed_in_thread(self, key: _Key, grid: Landscape) -> None:
        self._computed(key, grid)  # an older window's grid is kept too, until asked for
        self.refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self._jobs.finished(event)

    def render(self) -> RenderResult:
        trainer = self.trainer
        if trainer is None:
            return Text("no run to show")
        rows, cols = self.map_size
        grid = self._compute(trainer, rows, cols)
        if grid is None:  # the last frame until the thread is done
            return self._last_frame or Text(COMPUTING)
        self._last_frame = self._draw(trainer, grid, rows, cols)
        return self._last_frame

    def _draw(self, trainer: Trainer, grid: Landscape, rows: int, cols: int) -> Text:
        edges = band_edges(grid.loss, len(SHADES))
        bands = bands_of(grid.loss, edges)[::-1]  # row 0 at the top: largest wrec
        marks = self._marks(trainer, grid, rows, cols)
        view = self.viewport
        out = Text(no_wrap=True, overflow="crop")
        wx, wrec = trainer.weights
        out.append(f"Loss landscape · {trainer.config.activation} · {trainer.dataset.spec} · ")
        out.append(f"{NOW} now ({wx:.3g}, {wrec:.3g})\n", style="bold")
        for r in range(rows):
            wrec_value = view.wrec[1] - r * view.span[1] / max(1, rows - 1)
            label = _label(wrec_value) if r in (0, rows // 2, rows - 1) else ""
            if r == 1 and rows > 3:
                label = "wrec ↑"  # the vertical axis, beside its top value
            out.append(f"{label:>{LABEL_WIDTH}}│")
            start = 0
            for c in sorted(c for (row, c) in marks if row == r):
                _append_bands(out, bands[r, start:c])
                mark = marks[(r, c)]
                out.append(mark, style="bold reverse" if mark == NOW else "bold")
                start = c + 1
            _append_bands(out, bands[r, start:])
            out.append("\n")
        out.append(self._wx_axis(cols))
        out.append(self._legend(trainer, edges))
        return out

    def _marks(
        self, trainer: Trainer, grid: Landscape, rows: int, cols: int
    ) -> dict[tuple[int, int], str]:
        """The path as arrows pointing the way it went (○ where it starts), the optimum
        and the weights now. ✕ never hides under ●: on the same cell it moves beside it."""
        view = self.viewport
        marks: dict[tuple[int, int], str] = {}
        cells = [
            view.cell(float(wx), float(wrec), rows, cols)
            for wx, wrec in zip(*weight_path(trainer), strict=True)
        ]
        path = [cell for i, cell in enumerate(cells) if i == 0 or cell != cells[i - 1]]
        for here, there in itertools.pairwise(path):
            if here is not None:
                step = (0, 0) if there is None else (there[0] - here[0], there[1] - here[1])
                marks[here] = ARROWS.get((int(np.sign(step[0])), int(np.sign(step[1]))), PATH)
        if path and path[0] is not None:
            marks[path[0]] = START
        optimum = known_optimum(trainer.dataset, trainer.config.activation)
        if optimum is None:
            wx, wrec, _ = grid.minimum  # no closed form: mark the grid's lowest point
            cell, symbol = view.cell(wx, wrec, rows, cols), LOWEST
        else:
            cell, symbol = view.cell(*optimum, rows, cols), OPTIMUM
        now = view.cell(*trainer.weights, rows, cols)
        if cell is not None and cell == now:
            row, column = cell
            cell = (row, column + 1 if column + 1 < cols else column - 1)
        if cell is not None:
            marks[cell] = symbol
        if now is not None:
            marks[now] = NOW
        return marks

    def _wx_axis(self, cols: int) -> str:
        lo, hi = (_label(v) for v in self.viewport.wx)
        mid = _label(self.viewport.centre[0])
        gap = max(1, cols - len(lo) - len(mid) - len(hi))
        left = gap // 2
        return f"{'wx →':>{LABEL_WIDTH}} {lo}{' ' * left}{mid}{' ' * (gap - left)}{hi}\n"

    def _legend(self, trainer: Trainer, edges: np.ndarray) -> Text:
        legend = Text()
        optimum = known_optimum(trainer.dataset, trainer.config.activation)
        legend.append(f"{START} start →↗ path  ")
        legend.append(f"{OPTIMUM} optimum  " if optimum else f"{LOWEST} lowest on grid  ")
        legend.append("L:")
        for band, shade in enumerate(SHADES):
            bound = f"<{_short(edges[band])}" if band < len(edges) else "more"
            legend.append(" [")
            legend.append(shade, style=BAND_STYLES[band])
            legend.append(f"]{bound}")
        return legend
