"""Words for what the numbers are doing: gradient flow through time and why a
run diverged."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .datasets import Dataset
from .history import History
from .model import Trace, trace
from .reports import DivergedQuantity, Divergence

Array = NDArray[np.float64]


def gradient_through_time(trace: Trace) -> Array:
    """Mean |δ_t| over the sequences for t = 1..T: how much error signal
    reaches each timestep."""
    result: Array = np.abs(trace.delta).mean(axis=0)
    return result


def gradient_growth(trace: Trace) -> float:
    """|δ_1| / |δ_T| (averaged over sequences): above 1 the gradient
    grows going back in time (explodes), below 1 it shrinks (vanishes)."""
    flow = gradient_through_time(trace)
    if flow[-1] == 0.0 or not np.isfinite(flow).all():
        return float("nan")
    return float(flow[0] / flow[-1])


def _order_of_magnitude(value: float) -> str:
    if not np.isfinite(value) or value <= 0:
        return "an unmeasurable factor"
    exponent = int(np.floor(np.log10(value)))
    if -3 <= exponent <= 3:
        return f"{value:.3g}-fold"
    return f"10^{exponent}-fold"


def explain_divergence(
    trace: Trace,
    epoch: int,
    what: str,
    jump: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> str:
    """One paragraph a student can read when a run stops on NaN or overflow.

    ``trace`` is the epoch whose gradient caused the trouble, ``epoch`` the one
    that could not be computed, ``what`` the quantity that stopped being finite
    and ``jump`` the weights before and after the last finite update, if any.
    """
    # Short enough for three lines at 80 columns with the app's key hint: the status
    # line beside it shows both weights, so only wrec's jump (the cause) is named.
    text = f"The {what} overflowed before epoch {epoch}"
    if jump is not None:
        (_, wrec0), (_, wrec1) = jump
        text += f": the last update took wrec from {wrec0:.3g} to {wrec1:.3g}"
    steps = trace.t
    if steps > 1:
        growth = gradient_growth(trace)
        verb = "grew" if not growth < 1 else "changed"
        lead = ", as" if jump is not None else f": with wrec = {trace.wrec:.3g},"
        text += (
            f"{lead} δ_t {verb} {_order_of_magnitude(growth)} over {steps} steps back "
            f"(gradient {trace.gradient_norm:.3g})"
        )
    # No key names here: the CLI prints this too; the app adds its own key hint.
    parts = [f"{text}.", "Lower the learning rates, clip (clip=norm:1) or use rprop."]
    return " ".join(parts)


def divergence_after(
    history: History,
    head: int,
    weights: tuple[float, float],
    loss: float,
    dataset: Dataset,
    activation: str,
) -> Divergence:
    """Why the epoch after ``head`` (the last finite one) could not be computed: the
    update gave ``weights`` and ``loss``, and something there is not finite."""
    wx, wrec = weights
    if not (math.isfinite(wx) and math.isfinite(wrec)):
        what: DivergedQuantity = "weights"
    elif not math.isfinite(loss):
        what = "loss"
    else:
        what = "gradient"
    # Explain with the epoch whose (already huge) gradient threw the weights
    # away: the one before the last finite epoch, when there is one.
    cause_wx, cause_wrec, *_ = history.row(max(0, head - 1))
    cause = trace(cause_wx, cause_wrec, dataset.x, dataset.y, activation)
    jump = ((cause_wx, cause_wrec), history.row(head)[:2]) if head > 0 else None
    return Divergence(head + 1, what, explain_divergence(cause, head + 1, what, jump))
