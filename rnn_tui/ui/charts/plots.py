"""The cost chart and the weights chart (textual-plotext).

Each chart keeps a reference to the engine's history and draws at render time
for its current size, after reducing the history to a few points per column.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import numpy as np
from textual.app import RenderResult
from textual.reactive import reactive
from textual_plotext.plot import Plot

from rnn_tui.engine import History

from ..formatting import fmt_short
from .cached import CachedPlot
from .downsample import decades, envelope, epoch_ticks, power_label

Y_LABEL_WIDTH = 9  # plotext's y tick labels and axis take about this many columns
TINY = 1e-300  # a loss of exactly 0 is drawn at the bottom of a log axis
LINEAR_LIMIT = 1e12  # above this plotext cannot draw a linear axis: the chart goes log
CURSOR_MARKER = "◆"
CURSOR_COLOR = "red"

T = TypeVar("T")


def value_ticks(plt: Plot, values: np.ndarray, count: int = 4, axis: str = "y") -> None:
    """Ticks labelled briefly (plotext would print every digit of 2.6e20)."""
    low, high = float(values.min()), float(values.max())
    ticks = np.linspace(low, high, count).tolist() if high > low else [low]
    set_ticks = plt.yticks if axis == "y" else plt.xticks
    set_ticks(ticks, [fmt_short(t, 3) for t in ticks])


class HistoryChart(CachedPlot):
    """A chart of some history columns, with the current epoch marked."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # What is shown: plotted when the chart is next painted.
        self._history: History | None = None
        self._version = -1
        self._epoch = 0
        # What draw() derives from the whole history (a scan of up to millions of rows),
        # kept while the history is unchanged: stepping through it only moves the cursor.
        self._memo: dict[tuple[object, ...], object] = {}
        self._memo_of: tuple[History | None, int] = (None, -1)

    def show(self, history: History, epoch: int) -> None:
        """Plot ``history`` with ``epoch`` marked, in the same frame as the rest of the step.

        A redraw that changes nothing the chart shows (another sample, a micro-step, a
        cursor move within one column of a long history) does not plot, nor repaint."""
        before = self.picture()
        self._history, self._version, self._epoch = history, history.version, epoch
        if self.picture() != before:
            self.refresh()

    def picture(self) -> tuple[object, ...]:
        history = self._history
        if history is None or not len(history) or not self.size.area:
            return (None,)
        return (history, self._version, *self.cursor(history, self._epoch))

    def cursor(self, history: History, epoch: int) -> tuple[float, ...]:
        """Where the current epoch is drawn. On a long history, at the chart's own
        resolution (the centre of the envelope's bucket of epochs): stepping through
        a million epochs then re-plots only when the mark moves."""
        return (self.at_resolution(history, epoch),)

    def at_resolution(self, history: History, epoch: int) -> float:
        count, buckets = len(history), self.buckets
        if count <= 2 * buckets:
            return float(epoch)
        size = math.ceil(count / buckets)  # as in envelope()
        start = epoch // size * size
        return (start + min(start + size, count) - 1) / 2

    def memo(self, history: History, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or its result from an earlier call while ``history`` is unchanged."""
        if self._memo_of[0] is not history or self._memo_of[1] != history.version:
            self._memo, self._memo_of = {}, (history, history.version)
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    def envelope(self, history: History, name: str) -> tuple[np.ndarray, np.ndarray]:
        """One history column reduced to this chart's width."""
        buckets = self.buckets
        return self.memo(
            history, ("envelope", name, buckets), lambda: envelope(history.column(name), buckets)
        )

    def extremes(self, history: History, name: str) -> np.ndarray:
        """``[min, max]`` of one history column."""
        column = history.column(name)
        return self.memo(
            history, ("extremes", name), lambda: np.array([column.min(), column.max()])
        )

    @property
    def buckets(self) -> int:
        return max(4, self.size.width - Y_LABEL_WIDTH)

    def render(self) -> RenderResult:
        self.blank_plot()
        if self._history is not None and len(self._history) and self.size.area:
            self.draw(self._history, self._epoch)
        return super().render()

    def draw(self, history: History, epoch: int) -> None:
        raise NotImplementedError

    def mark_epochs(self, history: History, epoch: float) -> None:
        """The x axis over the whole history, with a line at the current epoch."""
        last = max(len(history) - 1, 1)
        self.plt.xlim(0, last)
        self.plt.xticks(*epoch_ticks(last))
        self.plt.vline(epoch, CURSOR_COLOR)


class CostChart(HistoryChart):
    """The loss (mean squared error) against the epoch."""

    log_scale: reactive[bool] = reactive(False)

    def watch_log_scale(self) -> None:
        self.refresh()

    def picture(self) -> tuple[object, ...]:
        return (*super().picture(), self.log_scale)

    def uses_log(self, history: History) -> bool:
        """Log when asked, and always when the loss is too large to plot linearly."""
        return self.log_scale or float(self.extremes(history, "loss")[1]) > LINEAR_LIMIT

    def _curve(self, history: History) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = self.envelope(history, "loss")
        return (xs, np.log10(np.maximum(ys, TINY))) if self.uses_log(history) else (xs, ys)

    def cursor(self, history: History, epoch: int) -> tuple[float, ...]:
        """The mark at (epoch, loss); on a long history both at the chart's resolution
        (a quarter of a row for the loss)."""
        loss = float(history.column("loss")[epoch])
        if self.uses_log(history):
            loss = float(np.log10(max(loss, TINY)))
        x = self.at_resolution(history, epoch)
        if x == epoch:
            return (x, loss)
        _, ys = self._curve(history)
        low, high = float(ys.min()), float(ys.max())
        if not high > low or not math.isfinite(loss):
            return (x, loss)
        levels = 4 * self.size.height
        return (x, low + round((loss - low) / (high - low) * levels) * (high - low) / levels)

    def draw(self, history: History, epoch: int) -> None:
        plt = self.plt
        xs, ys = self._curve(history)
        x, current = self.cursor(history, epoch)
        if self.uses_log(history):
            exponents = decades(float(ys.min()), float(ys.max()))
            plt.yticks([float(e) for e in exponents], [power_label(e) for e in exponents])
        else:
            value_ticks(plt, ys)
        plt.plot(xs.tolist(), ys.tolist(), color="cyan")
        self.mark_epochs(history, x)
        plt.scatter([x], [current], marker=CURSOR_MARKER, color=CURSOR_COLOR)


# (history column, legend glyph, colour, plotext marker): distinct glyphs read without colour
SERIES = (("wx", "▄", "green", "hd"), ("wrec", "•", "magenta", "dot"))


def weights_legend(history: History, epoch: int) -> str:
    return " · ".join(
        f"{glyph} {name} {fmt_short(float(history.column(name)[epoch]), 6)}"
        for name, glyph, _, _ in SERIES
    )


class WeightsChart(HistoryChart):
    """wx and wrec over the epochs, or the path the pair takes in the (wx, wrec) plane."""

    plane: reactive[bool] = reactive(False)

    def watch_plane(self) -> None:
        self.refresh()

    def picture(self) -> tuple[object, ...]:
        return (*super().picture(), self.plane)

    def cursor(self, history: History, epoch: int) -> tuple[float, ...]:
        return (float(epoch),) if self.plane else super().cursor(history, epoch)

    def draw(self, history: History, epoch: int) -> None:
        plt = self.plt
        wx, wrec = history.column("wx"), history.column("wrec")
        if self.plane:
            step = max(1, len(wx) // (4 * self.buckets))
            plt.plot(wx[::step].tolist(), wrec[::step].tolist(), color="cyan")
            plt.scatter(
                [float(wx[epoch])], [float(wrec[epoch])], marker=CURSOR_MARKER, color=CURSOR_COLOR
            )
            value_ticks(plt, self.extremes(history, "wx"), axis="x")
            value_ticks(plt, self.extremes(history, "wrec"))
            return
        lines = [self.envelope(history, name) for name, *_ in SERIES]
        value_ticks(plt, np.concatenate([ys for _, ys in lines]))
        for (xs, ys), (_, _, color, marker) in zip(lines, SERIES, strict=True):
            plt.plot(xs.tolist(), ys.tolist(), color=color, marker=marker)
        self.mark_epochs(history, self.cursor(history, epoch)[0])
