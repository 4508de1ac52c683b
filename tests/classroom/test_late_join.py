"""A late joiner resumes from the leader's exact point; the history behind it comes later."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from rnn_tui.classroom.history_fill import HistoryFill
from rnn_tui.classroom.messages import LessonState, PublishState
from rnn_tui.classroom.protocol import decode_client, encode_client
from rnn_tui.classroom.replay import StateRefused, exact_point, follow, timeline_of
from rnn_tui.engine import HISTORY_COLUMNS, PRESETS, Checkpoint, Config, HistoryMismatch, Trainer

START = "wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006,epochs=200000,optimizer=adam"


@pytest.fixture(autouse=True)
def late_join_from_300(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rnn_tui.classroom.replay.LATE_JOIN_EPOCHS", 300)


def state_of(leader: Trainer) -> LessonState:
    return LessonState(timeline_of(leader), leader.epoch, exact=exact_point(leader))


def same_history(follower: Trainer, leader: Trainer) -> bool:
    upto = leader.epoch + 1
    return all(
        np.array_equal(follower.history.column(n)[:upto], leader.history.column(n)[:upto])
        for n in HISTORY_COLUMNS
    )


def leader_at(epochs: int, change_at: int | None = None) -> Trainer:
    leader = Trainer(START)
    if change_at is not None:
        leader.step(change_at)
        leader.configure(Config.parse("lr_wx=0.05", leader.config))
    leader.goto(epochs)
    return leader


def test_far_behind_the_follower_resumes_and_close_behind_it_replays() -> None:
    leader = leader_at(1000, change_at=400)
    follower = follow(None, state_of(leader))
    assert follower.known_from == 1000 and follower.weights == leader.weights
    near = leader_at(200)
    replayed = follow(None, state_of(near))
    assert replayed.known_from == 0 and same_history(replayed, near)


def test_a_resumed_follower_keeps_following_a_running_leader_with_the_same_run() -> None:
    leader = leader_at(1000)
    follower = follow(None, state_of(leader))
    for _ in range(3):
        leader.step(100)
        assert follow(follower, state_of(leader)) is follower
    leader.configure(Config.parse("lr_wrec=0.001", leader.config))  # a change after joining
    leader.step(50)
    assert follow(follower, state_of(leader)) is follower
    assert follower.known_from == 1000
    fill = HistoryFill(follower)
    assert fill.wait(10)
    follower.fill_history(fill.result())
    assert follower.known_from == 0 and same_history(follower, leader)


def test_a_leader_far_ahead_of_a_follower_is_joined_afresh() -> None:
    leader = leader_at(100)
    follower = follow(None, state_of(leader))
    leader.step(5000)
    again = follow(follower, state_of(leader))
    assert again is not follower and again.known_from == leader.epoch


def test_a_rewind_before_the_resumed_epoch_resumes_there_when_the_history_is_long(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    leader = leader_at(1000)
    follower = follow(None, state_of(leader))
    leader.goto(900)  # before what is known: 900 epochs to compute, more than 300
    rewound = follow(follower, state_of(leader))
    assert rewound is not follower and rewound.known_from == 900
    monkeypatch.setattr("rnn_tui.classroom.replay.LATE_JOIN_EPOCHS", 5000)
    leader.goto(800)  # now cheap enough: the history is computed then
    assert follow(rewound, state_of(leader)) is rewound
    assert rewound.known_from == 0 and same_history(rewound, leader)


def test_without_the_exact_point_the_follower_replays() -> None:
    leader = leader_at(1000)
    follower = follow(None, dataclasses.replace(state_of(leader), exact=None))
    assert follower.known_from == 0 and same_history(follower, leader)
    resumed = follow(None, state_of(leader), resume=False)
    assert resumed.known_from == 0


def test_a_hostile_exact_point_is_refused_with_a_reason() -> None:
    state = state_of(leader_at(1000))
    assert state.exact is not None
    wrong = dataclasses.replace(state.exact, optimizer=(1.0,))
    with pytest.raises(StateRefused, match="exact state is refused here: the adam"):
        follow(None, dataclasses.replace(state, exact=wrong))
    huge = dataclasses.replace(state.exact, weights=(1e300, -1e300))
    with pytest.raises(StateRefused, match="infinite loss"):
        follow(None, dataclasses.replace(state, exact=huge))


def test_the_fill_thread_reports_a_run_that_cannot_reach_the_point() -> None:
    exploding = Trainer(PRESETS["exploding"])  # diverges after epoch 1
    lying = Checkpoint(exploding.timeline, 5000, (0.5, 0.5), (0.5, 0.5), ())
    follower = Trainer.resume(lying)  # the engine cannot tell until it computes
    fill = HistoryFill(follower)
    assert fill.wait(10)
    with pytest.raises(HistoryMismatch, match="stops at epoch 1"):
        fill.result()
    assert follower.known_from == 5000


def test_a_complete_history_needs_no_fill() -> None:
    with pytest.raises(ValueError, match="complete"):
        HistoryFill(leader_at(10))


def test_a_run_whose_optimizer_state_overflowed_travels_without_its_exact_point() -> None:
    """Adam's second moment overflows (inf) while the weights are still finite: JSON has no
    infinity (encoding it stopped the teacher's link writing, silencing the class), and no
    run resumes from it. The state goes without the point; a joiner replays, same numbers."""
    leader = Trainer(PRESETS["exploding"].config.replace(optimizer="gd"))
    leader.step(1)
    leader.configure(leader.config.replace(optimizer="adam", lr_wx=leader.config.lr_wx * 0.5))
    leader.step(1)
    assert math.isinf(leader.optimizer_state()[2]) and not leader.diverged
    state = state_of(leader)
    assert state.exact is None
    assert decode_client(encode_client(PublishState(state))) == PublishState(state)
    follower = follow(None, state)
    assert follower.known_from == 0 and same_history(follower, leader)
