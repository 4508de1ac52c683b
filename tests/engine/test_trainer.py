"""The trainer: exact rewind/replay, hyperparameter changes, divergence, history."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.engine import PRESETS, Config, Trainer
from rnn_tui.engine.trainer import CHECKPOINT_EVERY

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

STATEFUL = {
    "momentum": "optimizer=momentum,momentum=0.5,lr=0.001",
    "adam": "optimizer=adam,lr=0.01",
    "rprop": "optimizer=rprop",
}


def snapshot(trainer: Trainer) -> tuple:
    return (trainer.epoch, trainer.weights, trainer.loss, trainer.gradients)


@pytest.mark.parametrize("rule", ["gd", *STATEFUL])
def test_rewind_and_replay_are_bit_identical(rule: str) -> None:
    text = STATEFUL.get(rule, "")
    trainer = Trainer(Config.parse(text + ",epochs=5000"))
    trainer.step(3 * CHECKPOINT_EVERY + 17)
    seen = {e: snapshot(trainer) for e in [trainer.epoch]}
    for epoch in (0, 1, 5, CHECKPOINT_EVERY, 2 * CHECKPOINT_EVERY + 3):
        trainer.goto(epoch)
        seen[epoch] = snapshot(trainer)
    fresh = Trainer(Config.parse(text + ",epochs=5000"))
    for epoch in sorted(seen):
        fresh.goto(epoch)
        assert snapshot(fresh) == seen[epoch]
    # the optimizer state rebuilt from a checkpoint equals the one computed live
    for epoch in (CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY + 1, 2 * CHECKPOINT_EVERY + 3):
        live = Trainer(Config.parse(text))
        live.step(epoch)
        assert trainer.optimizer_state(epoch) == live.optimizer_state()


def test_stepping_after_rewind_walks_the_recorded_future() -> None:
    trainer = Trainer(PRESETS["seed-sigmoid"])
    trainer.step(300)
    final = snapshot(trainer)
    trainer.back(120)
    assert trainer.epoch == 180
    report = trainer.step(120)
    assert report.advanced == 120
    assert snapshot(trainer) == final
    trainer.step(5)
    assert trainer.epoch == trainer.head == 305


def test_back_stops_at_zero_and_goto_computes_forward() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    assert trainer.back(3).advanced == 0
    trainer.goto(42)
    assert trainer.epoch == trainer.head == 42
    with pytest.raises(ValueError):
        trainer.goto(-1)


def test_hyperparameter_change_continues_from_current_weights() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(100)
    trainer.back(40)
    weights = trainer.weights
    change = trainer.configure(trainer.config.replace(lr_wx=0.01))
    assert not change.restarted and change.keys == {"lr_wx"}
    assert "continuing" in change.describe()
    assert trainer.epoch == trainer.head == 60  # the old future is gone
    assert trainer.weights == weights
    trainer.step(1)
    wx, wrec = weights
    dwx, dwrec = trainer.history.row(60)[3:]
    assert trainer.weights == (wx - 0.01 * dwx, wrec - 0.0006 * dwrec)
    # rewinding before the change replays with the old learning rate, exactly
    reference = Trainer(PRESETS["seed-linear"])
    reference.step(30)
    trainer.goto(30)
    assert snapshot(trainer) == snapshot(reference)


def test_changing_the_target_epochs_keeps_history() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(50)
    change = trainer.configure(trainer.config.replace(epochs=60))
    assert not change.restarted
    assert trainer.head == 50
    trainer.run_to_target()
    assert trainer.epoch == 60


@pytest.mark.parametrize("key,value", [("wx", 0.3), ("activation", "tanh"), ("data", "roelants")])
def test_changes_to_the_start_restart_at_epoch_zero(key: str, value: object) -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(10)
    change = trainer.configure(trainer.config.replace(**{key: value}))
    assert change.restarted and "restarted" in change.describe()
    assert trainer.epoch == trainer.head == 0
    assert getattr(trainer.config, key) == value


def test_switching_optimizer_mid_run_starts_its_state_fresh() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(10)
    trainer.configure(trainer.config.replace(optimizer="adam", lr_wx=0.01, lr_wrec=0.01))
    assert trainer.optimizer_state() == [0.0] * 5
    trainer.step(10)
    assert trainer.epoch == 20


def test_divergence_stops_at_last_finite_epoch_and_explains() -> None:
    trainer = Trainer(PRESETS["exploding"])
    report = trainer.step(100)
    assert report.stopped == "diverged"
    assert trainer.diverged and trainer.divergence is not None
    assert np.isfinite(trainer.loss) and all(np.isfinite(trainer.weights))
    assert trainer.divergence.epoch == trainer.epoch + 1
    message = trainer.divergence.message
    assert "the last update took wrec from 1.25 to" in message
    assert "as δ_t grew 212-fold over 25 steps back" in message
    assert "clip=norm:1" in message
    # further steps do nothing; rewinding still works
    assert trainer.step(5).advanced == 0
    trainer.goto(0)
    assert not trainer.diverged
    # bounding the step cures it
    trainer.configure(trainer.config.replace(clip="norm:1"))
    trainer.run_to_target()
    assert not trainer.diverged and trainer.loss < 0.05


def test_history_grows_by_doubling_in_numpy_arrays() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(5000)
    loss = trainer.history.column("loss")
    assert isinstance(loss, np.ndarray) and loss.shape == (5001,)
    assert trainer.history.nbytes == 8192 * 5 * 8
    assert not loss.flags.writeable


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["step", "back", "goto", "lr"]), st.integers(0, 300)),
        max_size=25,
    )
)
def test_any_walk_agrees_with_a_straight_run(moves: list[tuple[str, int]]) -> None:
    """Whatever sequence of steps and rewinds, each epoch shows the numbers a
    straight run with the same learning rates would show."""
    trainer = Trainer(Config.parse("optimizer=momentum,momentum=0.8,lr=0.001"))
    for move, amount in moves:
        if move == "step":
            trainer.step(amount)
        elif move == "back":
            trainer.back(amount)
        elif move == "goto":
            trainer.goto(amount)
        else:
            trainer.configure(trainer.config.replace(lr_wx=0.001 + amount * 1e-6))
    epoch = trainer.epoch
    replay = Trainer(Config.parse("optimizer=momentum,momentum=0.8,lr=0.001"))
    # rebuild by applying the recorded segments in order
    for start, config in trainer.timeline:
        if start > epoch:
            break
        replay.goto(start)
        replay.configure(config)
    replay.goto(epoch)
    assert snapshot(replay) == snapshot(trainer)


def test_vanishing_run_is_stalled_not_converged() -> None:
    # Its gradient falls below 1e-9 at loss 3.09: at rest, but the data are not fitted.
    trainer = Trainer(PRESETS["vanishing"])
    trainer.run_to_target()
    assert trainer.loss == pytest.approx(3.0868, abs=1e-4)
    assert trainer.stalled and not trainer.converged


def test_fitted_notebook_run_is_converged_not_stalled() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.goto(10)
    assert not trainer.converged and not trainer.stalled  # still moving
    trainer.run_to_target()
    assert trainer.converged and not trainer.stalled


def test_weights_that_no_longer_move_are_stalled() -> None:
    trainer = Trainer(PRESETS["seed-linear"].config.replace(lr_wx=0.0, lr_wrec=0.0))
    assert not trainer.stalled  # nothing to compare with at epoch 0
    trainer.step(1)
    assert trainer.stalled and not trainer.converged


def test_divergence_message_names_no_keys() -> None:
    trainer = Trainer(PRESETS["exploding"])
    trainer.run_to_target()
    assert trainer.divergence is not None
    assert trainer.divergence.message.endswith("clip (clip=norm:1) or use rprop.")
    assert "←" not in trainer.divergence.message


def _history(trainer: Trainer) -> np.ndarray:
    return np.array([trainer.history.row(e) for e in range(trainer.epoch + 1)])


def _replayed(trainer: Trainer) -> Trainer:
    """The run its timeline alone gives (a saved session, a class follower)."""
    (_, first), *later = trainer.timeline
    again = Trainer(first)
    for epoch, config in later:
        again.goto(epoch)
        again.configure(config)
    again.goto(trainer.epoch)
    return again


def test_a_rule_changed_and_changed_back_at_one_epoch_counts_once() -> None:
    momentum = Config.parse("optimizer=momentum,momentum=0.9,lr_wx=0.02,lr_wrec=0.0006")
    straight = Trainer(momentum)
    straight.step(50)
    trainer = Trainer(momentum)
    trainer.step(30)
    trainer.configure(momentum.replace(optimizer="adam"))
    trainer.configure(momentum)  # back before a step: as if untouched
    trainer.step(20)
    assert trainer.timeline == ((0, momentum),)
    assert np.array_equal(_history(trainer), _history(straight))


@pytest.mark.parametrize(
    "second", ["optimizer=momentum,lr_wx=0.05", "optimizer=adam", "optimizer=momentum,epochs=99"]
)
def test_two_changes_at_one_epoch_replay_from_the_timeline_alone(second: str) -> None:
    momentum = Config.parse("optimizer=momentum,momentum=0.9,lr_wx=0.02,lr_wrec=0.0006")
    trainer = Trainer(momentum)
    trainer.step(1500)  # past a checkpoint
    trainer.configure(Config.parse("optimizer=adam", momentum))
    trainer.configure(Config.parse(second, momentum))
    trainer.step(40)
    trainer.goto(1480)
    trainer.configure(Config.parse("lr_wrec=0.001", trainer.config))  # rewound, not at head
    trainer.step(60)
    again = _replayed(trainer)
    assert again.timeline == trainer.timeline
    assert np.array_equal(_history(again), _history(trainer))
    assert again.optimizer_state() == trainer.optimizer_state()
