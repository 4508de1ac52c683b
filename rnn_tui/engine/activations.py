"""Hidden-state activations f and their derivatives f'.

Each derivative is computed from the pre-activation ``a`` *and* the already
computed output ``s = f(a)``, because for sigmoid and tanh the cheapest exact
form reuses ``s`` (the notebook's ``d_log(x) = log(x) * (1 - log(x))``).
All functions write into ``out`` so the training loop allocates nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .lookup import look_up

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str  # how f is written in the explain panel
    derivative_formula: str  # how f' is written
    forward: Callable[[Array, Array], None]  # forward(a, out=s)
    derivative: Callable[[Array, Array, Array], None]  # derivative(a, s, out=fp)
    unit_derivative: bool = False  # f' == 1 everywhere: multiplying by it can be skipped

    def __call__(self, a: Array) -> Array:
        out = np.empty_like(np.asarray(a, dtype=np.float64))
        with np.errstate(over="ignore"):  # exp(-a) -> inf is the right limit here
            self.forward(np.asarray(a, dtype=np.float64), out)
        return out

    def prime(self, a: Array) -> Array:
        a = np.asarray(a, dtype=np.float64)
        return self.prime_from(a, self(a))

    def prime_from(self, a: Array, s: Array) -> Array:
        out = np.empty_like(a)
        self.derivative(a, s, out)
        return out


def _identity(a: Array, out: Array) -> None:
    np.copyto(out, a)


def _identity_prime(a: Array, s: Array, out: Array) -> None:
    out.fill(1.0)


def _sigmoid(a: Array, out: Array) -> None:
    # The notebook's form, 1 / (1 + exp(-a)); exp overflows to inf for a < -709
    # and 1 / inf is exactly 0, which is the right limit. Negation is written as
    # a multiplication (exact, same bits) because np.negative in NumPy 2.4 on
    # AVX-512 gives wrong results for some strided views (found by hypothesis;
    # tests/engine/test_activations.py keeps a regression check).
    np.multiply(a, -1.0, out=out)
    np.exp(out, out=out)
    np.add(out, 1.0, out=out)
    np.divide(1.0, out, out=out)


def _sigmoid_prime(a: Array, s: Array, out: Array) -> None:
    np.subtract(1.0, s, out=out)
    np.multiply(s, out, out=out)


def _tanh(a: Array, out: Array) -> None:
    np.tanh(a, out=out)


def _tanh_prime(a: Array, s: Array, out: Array) -> None:
    np.multiply(s, s, out=out)
    np.subtract(1.0, out, out=out)


def _relu(a: Array, out: Array) -> None:
    np.maximum(a, 0.0, out=out)


def _relu_prime(a: Array, s: Array, out: Array) -> None:
    # f'(0) is taken as 0, the usual convention.
    np.greater(a, 0.0, out=out)


def _leaky_relu(a: Array, out: Array) -> None:
    np.multiply(a, np.where(a > 0.0, 1.0, 0.01), out=out)


def _leaky_relu_prime(a: Array, s: Array, out: Array) -> None:
    np.copyto(out, np.where(a > 0.0, 1.0, 0.01))


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        Activation("identity", "f(a) = a", "f'(a) = 1", _identity, _identity_prime, True),
        Activation(
            "sigmoid",
            "f(a) = 1 / (1 + e^-a)",
            "f'(a) = f(a)·(1 − f(a))",
            _sigmoid,
            _sigmoid_prime,
        ),
        Activation("tanh", "f(a) = tanh(a)", "f'(a) = 1 − f(a)²", _tanh, _tanh_prime),
        Activation("relu", "f(a) = max(a, 0)", "f'(a) = 1 if a > 0 else 0", _relu, _relu_prime),
        Activation(
            "leaky_relu",
            "f(a) = a if a > 0 else 0.01·a",
            "f'(a) = 1 if a > 0 else 0.01",
            _leaky_relu,
            _leaky_relu_prime,
        ),
    )
}


def get_activation(name: str) -> Activation:
    """The activation named ``name``; a ValueError naming the known ones otherwise."""
    return look_up(ACTIVATIONS, name, "activation")
