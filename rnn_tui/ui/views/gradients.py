"""Gradients through time: how much error signal reaches each timestep.

Top: mean |delta_t| = |dL/da_t| over the sequences against t, on a log axis, at
the current weights (Roelants' second figure, live). Bottom: the norm of
(dL/dwx, dL/dwrec) per epoch up to the cursor. Both read the engine's numbers.
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Vertical
from textual.events import Resize
from textual_plotext.plot import Plot

from rnn_tui.engine import Trainer, gradient_growth, gradient_norms, gradient_through_time
from rnn_tui.ui.charts.cached import CachedPlot
from rnn_tui.ui.charts.downsample import decades, power_label
from rnn_tui.ui.formatting import fmt_count

from .fitted import FitsItsText

TINY = 1e-300  # an exact zero is drawn at the bottom of the log axis


def log_axis(logs: np.ndarray) -> tuple[tuple[int, int], list[float], list[str]]:
    """The y range in whole decades (at least one, so a flat curve is drawn flat and
    agrees with the caption's "×1 per step back") and ticks on decades inside it."""
    finite = logs[np.isfinite(logs)]
    if finite.size == 0:
        return (0, 1), [0.0, 1.0], [power_label(0), power_label(1)]
    low, high = math.floor(float(finite.min())), math.ceil(float(finite.max()))
    if high - low < 1:
        high = low + 1
    step = decades(low, high)[1] - low if high - low > 1 else 1
    ticks = list(range(high, low - 1, -step))[::-1]  # evenly spaced, down from the top
    return (low, high), [float(t) for t in ticks], [power_label(t) for t in ticks]


def plot_log(plt: Plot, xs: list[float], values: np.ndarray, color: str) -> np.ndarray:
    """Set the log axis for ``values`` and return their finite log10s' positions."""
    logs = _log10(values)
    (low, high), ticks, labels = log_axis(logs)
    plt.ylim(low, high)
    plt.yticks(ticks, labels)
    finite = np.isfinite(logs)
    plt.plot(
        [x for x, ok in zip(xs, finite, strict=True) if ok], logs[finite].tolist(), color=color
    )
    return logs


def _log10(values: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        logs: np.ndarray = np.log10(np.maximum(np.abs(values), TINY))
    return logs


def verdict(growth: float, wrec: float, steps: int) -> str:
    """One sentence on what the curve shows: the total change from t = T back to t = 1
    and the factor per step, which is what |wrec·f'(a_t)| decides."""
    if not math.isfinite(growth):
        return "The gradient is not finite: the run has diverged."
    if steps < 2 or growth == 0.0:
        return "Nothing flows back in time."
    per_step = growth ** (1.0 / (steps - 1))
    change = f"|δ_1|/|δ_{steps}| = {growth:.3g} (×{per_step:.3g} per step back)"
    if growth > 1.5:
        word = "EXPLODES" if growth > 100 else "grows"
        return f"{change}: the gradient {word} going back in time; |wrec| = {abs(wrec):.3g}."
    if growth < 1 / 1.5:
        word = "VANISHES" if growth < 0.01 else "shrinks"
        return (
            f"{change}: the gradient {word} going back in time (|wrec·f'(a_t)| < 1), "
            "so early inputs barely learn."
        )
    return f"{change}: the gradient keeps its size over time."


class DeltaChart(CachedPlot):
    """log10 mean |δ_t| against t."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.flow: np.ndarray = np.empty(0)

    def show(self, flow: np.ndarray) -> None:
        if not np.array_equal(flow, self.flow):
            self.flow = flow
            self.refresh()

    def picture(self) -> tuple[object, ...]:
        return (self.flow.tobytes(),)

    def render(self) -> RenderResult:
        plt = self.blank_plot()
        if self.flow.size:
            ts = [float(t) for t in range(1, self.flow.size + 1)]
            logs = plot_log(plt, ts, self.flow, "cyan")
            finite = np.isfinite(logs)
            plt.scatter(
                np.array(ts)[finite].tolist(), logs[finite].tolist(), marker="●", color="cyan"
            )
            every = 1 if len(ts) <= 12 else max(1, len(ts) // 10)
            plt.xticks(ts[::every])
            plt.title("mean |δ_t| = |dL/da_t| against t (log scale)")
            plt.xlabel("timestep t")
            plt.ylabel("|δ_t|")
        return super().render()


class NormChart(CachedPlot):
    """log10 of the gradient norm per epoch."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.epochs: np.ndarray = np.empty(0)
        self.norms: np.ndarray = np.empty(0)

    def show(self, epochs: np.ndarray, norms: np.ndarray) -> None:
        if not (np.array_equal(epochs, self.epochs) and np.array_equal(norms, self.norms)):
            self.epochs, self.norms = epochs, norms
            self.refresh()

    def picture(self) -> tuple[object, ...]:
        return (self.epochs.tobytes(), self.norms.tobytes())

    def render(self) -> RenderResult:
        plt = self.blank_plot()
        if self.norms.size:
            logs = plot_log(plt, self.epochs.astype(float).tolist(), self.norms, "magenta")
            if np.isfinite(logs[-1]):
                plt.scatter([float(self.epochs[-1])], [float(logs[-1])], marker="●", color="red")
            plt.xlim(0, max(1, int(self.epochs[-1])))
            plt.title("gradient norm |(dL/dwx, dL/dwrec)| per epoch (log scale)")
            plt.xlabel("epoch")
            plt.ylabel("norm")
        return super().render()


class _Summary(FitsItsText):
    DEFAULT_CSS = "_Summary { height: auto; }"

    def __init__(self) -> None:
        super().__init__()
        self.text = ""

    def render(self) -> RenderResult:
        return Text(self.text)

    def say(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refit()


class GradientsView(Vertical):
    """``show(trainer)`` after every step; reads the trace at the cursor."""

    DEFAULT_CSS = """
    GradientsView { height: 1fr; width: 1fr; }
    GradientsView DeltaChart { height: 3fr; }
    GradientsView NormChart { height: 2fr; }
    GradientsView.-low NormChart { display: none; }
    """
    # Below this many rows two charts would each get a plot one or two rows high (drawn
    # upside down after a divergence): the delta chart alone then, the norm in words.
    BOTH_CHARTS_ROWS = 22

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.flow: np.ndarray = np.empty(0)
        self.growth = float("nan")
        self._shown: tuple[int, int, int] | None = None
        self._trainer: Trainer | None = None

    def compose(self) -> ComposeResult:
        yield _Summary()
        yield DeltaChart()
        yield NormChart()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height < self.BOTH_CHARTS_ROWS, "-low")

    def show(self, trainer: Trainer) -> None:
        shown = (id(trainer), trainer.epoch, trainer.history.version)
        if shown == self._shown and self._trainer is trainer:
            return  # a redraw for something else (a sample, a cursor move)
        self._shown, self._trainer = shown, trainer
        trace = trainer.trace()
        self.flow = gradient_through_time(trace)
        self.growth = gradient_growth(trace)
        self.query_one(_Summary).say(
            f"{verdict(self.growth, trace.wrec, trace.t)} Epoch {fmt_count(trainer.epoch)}: "
            f"|(dL/dwx, dL/dwrec)| = {trace.gradient_norm:.3g}."
        )
        self.query_one(DeltaChart).show(self.flow)
        self.query_one(NormChart).show(*gradient_norms(trainer))

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        """The main app's view switcher calls this (all sequences are averaged)."""
        self.show(trainer)
