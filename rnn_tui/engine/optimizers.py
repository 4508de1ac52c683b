"""Weight updates: gradient descent, momentum, Adam and Rprop, plus clipping.

Each optimizer updates the two weights ``(wx, wrec)`` from their gradients and
keeps its running state in a small vector, so the trainer can store that state
in checkpoints and rebuild any epoch exactly.

One implementation serves one run and many: the values are floats for a
:class:`~rnn_tui.engine.trainer.Trainer` (its fast path) or arrays of shape
``(B,)`` for a sweep's ``B`` runs in lockstep. Both go through the same plain
operators, and the few functions that differ between floats and arrays
(``sqrt``, ``hypot``, clamping) are IEEE-exact or shared, so each run of a sweep
is bit for bit the Trainer's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
V = TypeVar("V", float, Array)
"""A float (one run) or an array of shape (B,) (B runs at once)."""
Pair = tuple[float, float]


def _sqrt(value: V) -> V:
    # Both are the correctly rounded IEEE square root: the same bits.
    return math.sqrt(value) if isinstance(value, float) else np.sqrt(value)


def _clamp(value: V, limit: float) -> V:
    if isinstance(value, float):
        return min(max(value, -limit), limit)
    return np.clip(value, -limit, limit)


@dataclass(frozen=True)
class Clip:
    """Gradient clipping applied before the update: ``none``, ``value:C`` or ``norm:C``."""

    mode: str = "none"
    limit: float = 0.0

    def apply(self, gwx: V, gwrec: V) -> tuple[V, V]:
        if self.mode == "value":
            return _clamp(gwx, self.limit), _clamp(gwrec, self.limit)
        if self.mode == "norm":
            # NumPy's hypot for floats too: math.hypot rounds differently in ~0.3% of cases.
            norm = np.hypot(gwx, gwrec)
            if isinstance(gwx, float):
                if norm > self.limit:
                    scale = float(self.limit / norm)
                    return gwx * scale, gwrec * scale
                return gwx, gwrec
            with np.errstate(all="ignore"):
                factor: Array = np.where(norm > self.limit, self.limit / norm, 1.0)
            return gwx * factor, gwrec * factor  # × 1.0 is exact: unclipped runs keep their bits
        return gwx, gwrec

    def __str__(self) -> str:
        return "none" if self.mode == "none" else f"{self.mode}:{self.limit!r}"


def _sign(value: float) -> float:
    return 1.0 if value > 0 else (-1.0 if value < 0 else 0.0)


class Optimizer(Generic[V]):
    """Base class: ``step`` returns the new weights and updates ``state`` in place.

    ``lr`` holds one learning rate per weight: floats for one run, arrays for a sweep.
    """

    name = "base"
    state_size = 0

    def __init__(self, lr: tuple[V, V]) -> None:
        self.lr: tuple[V, V] = lr

    def initial_state(self) -> list[float]:
        """The state before the first step (a sweep broadcasts it over its runs)."""
        return [0.0] * self.state_size

    def step(self, w: tuple[V, V], g: tuple[V, V], state: list[V]) -> tuple[V, V]:
        raise NotImplementedError

    def describe(self) -> str:
        """The update rule, for the explain panel."""
        raise NotImplementedError


class GradientDescent(Optimizer[V]):
    """w <- w - lr * dL/dw, one learning rate per weight (the notebook's rule)."""

    name = "gd"

    def step(self, w: tuple[V, V], g: tuple[V, V], state: list[V]) -> tuple[V, V]:
        return w[0] - self.lr[0] * g[0], w[1] - self.lr[1] * g[1]

    def describe(self) -> str:
        return "w ← w − lr · dL/dw"


class Momentum(Optimizer[V]):
    """v <- mu * v - lr * g;  w <- w + v   (state: v_wx, v_wrec)."""

    name = "momentum"
    state_size = 2

    def __init__(self, lr: tuple[V, V], momentum: float) -> None:
        self.lr = lr
        self.momentum = momentum

    def step(self, w: tuple[V, V], g: tuple[V, V], state: list[V]) -> tuple[V, V]:
        mu = self.momentum
        state[0] = mu * state[0] - self.lr[0] * g[0]
        state[1] = mu * state[1] - self.lr[1] * g[1]
        return w[0] + state[0], w[1] + state[1]

    def describe(self) -> str:
        return f"v ← {self.momentum:g}·v − lr · dL/dw;  w ← w + v"


class Adam(Optimizer[V]):
    """Adam with bias correction (state: m_wx, m_wrec, v_wx, v_wrec, step count)."""

    name = "adam"
    state_size = 5

    def __init__(self, lr: tuple[V, V], beta1: float, beta2: float, eps: float) -> None:
        self.lr = lr
        self.beta1, self.beta2, self.eps = beta1, beta2, eps

    def step(self, w: tuple[V, V], g: tuple[V, V], state: list[V]) -> tuple[V, V]:
        b1, b2 = self.beta1, self.beta2
        state[4] += 1.0
        new: list[V] = []
        for i in range(2):
            state[i] = b1 * state[i] + (1.0 - b1) * g[i]
            state[2 + i] = b2 * state[2 + i] + (1.0 - b2) * g[i] * g[i]
            m_hat, v_hat = self.bias_corrected(state, i)
            new.append(w[i] - self.lr[i] * m_hat / (_sqrt(v_hat) + self.eps))
        return new[0], new[1]

    def bias_corrected(self, state: list[V], i: int) -> tuple[V, V]:
        """(m̂, v̂) of weight ``i`` from a state after ``state[4]`` steps."""
        count = state[4]
        # Runs in lockstep share one step count: beta**k is one float power for all of them.
        k = count if isinstance(count, float) else float(count[0])
        return state[i] / (1.0 - self.beta1**k), state[2 + i] / (1.0 - self.beta2**k)

    def describe(self) -> str:
        return "m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − lr · m̂ / (√v̂ + ε)"


class Rprop(Optimizer[float]):
    """Rprop as in Roelants' tutorial: only the gradient's sign is used.

    step *= eta_plus if the sign repeats, else eta_minus; w <- w - sign(g) * step.
    The previous sign starts at 0 and steps are not bounded.
    State: step_wx, step_wrec, previous sign of each gradient. One run at a time:
    it has no learning rate, so there is nothing for a learning-rate sweep to vary.
    """

    name = "rprop"
    state_size = 4

    def __init__(self, eta_plus: float, eta_minus: float, step0: float) -> None:
        super().__init__((0.0, 0.0))
        self.eta_plus, self.eta_minus, self.step0 = eta_plus, eta_minus, step0

    def initial_state(self) -> list[float]:
        return [self.step0, self.step0, 0.0, 0.0]

    def step(self, w: Pair, g: Pair, state: list[float]) -> Pair:
        new: list[float] = []
        for i in range(2):
            sign = _sign(g[i])
            state[i] *= self.eta_plus if sign == state[2 + i] else self.eta_minus
            state[2 + i] = sign
            new.append(w[i] - sign * state[i])
        return new[0], new[1]

    def describe(self) -> str:
        return (
            f"step ← step·{self.eta_plus:g} if sign(g) repeats else step·{self.eta_minus:g};"
            "  w ← w − sign(g)·step"
        )


OPTIMIZER_NAMES = ("gd", "momentum", "adam", "rprop")
