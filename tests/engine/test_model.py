"""Forward pass and BPTT: closed forms, finite differences, broadcasting, shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.engine import ACTIVATIONS, gradient_check, loss_and_grads, trace
from rnn_tui.engine.datasets import notebook, roelants
from rnn_tui.engine.model import loss_only

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

SMOOTH = ["identity", "sigmoid", "tanh"]


def test_linear_output_is_the_notebooks_polynomial() -> None:
    data = notebook()
    wx, wrec = 0.2, 1.5
    result = trace(wx, wrec, data.x, data.y)
    x1, x2, x3 = data.x.T
    expected = x1 * wx * wrec**2 + x2 * wx * wrec + x3 * wx
    np.testing.assert_allclose(result.prediction, expected, rtol=1e-15)
    assert result.prediction.tolist() == pytest.approx([0.45, 0.75, 0.95])
    assert result.loss == pytest.approx(2.0225)


def test_trace_columns_follow_the_equations() -> None:
    data = roelants()
    for name, activation in ACTIVATIONS.items():
        tr = trace(0.7, -0.9, data.x, data.y, name)
        np.testing.assert_array_equal(tr.s_prev[:, 0], 0.0)  # s_0 = 0
        np.testing.assert_array_equal(tr.s_prev[:, 1:], tr.s[:, :-1])
        np.testing.assert_allclose(tr.a, tr.x * 0.7 + tr.s_prev * -0.9, rtol=1e-15, atol=1e-15)
        np.testing.assert_allclose(tr.s[:, :-1], activation(tr.a[:, :-1]), rtol=1e-15)
        np.testing.assert_array_equal(tr.s[:, -1], tr.a[:, -1])  # the output step is linear
        np.testing.assert_array_equal(tr.fprime[:, -1], 1.0)
        np.testing.assert_allclose(tr.fprime[:, :-1], activation.prime(tr.a[:, :-1]), rtol=1e-15)
        np.testing.assert_allclose(tr.delta[:, -1], 2 * tr.error / tr.n, rtol=1e-15)
        np.testing.assert_allclose(
            tr.delta[:, :-1], tr.delta[:, 1:] * -0.9 * tr.fprime[:, :-1], rtol=1e-14, atol=1e-300
        )
        assert tr.sample_dwx.sum() == pytest.approx(tr.dwx, rel=1e-12, abs=1e-14)
        assert tr.sample_dwrec.sum() == pytest.approx(tr.dwrec, rel=1e-12, abs=1e-14)
        assert tr.loss == pytest.approx(np.mean(tr.error**2), rel=1e-15)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, float, float, str]:
    n = draw(st.integers(1, 6))
    t = draw(st.integers(1, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, t)).astype(float) * draw(st.sampled_from([1.0, 0.5, -1.0]))
    y = rng.normal(size=n) * 3
    wx = draw(st.floats(-1.5, 1.5))
    wrec = draw(st.floats(-1.2, 1.2))
    activation = draw(st.sampled_from(SMOOTH))
    return x, y, wx, wrec, activation


@settings(max_examples=150, deadline=None)
@given(problems())
def test_bptt_matches_finite_differences(problem: tuple) -> None:
    x, y, wx, wrec, activation = problem
    loss = float(loss_and_grads(wx, wrec, x, y, activation)[0])
    # central differences with h = 1e-6 carry a round-off of about eps * L / h
    roundoff = 1e-8 * max(1.0, loss)
    for check in gradient_check(wx, wrec, x, y, activation, h=1e-6):
        scale = max(abs(check.analytic), abs(check.numerical))
        assert abs(check.analytic - check.numerical) <= 1e-5 * scale + roundoff, check


@settings(max_examples=60, deadline=None)
@given(problems(), st.integers(1, 5), st.integers(1, 4))
def test_broadcasting_equals_a_loop_bit_for_bit(problem: tuple, rows: int, cols: int) -> None:
    x, y, _, _, activation = problem
    rng = np.random.default_rng(rows * 10 + cols)
    wx = rng.normal(size=(rows, 1))
    wrec = rng.normal(size=(1, cols))
    loss, dwx, dwrec = loss_and_grads(wx, wrec, x, y, activation)
    assert loss.shape == dwx.shape == dwrec.shape == (rows, cols)
    for i in range(rows):
        for j in range(cols):
            single = loss_and_grads(wx[i, 0], wrec[0, j], x, y, activation)
            assert (loss[i, j], dwx[i, j], dwrec[i, j]) == tuple(float(v) for v in single)
    np.testing.assert_array_equal(loss_only(wx, wrec, x, y, activation), loss)


def test_scalar_inputs_give_zero_dimensional_results() -> None:
    data = notebook()
    loss, dwx, dwrec = loss_and_grads(0.2, 1.5, data.x, data.y)
    assert loss.shape == dwx.shape == dwrec.shape == ()
    assert float(dwx) == pytest.approx(-10.441666666666666)


def test_large_grid_is_chunked_without_changing_numbers() -> None:
    data = roelants()
    wx = np.linspace(-2, 2, 300)[None, :]
    wrec = np.linspace(-1.5, 1.5, 80)[:, None]
    grid, _, _ = loss_and_grads(wx, wrec, data.x, data.y, "tanh")
    assert grid.shape == (80, 300)
    some = loss_and_grads(wx[0, 123], wrec[45, 0], data.x, data.y, "tanh")[0]
    assert grid[45, 123] == float(some)


def test_overflow_gives_inf_or_nan_silently() -> None:
    data = roelants()
    loss, dwx, dwrec = loss_and_grads(1.0, 1e200, data.x, data.y)
    assert not np.isfinite(loss)
    assert not (np.isfinite(dwx) and np.isfinite(dwrec))


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_single_timestep_and_single_sample(activation: str) -> None:
    x = np.array([[2.0]])
    y = np.array([3.0])
    tr = trace(0.5, 7.0, x, y, activation)
    # one step: the output is linear in x whatever f is, and wrec never matters
    assert tr.prediction[0] == 1.0
    assert tr.dwx == pytest.approx(2 * (1.0 - 3.0) * 2.0)
    assert tr.dwrec == 0.0


def test_shape_errors_are_reported() -> None:
    with pytest.raises(ValueError, match=r"shape \(N, T\)"):
        loss_and_grads(0.1, 0.2, np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="y must have shape"):
        loss_and_grads(0.1, 0.2, np.ones((3, 2)), np.ones(2))
    with pytest.raises(ValueError, match="unknown activation"):
        loss_and_grads(0.1, 0.2, np.ones((3, 2)), np.ones(3), "softplus")
