"""The gradient check says "wrong" only when BPTT is wrong, and says so when it is."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.engine import PRESETS, Trainer, gradient_check
from rnn_tui.engine import gradcheck as gradcheck_module
from rnn_tui.engine.datasets import notebook
from rnn_tui.engine.gradcheck import (
    VERDICT_GOOD,
    VERDICT_KINK,
    VERDICT_NOT_FINITE,
    VERDICT_SMALL,
    VERDICT_UNBOUNDED,
    VERDICT_WRONG,
)
from rnn_tui.engine.model import Trace, complex_loss, loss_only, trace


def test_converged_notebook_run_checks_good_not_wrong() -> None:
    # Central differences gave rel. error 0.99 ("wrong") on these correct 1e-12 gradients.
    trainer = Trainer(PRESETS["seed-linear"].config)
    trainer.goto(50_000)
    checks = gradient_check(*trainer.weights, trainer.dataset.x, trainer.dataset.y)
    assert [c.method for c in checks] == ["complex step", "complex step"]
    assert [c.verdict for c in checks] == [VERDICT_GOOD, VERDICT_GOOD]
    assert all(c.relative_error < 1e-13 for c in checks)
    assert not any(c.wrong for c in checks)


def test_a_planted_wrong_gradient_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    def bptt_with_a_bug(*args: object) -> Trace:
        result = trace(*args)  # type: ignore[arg-type]
        return dataclasses.replace(result, dwrec=result.dwrec * 1.5)

    monkeypatch.setattr(gradcheck_module, "trace", bptt_with_a_bug)
    data = notebook()
    wx_check, wrec_check = gradient_check(0.2, 1.5, data.x, data.y)
    assert wx_check.verdict == VERDICT_GOOD
    assert wrec_check.verdict == VERDICT_WRONG and wrec_check.wrong


def test_a_gradient_of_zero_is_too_small_to_check() -> None:
    data = notebook()
    checks = gradient_check(1.0, 1.0, data.x, data.y)  # the exact answer: L = 0
    assert [c.verdict for c in checks] == [VERDICT_SMALL, VERDICT_SMALL]
    assert not any(c.wrong for c in checks)


def test_complex_loss_has_the_real_loss_as_its_real_part() -> None:
    data = notebook()
    for activation in ("identity", "sigmoid", "tanh"):
        real = float(loss_only(0.3, -0.7, data.x, data.y, activation))
        loss = complex_loss(0.3 + 0j, -0.7 + 0j, data.x, data.y, activation)
        assert loss.real == pytest.approx(real, rel=1e-15) and loss.imag == 0.0


def test_relu_is_checked_with_central_differences_away_from_kinks() -> None:
    data = notebook()
    checks = gradient_check(0.7, 0.9, data.x, data.y, "relu")
    assert [c.method for c in checks] == ["central differences"] * 2
    assert [c.verdict for c in checks] == [VERDICT_GOOD, VERDICT_GOOD]


def test_relu_at_its_kink_is_not_called_wrong() -> None:
    # a_2 = -1·wx + s_1·wrec = 0 at wx = wrec = 1: moving wrec crosses relu's kink.
    x = np.array([[1.0, -1.0, 1.0]])
    wx_check, wrec_check = gradient_check(1.0, 1.0, x, np.array([5.0]), "relu")
    assert wrec_check.verdict == VERDICT_KINK and not wrec_check.wrong
    assert wx_check.verdict == VERDICT_GOOD


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, float, float, str]:
    n, t = draw(st.integers(1, 12)), draw(st.integers(1, 30))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.integers(0, 2, size=(n, t)) * draw(st.sampled_from([1.0, 0.5, -1.0, 3.0]))
    activation = draw(st.sampled_from(["identity", "sigmoid", "tanh"]))
    wx = draw(st.floats(-4, 4))
    wrec = draw(st.floats(-1, 1) if activation == "identity" else st.floats(-4, 4))
    # Targets at the prediction plus 10^k: from a gradient at rounding level to a large one.
    prediction = trace(wx, wrec, x, np.zeros(n), activation).prediction
    y = prediction + rng.normal(size=n) * 10.0 ** draw(st.integers(-16, 1))
    return x, y, wx, wrec, activation


@settings(max_examples=200, deadline=None)
@given(problems())
def test_correct_gradients_are_never_wrong_or_suspect(problem: tuple) -> None:
    x, y, wx, wrec, activation = problem
    for check in gradient_check(wx, wrec, x, y, activation):
        assert check.verdict in (VERDICT_GOOD, VERDICT_SMALL), check


def test_central_differences_step_with_the_weights_size() -> None:
    # At wx = 1e16, wx + 1e-5 == wx: an absolute step gave 0 and called BPTT wrong.
    data = notebook()
    checks = gradient_check(1e16, 0.5, data.x, data.y, "relu")
    assert [c.verdict for c in checks] == [VERDICT_GOOD, VERDICT_GOOD]


@pytest.mark.filterwarnings("error")
def test_weights_near_overflow_cannot_be_checked_and_are_not_wrong() -> None:
    data = notebook()
    bound_overflows = gradient_check(0.5, 1e100, data.x, data.y, "tanh")
    assert [c.verdict for c in bound_overflows] == [VERDICT_UNBOUNDED] * 2
    loss_overflows = gradient_check(0.5, 1e200, data.x, data.y, "tanh")
    assert [c.verdict for c in loss_overflows] == [VERDICT_NOT_FINITE] * 2
    assert not any(c.wrong for c in (*bound_overflows, *loss_overflows))
