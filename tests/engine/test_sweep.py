"""A learning-rate sweep equals the same runs made one at a time by a Trainer."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_tui.engine import PRESETS, Config, ConfigError, Trainer
from rnn_tui.engine.sweep import SweepResult, sweep_learning_rates

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _assert_runs_equal_trainers(config: Config, result: SweepResult, epochs: int) -> None:
    for i in range(len(result.lr_wx)):
        trainer = Trainer(
            config.replace(lr_wx=float(result.lr_wx[i]), lr_wrec=float(result.lr_wrec[i]))
        )
        trainer.step(epochs)
        assert (result.wx[i], result.wrec[i]) == trainer.weights, i
        if trainer.divergence is None:
            assert result.diverged_at[i] == -1 and result.loss[i] == trainer.loss
        else:
            assert result.diverged_at[i] == trainer.divergence.epoch and np.isinf(result.loss[i])


def test_each_run_of_a_sweep_is_the_trainers_run_bit_for_bit() -> None:
    config = PRESETS["seed-sigmoid"].config
    rates = np.array([0.0005, 0.001, 0.003])
    result = sweep_learning_rates(config, rates, rates, epochs=400)
    _assert_runs_equal_trainers(config, result, 400)


@pytest.mark.parametrize("preset", ["exploding", "seed-linear"])
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("clip", ["none", "value:0.5", "norm:1"])
def test_the_sweep_uses_the_trainers_optimizer_and_clipping(
    preset: str, optimizer: str, clip: str
) -> None:
    config = PRESETS[preset].config.replace(optimizer=optimizer, clip=clip)
    rates = np.geomspace(1e-4, 1.0, 7)  # converging, oscillating and exploding runs
    result = sweep_learning_rates(config, rates, rates[::-1], epochs=150)
    _assert_runs_equal_trainers(config, result, 150)


def test_clipping_keeps_the_exploding_run_finite_as_train_does() -> None:
    # rnn-tui sweep --preset exploding --config clip=norm:1 --values 0.001:0.001:1 --epochs 500
    # said "diverged at epoch 2": the sweep dropped the clipping that `train` applies.
    config = PRESETS["exploding"].config.replace(clip="norm:1")
    result = sweep_learning_rates(config, 0.001, 0.001, epochs=500)
    assert result.diverged_at[0] == -1
    assert round(float(result.loss[0]), 4) == 0.0172


def test_sweep_marks_the_runs_that_explode() -> None:
    config = PRESETS["seed-linear"].config
    rates = np.geomspace(1e-4, 1.0, 9)
    result = sweep_learning_rates(config, 0.02, rates, epochs=300)
    assert result.diverged_at.shape == (9,)
    assert (result.diverged_at[:4] == -1).all()  # small steps stay finite
    assert result.diverged_at[-1] > 0  # a large one blows up, and says when
    _assert_runs_equal_trainers(config, result, 300)


def test_rprop_has_no_learning_rate_to_sweep() -> None:
    with pytest.raises(ConfigError, match="optimizer: rprop has no learning rate"):
        sweep_learning_rates(PRESETS["roelants-rprop"].config, [0.1, 0.2], 0.1, epochs=5)
