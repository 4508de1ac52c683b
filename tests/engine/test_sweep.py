"""A learning-rate sweep equals the same runs made one at a time."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_tui.engine import PRESETS, Trainer
from rnn_tui.engine.sweep import sweep_learning_rates

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def test_each_run_of_a_sweep_is_the_trainers_run_bit_for_bit() -> None:
    config = PRESETS["seed-sigmoid"].config
    rates = np.array([0.0005, 0.001, 0.003])
    result = sweep_learning_rates(config, rates, rates, epochs=400)
    for i, lr in enumerate(rates):
        trainer = Trainer(config.replace(lr_wx=float(lr), lr_wrec=float(lr)))
        trainer.step(400)
        assert (result.wx[i], result.wrec[i]) == trainer.weights
        assert result.loss[i] == trainer.loss


def test_sweep_marks_the_runs_that_explode() -> None:
    config = PRESETS["seed-linear"].config
    rates = np.geomspace(1e-4, 1.0, 9)
    result = sweep_learning_rates(config, 0.02, rates, epochs=300)
    assert result.diverged_at.shape == (9,)
    assert (result.diverged_at[:4] == -1).all()  # small steps stay finite
    assert result.diverged_at[-1] > 0  # a large one blows up, and says when
    assert np.isinf(result.loss[-1])
    trainer = Trainer(config.replace(lr_wrec=float(rates[-1])))
    trainer.step(300)
    assert trainer.divergence is not None
    assert trainer.divergence.epoch == result.diverged_at[-1]
    assert (result.wx[-1], result.wrec[-1]) == trainer.weights
