"""The cost chart and the weights chart (textual-plotext).

Each chart keeps a reference to the engine's history and draws at render time
for its current size, after reducing the history to a few points per column.
"""

from __future__ import annotations

import numpy as np
from textual.app import RenderResult
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from rnn_tui.engine import History

from ..formatting import fmt_short
from .downsample import decades, envelope, epoch_ticks, power_label

Y_LABEL_WIDTH = 9  # plotext's y tick labels and axis take about this many columns
TINY = 1e-300  # a loss of exactly 0 is drawn at the bottom of a log axis
CURSOR_MARKER = "◆"
CURSOR_COLOR = "red"


class HistoryChart(PlotextPlot):
    """A chart of some history columns, with the current epoch marked."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._history: History | None = None
        self._epoch = 0

    def show(self, history: History, epoch: int) -> None:
        self._history, self._epoch = history, epoch
        self.refresh()

    @property
    def buckets(self) -> int:
        return max(4, self.size.width - Y_LABEL_WIDTH)

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        if self._history is not None and len(self._history) and self.size.area:
            self.draw(self._history, self._epoch)
        return super().render()

    def draw(self, history: History, epoch: int) -> None:
        raise NotImplementedError

    def mark_epochs(self, history: History, epoch: int) -> None:
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

    def draw(self, history: History, epoch: int) -> None:
        plt = self.plt
        xs, ys = envelope(history.column("loss"), self.buckets)
        current = history.column("loss")[epoch]
        if self.log_scale:
            ys = np.log10(np.maximum(ys, TINY))
            current = np.log10(max(current, TINY))
            exponents = decades(float(ys.min()), float(ys.max()))
            plt.yticks(exponents, [power_label(e) for e in exponents])
        plt.plot(xs.tolist(), ys.tolist(), color="cyan")
        self.mark_epochs(history, epoch)
        plt.scatter([epoch], [float(current)], marker=CURSOR_MARKER, color=CURSOR_COLOR)


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

    def draw(self, history: History, epoch: int) -> None:
        plt = self.plt
        wx, wrec = history.column("wx"), history.column("wrec")
        if self.plane:
            step = max(1, len(wx) // (4 * self.buckets))
            plt.plot(wx[::step].tolist(), wrec[::step].tolist(), color="cyan")
            plt.scatter(
                [float(wx[epoch])], [float(wrec[epoch])], marker=CURSOR_MARKER, color=CURSOR_COLOR
            )
            plt.xlabel("wx")
            plt.ylabel("wrec")
            return
        for values, _, color, marker in SERIES:
            xs, ys = envelope(history.column(values), self.buckets)
            plt.plot(xs.tolist(), ys.tolist(), color=color, marker=marker)
        self.mark_epochs(history, epoch)
