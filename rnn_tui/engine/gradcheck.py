"""Check BPTT's gradients against a derivative of the loss computed another way.

For smooth activations (identity, sigmoid, tanh) the other way is the complex-step
derivative, dL/dw = Im L(w + ih) / h: the forward pass run in complex arithmetic,
exact to rounding because nothing is subtracted. Central differences
(L(w + h) − L(w − h)) / 2h, whose own error can dwarf a gradient of 1e-12, serve only
relu and leaky_relu, which have no complex extension.

A verdict compares the disagreement with what rounding alone can cause at these
weights (``noise``, estimated from the sizes of the terms BPTT adds up, of the
loss, and for central differences of its truncation error), so "wrong" means the
backward pass is wrong, and a gradient at rounding level is "too small to check".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .activations import get_activation
from .model import Trace, complex_loss, loss_and_grads, trace

GOOD = 1e-7  # relative error at or below this (or within rounding noise): the gradient is right
WRONG = 1e-2  # above this (and beyond rounding noise): the gradient is wrong
COMPLEX_STEP = 1e-20  # h of the complex step: no cancellation, so it can be tiny
NOISE_MARGIN = 8.0  # rounding noise is taken 8x its estimate (worst seen: 0.73 of it)

EPS = float(np.finfo(np.float64).eps)
SMOOTH = frozenset({"identity", "sigmoid", "tanh"})
EXACT_DERIVATIVE = frozenset({"identity", "relu", "leaky_relu"})  # f' is a constant: no rounding

# The verdicts, in words a student reads.
VERDICT_GOOD = "good"
VERDICT_SMALL = "too small to check"
VERDICT_SUSPECT = "suspect"
VERDICT_WRONG = "wrong"
VERDICT_KINK = "kink: cannot check"
VERDICT_NOT_FINITE = "not finite: cannot check"
VERDICT_UNBOUNDED = "cannot check: rounding bound overflows"


Method = Literal["complex step", "central differences"]
"""How the numerical derivative is taken: exact to rounding, or approximately."""


@dataclass(frozen=True)
class GradientCheck:
    name: Literal["wx", "wrec"]
    """The weight whose gradient is checked."""
    analytic: float
    """BPTT's gradient."""
    numerical: float
    """The same derivative computed from the loss alone."""
    noise: float
    """How far apart two right answers can be from rounding (and truncation)."""
    method: Method
    step: float
    """The method's h (central differences scale it by max(1, |w|))."""
    kink: bool = False
    """relu's kink lies within the differences' reach: no verdict possible."""

    @property
    def formula(self) -> str:
        if self.method == "complex step":
            return f"dL/dw = Im L(w + ih) / h, h = {self.step:.0e} (exact to rounding)"
        return f"dL/dw ≈ (L(w + h) − L(w − h)) / 2h, h = {self.step:.0e}·max(1, |w|)"

    @property
    def relative_error(self) -> float:
        return relative_error(self.analytic, self.numerical)

    @property
    def verdict(self) -> str:
        if not (math.isfinite(self.analytic) and math.isfinite(self.numerical)):
            return VERDICT_NOT_FINITE
        if not math.isfinite(self.noise):
            return VERDICT_UNBOUNDED  # e.g. |wrec|^T overflows at weights near 1e17
        if self.kink:
            return VERDICT_KINK
        scale = max(abs(self.analytic), abs(self.numerical))
        if scale <= self.noise:
            return VERDICT_SMALL
        if abs(self.analytic - self.numerical) <= max(GOOD * scale, self.noise):
            return VERDICT_GOOD
        return VERDICT_SUSPECT if self.relative_error <= WRONG else VERDICT_WRONG

    @property
    def wrong(self) -> bool:
        """True only when the backward pass disagrees beyond any rounding or truncation."""
        return self.verdict == VERDICT_WRONG


