"""A run resumed from a checkpoint at epoch E continues bit for bit as the run from 0 does;
its earlier history, computed later, must reach the checkpoint exactly."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.engine import (
    HISTORY_COLUMNS,
    OPTIMIZER_NAMES,
    PRESETS,
    Checkpoint,
    CheckpointError,
    Config,
    HistoryMismatch,
    Trainer,
    set_run_limits,
    trained_along,
)

CLIPS = ("none", "value:0.5", "norm:1")


def rows(trainer: Trainer, start: int, stop: int) -> np.ndarray:
    return np.stack([trainer.history.column(n)[start:stop] for n in HISTORY_COLUMNS])


def assert_continues_alike(resumed: Trainer, leader: Trainer, k: int) -> None:
    """Both step ``k`` epochs from the same epoch: every number equal, bit for bit."""
    start = leader.epoch
    assert resumed.epoch == start
    resumed.step(k)
    leader.step(k)
    assert resumed.epoch == leader.epoch
    assert rows(resumed, start, leader.epoch + 1).tobytes() == (
        rows(leader, start, leader.epoch + 1).tobytes()
    )
    assert resumed.optimizer_state() == leader.optimizer_state()
    assert (resumed.at_rest, resumed.converged) == (leader.at_rest, leader.converged)


@settings(max_examples=80, deadline=None)
@given(
    preset=st.sampled_from(sorted(PRESETS)),
    optimizer=st.sampled_from(OPTIMIZER_NAMES),
    clip=st.sampled_from(CLIPS),
    before=st.integers(1, 60),
    change=st.one_of(st.none(), st.sampled_from(OPTIMIZER_NAMES)),
    after=st.integers(0, 40),
    k=st.integers(1, 40),
)
def test_a_resumed_run_steps_on_bit_identical_to_the_run_from_zero(
    preset: str,
    optimizer: str,
    clip: str,
    before: int,
    change: str | None,
    after: int,
    k: int,
) -> None:
    leader = Trainer(PRESETS[preset].config.replace(optimizer=optimizer, clip=clip))
    leader.step(before)
    if change is not None:  # a mid-run change of rule (or of a rate: same optimizer)
        rule = leader.config.replace(optimizer=change, lr_wx=leader.config.lr_wx * 0.5)
        leader.configure(rule)
    leader.step(after)
    checkpoint = leader.checkpoint()
    if not all(math.isfinite(number) for number in checkpoint.state):
        # Adam's second moment overflows before the weights do: no run resumes from
        # infinity (a late joiner replays such a run instead; see test_late_join).
        with pytest.raises(CheckpointError, match="optimizer's state"):
            Trainer.resume(checkpoint)
        return
    resumed = Trainer.resume(checkpoint)
    assert resumed.known_from == leader.epoch
    assert resumed.weights == leader.weights and resumed.loss == leader.loss
    assert resumed.timeline == leader.timeline
    assert_continues_alike(resumed, leader, k)
    resumed.fill_history(trained_along(checkpoint))
    assert resumed.known_from == 0
    assert (
        rows(resumed, 0, leader.epoch + 1).tobytes() == rows(leader, 0, leader.epoch + 1).tobytes()
    )


def test_the_checkpoint_of_a_rewound_run_is_its_cursor() -> None:
    leader = Trainer(PRESETS["roelants-rprop"])
    leader.step(300)
    leader.goto(123)
    resumed = Trainer.resume(leader.checkpoint())
    assert_continues_alike(resumed, leader, 50)


def test_a_change_after_resuming_is_the_same_change_as_on_the_run_from_zero() -> None:
    leader = Trainer(PRESETS["seed-sigmoid"].config.replace(optimizer="adam"))
    leader.step(200)
    resumed = Trainer.resume(leader.checkpoint())
    for trainer in (leader, resumed):  # at the resumed epoch, then a second change there
        trainer.configure(trainer.config.replace(lr_wx=0.01))
        trainer.configure(trainer.config.replace(optimizer="momentum"))
        trainer.step(30)
    assert_continues_alike(resumed, leader, 10)
    assert resumed.timeline == leader.timeline


def test_rewinding_before_the_resumed_epoch_computes_the_history_then() -> None:
    leader = Trainer(PRESETS["seed-linear"].config.replace(optimizer="momentum"))
    leader.step(2500)
    resumed = Trainer.resume(leader.checkpoint())
    assert math.isnan(resumed.history.column("loss")[0])  # unknown until computed
    resumed.goto(10)
    assert resumed.known_from == 0
    assert rows(resumed, 0, 2501).tobytes() == rows(leader, 0, 2501).tobytes()
    assert resumed.optimizer_state(1500) == leader.optimizer_state(1500)


def test_a_history_that_does_not_reach_the_checkpoint_is_refused() -> None:
    leader = Trainer(PRESETS["seed-sigmoid"])
    leader.step(100)
    checkpoint = leader.checkpoint()
    wx, wrec = checkpoint.weights
    lying = dataclasses.replace(checkpoint, weights=(math.nextafter(wx, 1.0), wrec))
    resumed = Trainer.resume(lying)
    with pytest.raises(HistoryMismatch, match="epoch 100"):
        resumed.fill_history(trained_along(checkpoint))
    assert resumed.known_from == 100  # nothing taken
    shorter = Trainer(PRESETS["seed-sigmoid"])
    shorter.step(50)
    with pytest.raises(HistoryMismatch, match="stops before"):
        Trainer.resume(checkpoint).fill_history(shorter)


def _checkpoint() -> Checkpoint:
    leader = Trainer(PRESETS["seed-sigmoid"].config.replace(optimizer="adam"))
    leader.step(20)
    return leader.checkpoint()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"weights": (math.nan, 1.0)}, "weights must be two finite"),
        ({"weights": (1.0,)}, "weights must be two finite"),
        ({"previous": (math.inf, 1.0)}, "previous weights must be two finite"),
        ({"previous": None}, "previous weights are given exactly"),
        ({"state": (0.0, 0.0)}, "adam optimizer's state is 5"),
        ({"state": (0.0,) * 10**6}, "adam optimizer's state is 5"),
        ({"state": (0.0, 0.0, math.nan, 0.0, 1.0)}, "adam optimizer's state is 5"),
        ({"epoch": 10**13}, "epoch must be a whole number"),
        ({"epoch": 5}, "the timeline goes past"),
        ({"weights": (1e300, 1e300)}, "infinite loss"),
    ],
)
def test_a_hostile_checkpoint_is_refused_with_a_reason(
    change: dict[str, object], reason: str
) -> None:
    checkpoint = _checkpoint()
    if change.get("epoch") == 5:
        later = checkpoint.config.replace(lr_wx=0.5)
        change = {"epoch": 5, "timeline": (*checkpoint.timeline, (10, later))}
    with pytest.raises(CheckpointError, match=reason):
        Trainer.resume(dataclasses.replace(checkpoint, **change))  # type: ignore[arg-type]


def test_a_timeline_no_run_could_have_is_refused() -> None:
    checkpoint = _checkpoint()
    first = checkpoint.timeline[0][1]
    for timeline, reason in [
        ((), "start at epoch 0"),
        (((3, first),), "start at epoch 0"),
        (((0, first), (0, first.replace(lr_wx=0.1))), "not in epoch order"),
        (((0, first), (4, first.replace(activation="tanh"))), "not one a run can make"),
        (((0, first), (4, first.replace(epochs=7))), "not one a run can make"),
    ]:
        with pytest.raises(CheckpointError, match=reason):
            Trainer.resume(dataclasses.replace(checkpoint, timeline=timeline))


def test_a_checkpoint_beyond_the_served_epoch_limit_is_refused() -> None:
    checkpoint = _checkpoint()
    set_run_limits(10, None)
    try:
        with pytest.raises(CheckpointError, match="epoch limit"):
            Trainer.resume(checkpoint)
    finally:
        set_run_limits(None, None)


def test_resuming_at_epoch_zero_is_a_fresh_run() -> None:
    trainer = Trainer.resume(Trainer(Config.parse("optimizer=rprop")).checkpoint())
    assert trainer.known_from == 0 and trainer.epoch == 0
