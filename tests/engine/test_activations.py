"""Activations and their derivatives, including on strided views."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_tui.engine import ACTIVATIONS, get_activation

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivative_matches_central_difference(name: str) -> None:
    activation = get_activation(name)
    a = np.linspace(-4, 4, 81)
    a = a[np.abs(a) > 1e-3]  # relu and leaky relu have a kink at 0
    h = 1e-6
    numerical = (activation(a + h) - activation(a - h)) / (2 * h)
    np.testing.assert_allclose(activation.prime(a), numerical, rtol=1e-6, atol=1e-9)


def test_sigmoid_is_the_notebooks_formula_and_saturates_without_warnings() -> None:
    sigmoid = get_activation("sigmoid")
    a = np.array([-1000.0, -2.0, 0.0, 3.0, 1000.0])
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(sigmoid(a)[1:4], 1 / (1 + np.exp(-a[1:4])))
    assert sigmoid(a)[0] == 0.0 and sigmoid(a)[-1] == 1.0
    assert sigmoid.prime(np.array([0.0]))[0] == 0.25


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("row_stride", range(1, 12))
def test_strided_views_give_the_same_numbers(name: str, row_stride: int) -> None:
    """Regression: NumPy 2.4's AVX-512 np.negative miscomputes (2, 1) views whose
    rows are 8 elements apart, which once broke batched sigmoid evaluations."""
    activation = get_activation(name)
    source = np.random.default_rng(row_stride).normal(size=(2, row_stride + 8))
    a = source[:, :1]
    target = np.zeros((2, row_stride + 1))
    out = target[:, :1]
    activation.forward(a, out)
    np.testing.assert_array_equal(out, activation(a.copy()))


def test_unknown_activation_lists_the_choices() -> None:
    with pytest.raises(ValueError, match="identity, sigmoid, tanh, relu, leaky_relu"):
        get_activation("gelu")