def relative_error(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0.0 else abs(a - b) / scale


def rounding_noise(result: Trace) -> tuple[float, float]:
    """How far rounding alone can move BPTT's (dL/dwx, dL/dwrec) at this trace.

    A first-order error model built from magnitudes: each sequence's error ŷ − y is
    uncertain by eps times the sizes of the terms the forward pass added (amplified by
    |wrec·f'| on the way to the output), and each delta_t by the slack in f'(a_t),
    whose formula (1 − s², s·(1 − s)) loses its digits when the activation saturates.
    """
    low = _magnitudes(result, slack=0.0)
    exact = result.activation in EXACT_DERIVATIVE
    high = low if exact else _magnitudes(result, slack=4 * EPS)
    noise = NOISE_MARGIN * (EPS * high + 2.0 * (high - low))
    return float(noise[0]), float(noise[1])


def _magnitudes(result: Trace, slack: float) -> NDArray[np.float64]:
    """Sum |delta_t|·|x_t| and |delta_t|·|s_{t-1}| with every factor taken at its size
    (and f' at its size plus ``slack``), the forward pass's term sizes added to |ŷ − y|."""
    n, steps = result.x.shape
    # reach[:, t]: |d a_T / d a_t| bound, the product of |wrec|·(|f'| + slack) after t
    reach = np.ones((n, steps))
    factors = abs(result.wrec) * (np.abs(result.fprime) + slack)
    for k in range(steps - 2, -1, -1):
        reach[:, k] = reach[:, k + 1] * factors[:, k]
    terms = np.abs(result.x * result.wx) + np.abs(result.s_prev * result.wrec)
    size = np.abs(result.error) + (reach * terms).sum(axis=1) + np.abs(result.target)
    delta = reach * (2.0 * size / n)[:, np.newaxis]
    return np.array([(delta * np.abs(result.x)).sum(), (delta * np.abs(result.s_prev)).sum()])


def gradient_check(
    wx: float,
    wrec: float,
    x: ArrayLike,
    y: ArrayLike,
    activation: str = "identity",
    h: float = 1e-5,
) -> tuple[GradientCheck, GradientCheck]:
    """Compare BPTT's dL/dwx, dL/dwrec with the complex-step derivative (smooth
    activations) or central differences with step ``h`` (relu, leaky_relu).

    Weights near overflow give non-finite numbers and a verdict that says so, no warnings."""
    with np.errstate(all="ignore"):
        return _gradient_check(wx, wrec, x, y, get_activation(activation).name, h)


def _gradient_check(
    wx: float, wrec: float, x: ArrayLike, y: ArrayLike, name: str, h: float
) -> tuple[GradientCheck, GradientCheck]:
    result = trace(wx, wrec, x, y, name)
    noise = rounding_noise(result)
    if name in SMOOTH:
        numerical = _complex_step(wx, wrec, x, y, name)
        if all(math.isfinite(value) for value in numerical):
            # Its truncation error, h^2 times L's third derivative / 6, is far below h.
            floor = tuple(max(n, COMPLEX_STEP) for n in noise)
            return _checks(result, numerical, floor, "complex step", COMPLEX_STEP)
    # Steps relative to the weights: w + h must differ from w (at |w| = 1e16 it would not).
    steps = (h * max(1.0, abs(wx)), h * max(1.0, abs(wrec)))
    numerical, truncation = _central_differences(wx, wrec, x, y, name, steps)
    # Central differences round at eps·|L| per evaluation, divided by 2h.
    total = tuple(
        n + t + NOISE_MARGIN * EPS * abs(result.loss) / step
        for n, t, step in zip(noise, truncation, steps, strict=True)
    )
    kinks = (False, False) if name in SMOOTH else _kinks(wx, wrec, x, y, name, steps)
    return _checks(result, numerical, total, "central differences", h, kinks)


def _checks(
    result: Trace,
    numerical: tuple[float, float],
    noise: tuple[float, ...],
    method: Method,
    step: float,
    kinks: tuple[bool, bool] = (False, False),
) -> tuple[GradientCheck, GradientCheck]:
    return (
        GradientCheck("wx", result.dwx, numerical[0], noise[0], method, step, kinks[0]),
        GradientCheck("wrec", result.dwrec, numerical[1], noise[1], method, step, kinks[1]),
    )


def _complex_step(
    wx: float, wrec: float, x: ArrayLike, y: ArrayLike, activation: str
) -> tuple[float, float]:
    step = 1j * COMPLEX_STEP
    loss = complex_loss(np.array([wx + step, wx]), np.array([wrec, wrec + step]), x, y, activation)
    derivative = loss.imag / COMPLEX_STEP
    return float(derivative[0]), float(derivative[1])


def _central_differences(
    wx: float, wrec: float, x: ArrayLike, y: ArrayLike, activation: str, h: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Central differences with steps h (one per weight), and their truncation error
    estimated from the same differences with step 2h (Richardson: the error of D(h) is
    about (D(2h) − D(h)) / 3)."""
    shifts = np.array([1.0, -1.0, 2.0, -2.0])
    loss = loss_and_grads(
        np.concatenate([wx + h[0] * shifts, np.full(4, wx)]),
        np.concatenate([np.full(4, wrec), wrec + h[1] * shifts]),
        x,
        y,
        activation,
    )[0]
    derivative, truncation = [], []
    for at, step in ((loss[:4], h[0]), (loss[4:], h[1])):
        d_h = (at[0] - at[1]) / (2 * step)
        d_2h = (at[2] - at[3]) / (4 * step)
        derivative.append(float(d_h))
        truncation.append(float(NOISE_MARGIN * abs(d_2h - d_h) / 3))
    return (derivative[0], derivative[1]), (truncation[0], truncation[1])


def _kinks(
    wx: float, wrec: float, x: ArrayLike, y: ArrayLike, activation: str, h: tuple[float, float]
) -> tuple[bool, bool]:
    """Whether some pre-activation a_t changes sign when wx (or wrec) moves by ±2h, as
    far as the differences reach: relu's derivative jumps there, so no difference
    quotient can check it."""

    def signs(a: float, b: float) -> NDArray[np.bool_]:
        return np.asarray(trace(a, b, x, y, activation).a[:, :-1] > 0.0)

    here = signs(wx, wrec)
    return (
        any(bool((signs(wx + d, wrec) != here).any()) for d in (2 * h[0], -2 * h[0])),
        any(bool((signs(wx, wrec + d) != here).any()) for d in (2 * h[1], -2 * h[1])),
    )
