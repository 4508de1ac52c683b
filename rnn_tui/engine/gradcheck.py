"""Finite-difference check of the BPTT gradients (CS231n-style verdicts)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .model import loss_and_grads

GOOD = 1e-7  # relative error at or below this: the gradient is right
WRONG = 1e-2  # above this: the gradient is wrong


@dataclass(frozen=True)
class GradientCheck:
    name: str  # "wx" or "wrec"
    analytic: float
    numerical: float

    @property
    def relative_error(self) -> float:
        return relative_error(self.analytic, self.numerical)

    @property
    def verdict(self) -> str:
        if self.relative_error <= GOOD:
            return "good"
        if self.relative_error <= WRONG:
            return "suspect (kinks or too large h?)"
        return "wrong"


def relative_error(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


def gradient_check(
    wx: float,
    wrec: float,
    x: ArrayLike,
    y: ArrayLike,
    activation: str = "identity",
    h: float = 1e-5,
) -> tuple[GradientCheck, GradientCheck]:
    """Compare BPTT's dL/dwx, dL/dwrec with central differences (L(w+h) - L(w-h)) / 2h.

    All five evaluations run in one vectorised call.
    """
    wxs = np.array([wx, wx + h, wx - h, wx, wx])
    wrecs = np.array([wrec, wrec, wrec, wrec + h, wrec - h])
    loss, dwx, dwrec = loss_and_grads(wxs, wrecs, x, y, activation)
    numerical_wx = (loss[1] - loss[2]) / (2 * h)
    numerical_wrec = (loss[3] - loss[4]) / (2 * h)
    return (
        GradientCheck("wx", float(dwx[0]), float(numerical_wx)),
        GradientCheck("wrec", float(dwrec[0]), float(numerical_wrec)),
    )
