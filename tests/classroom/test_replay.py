"""Followers rebuild the leader's run from its timeline: bit-identical, checked, incremental."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_tui.classroom.replay import StateRefused, replay, timeline_of
from rnn_tui.engine import HISTORY_COLUMNS, Config, Trainer, set_run_limits

START = "wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006,epochs=200"
FASTER = START.replace("lr_wx=0.02", "lr_wx=0.1")


def assert_same_run(follower: Trainer, leader: Trainer) -> None:
    """Every number of the history up to the leader's cursor, bit for bit, and the cursor."""
    assert follower.epoch == leader.epoch
    assert follower.timeline == leader.timeline
    for name in HISTORY_COLUMNS:
        ours = follower.history.column(name)[: leader.epoch + 1]
        theirs = leader.history.column(name)[: leader.epoch + 1]
        assert np.array_equal(ours, theirs), name
    assert follower.optimizer_state() == leader.optimizer_state()


def follow(follower: Trainer | None, leader: Trainer) -> Trainer:
    return replay(follower, timeline_of(leader), leader.epoch)


def test_a_late_joiner_lands_on_the_leaders_epoch_with_its_numbers() -> None:
    leader = Trainer(START)
    leader.step(40)
    leader.configure(Config.parse("lr_wx=0.1", leader.config))
    leader.step(25)
    leader.configure(Config.parse("optimizer=adam", leader.config))
    leader.step(30)
    leader.goto(50)
    assert_same_run(follow(None, leader), leader)


def test_following_a_running_leader_reuses_the_run_and_computes_only_whats_new() -> None:
    leader = Trainer(START)
    follower = follow(None, leader)
    for _ in range(5):
        leader.step(7)
        again = follow(follower, leader)
        assert again is follower
        assert_same_run(follower, leader)
    leader.configure(Config.parse("lr_wrec=0.002", leader.config))  # mid-run change
    leader.step(3)
    assert follow(follower, leader) is follower
    assert_same_run(follower, leader)
    leader.configure(Config.parse("epochs=999", leader.config))  # changes the last segment
    assert follow(follower, leader) is follower
    assert follower.config.epochs == 999


def test_a_rewind_and_a_change_in_the_past_replace_the_old_future() -> None:
    leader = Trainer(START)
    leader.step(60)
    leader.configure(Config.parse("lr_wx=0.05", leader.config))
    leader.step(20)
    follower = follow(None, leader)
    leader.goto(30)
    leader.configure(Config.parse("momentum=0.9,optimizer=momentum", leader.config))
    leader.step(5)
    follower = follow(follower, leader)
    assert_same_run(follower, leader)


def test_a_new_start_rebuilds_the_run() -> None:
    leader = Trainer(START)
    leader.step(10)
    follower = follow(None, leader)
    leader.configure(Config.parse("seed=3,data=random:8x4", leader.config))  # restarts
    leader.step(4)
    rebuilt = follow(follower, leader)
    assert rebuilt is not follower
    assert_same_run(rebuilt, leader)


BAD_TIMELINES = {
    "unknown key": (((0, "wx=0.2,bogus=1"),), "unknown key"),
    "starts later": (((5, START),), "does not start at epoch 0"),
    "out of order": (((0, START), (10, FASTER), (10, START)), "epoch order"),
    "restart mid-run": (((0, START), (10, START + ",seed=4")), "mid-run change of seed"),
    "no-op change": (((0, START), (10, START)), "changes nothing"),
    "data file": (((0, "data=/etc/passwd"),), "refused here"),
    "empty": ((), "no config"),
}


@pytest.mark.parametrize(("timeline", "message"), BAD_TIMELINES.values(), ids=BAD_TIMELINES.keys())
def test_a_timeline_no_run_could_have_is_refused(
    timeline: tuple[tuple[int, str], ...], message: str
) -> None:
    with pytest.raises(StateRefused, match=message):
        replay(None, timeline, 0)


LIMIT = 50_000


@pytest.fixture
def served() -> Iterator[None]:
    set_run_limits(max_epochs=LIMIT, max_cells=500)  # the default config has 50 000 epochs
    try:
        yield
    finally:
        set_run_limits(None, None)


def test_configs_are_checked_with_this_apps_limits(served: None) -> None:
    with pytest.raises(StateRefused, match="at most 50,000 epochs"):
        replay(None, ((0, "epochs=50001"),), 0)
    with pytest.raises(StateRefused, match="epoch limit"):
        replay(None, ((0, "data=random:4x3"),), LIMIT + 1)
    with pytest.raises(StateRefused, match=r"N×T is at most 500"):
        replay(None, ((0, "data=random:100x10"),), 0)


def test_an_epoch_past_a_divergence_is_refused() -> None:
    leader = Trainer("wx=1,wrec=3,lr_wx=0.5,lr_wrec=0.5,epochs=500")
    leader.step(500)
    assert leader.divergence is not None
    with pytest.raises(StateRefused, match="diverged"):
        replay(None, timeline_of(leader), leader.head + 5)
    assert_same_run(follow(None, leader), leader)


MOVES = st.one_of(
    st.tuples(st.just("step"), st.integers(1, 40)),
    st.tuples(st.just("goto"), st.integers(0, 120)),
    st.tuples(st.just("lr"), st.sampled_from(["0.01", "0.05", "0.001"])),
    st.tuples(st.just("optimizer"), st.sampled_from(["gd", "momentum", "adam", "rprop"])),
    st.tuples(st.just("epochs"), st.integers(10, 500)),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(MOVES, min_size=1, max_size=12))
def test_any_sequence_of_the_leaders_moves_is_followed_exactly(
    moves: list[tuple[str, object]],
) -> None:
    leader = Trainer(START)
    follower = follow(None, leader)
    for move, value in moves:
        if move == "step":
            leader.step(int(str(value)))
        elif move == "goto":
            leader.goto(min(int(str(value)), leader.head))
        else:
            key = "lr_wx" if move == "lr" else move
            leader.configure(Config.parse(f"{key}={value}", leader.config))
        follower = follow(follower, leader)
        assert_same_run(follower, leader)
