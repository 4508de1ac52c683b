"""Update rules and clipping, checked against their textbook formulas."""

from __future__ import annotations

import math

import pytest

from rnn_tui.engine import Config, Trainer
from rnn_tui.engine.optimizers import Adam, Clip, GradientDescent, Momentum, Rprop


def test_gradient_descent_uses_one_rate_per_weight() -> None:
    rule = GradientDescent((0.1, 0.01))
    assert rule.step((1.0, 2.0), (3.0, -4.0), []) == (1.0 - 0.3, 2.0 + 0.04)


def test_momentum_accumulates_velocity() -> None:
    rule = Momentum((0.1, 0.1), momentum=0.5)
    state = rule.initial_state()
    w = rule.step((0.0, 0.0), (1.0, -1.0), state)
    assert w == (-0.1, 0.1) and state == [-0.1, 0.1]
    w = rule.step(w, (1.0, -1.0), state)
    assert w == pytest.approx((-0.25, 0.25))


def test_adam_first_step_moves_each_weight_by_its_learning_rate() -> None:
    rule = Adam((0.01, 0.02), beta1=0.9, beta2=0.999, eps=1e-8)
    state = rule.initial_state()
    w = rule.step((1.0, 1.0), (123.0, -0.001), state)
    # bias-corrected m/sqrt(v) is sign(g) on the first step, whatever |g|
    assert w == pytest.approx((0.99, 1.02), rel=1e-6)
    assert state[4] == 1.0


def test_rprop_grows_on_same_sign_and_shrinks_on_flip() -> None:
    rule = Rprop(eta_plus=1.2, eta_minus=0.5, step0=0.001)
    state = rule.initial_state()
    w = rule.step((0.0, 0.0), (2.0, -2.0), state)  # previous sign 0: shrink first (Roelants)
    assert state[:2] == [0.0005, 0.0005] and w == (-0.0005, 0.0005)
    w = rule.step(w, (5.0, 3.0), state)  # wx keeps its sign, wrec flips
    assert state[:2] == [0.0005 * 1.2, 0.0005 * 0.5]
    assert w == (-0.0005 - 0.0006, 0.0005 - 0.00025)


def test_clipping_by_value_and_by_norm() -> None:
    assert Clip("value", 1.0).apply(3.0, -0.5) == (1.0, -0.5)
    gx, gr = Clip("norm", 1.0).apply(3.0, 4.0)
    assert math.hypot(gx, gr) == pytest.approx(1.0) and gx / gr == pytest.approx(0.75)
    assert Clip("norm", 10.0).apply(3.0, 4.0) == (3.0, 4.0)
    assert Clip().apply(3.0, 4.0) == (3.0, 4.0)
    assert str(Clip("norm", 1.0)) == "norm:1.0"


@pytest.mark.parametrize(
    "text", ["optimizer=momentum,lr=0.001", "optimizer=adam,lr=0.01", "optimizer=rprop"]
)
def test_every_optimizer_trains_the_notebook_problem(text: str) -> None:
    trainer = Trainer(Config.parse(text + ",epochs=3000"))
    start = trainer.loss
    trainer.run_to_target()
    assert trainer.loss < start / 100


def test_clip_in_a_run_bounds_every_step() -> None:
    trainer = Trainer(Config.parse("clip=value:0.5,lr=0.01"))
    trainer.step(50)
    wx = trainer.history.column("wx")
    assert (abs(wx[1:] - wx[:-1]) <= 0.01 * 0.5 + 1e-15).all()
