"""The UI's pure helpers: number formatting, pacing, downsampling, session files."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rnn_tui.engine import PRESETS, Config, StepReport, Trainer
from rnn_tui.ui.charts.downsample import envelope, epoch_ticks
from rnn_tui.ui.formatting import fmt, magnitude_level
from rnn_tui.ui.runner import FRAME_BUDGET_SECONDS, FRAME_SECONDS, Mode, Runner
from rnn_tui.ui.session import Session, SessionError, history_csv, write_atomic

# -- formatting -------------------------------------------------------------------


@given(
    st.floats(min_value=-1e99, max_value=1e99).filter(lambda v: v == 0 or abs(v) > 1e-99)
    | st.sampled_from([math.nan, math.inf]),
    st.integers(8, 14),
)
def test_fmt_always_fits_its_width_and_reads_back(value: float, width: int) -> None:
    text = fmt(value, width)
    assert len(text) == width
    if math.isfinite(value):
        shown = float(text)
        assert shown == value or math.isclose(
            shown, value, rel_tol=0.05
        )  # two significant digits at worst


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.2, "+0.20000000"),
        (-0.0001234, "-0.00012340"),
        (1e-12, "+1.0000e-12"),
        (0.0, "          0"),
    ],
)
def test_fmt_examples(value: float, text: str) -> None:
    assert fmt(value, 11) == text


def test_magnitude_levels_by_decade() -> None:
    assert [magnitude_level(v, 1.0) for v in (1.0, 0.05, 0.001, 1e-6, 0.0)] == [3, 2, 1, 0, 0]
    assert magnitude_level(float("inf"), 1.0) == 3


# -- runner -----------------------------------------------------------------------


class FakeClock:
    def __init__(self, per_call: float = 0.0) -> None:
        self.now = 0.0
        self.per_call = per_call

    def __call__(self) -> float:
        self.now += self.per_call
        return self.now


def test_free_run_stops_at_the_configured_epochs() -> None:
    trainer = Trainer(Config.parse("epochs=120"))
    runner = Runner(FakeClock())
    runner.start(trainer)
    finished = None
    for _ in range(10):
        finished = runner.advance(trainer).finished or finished
    assert trainer.epoch == 120
    assert finished == "goal" and runner.mode is Mode.PAUSED


def test_slow_speeds_step_once_every_few_frames() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    runner = Runner(FakeClock())
    runner.speed_index = 1  # 1/8 per frame
    runner.start(trainer)
    for _ in range(16):
        runner.advance(trainer)
    assert trainer.epoch == 2


def test_a_frame_never_computes_past_its_time_budget() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    runner = Runner(FakeClock(per_call=FRAME_BUDGET_SECONDS / 2))
    runner.seek(50_000, trainer)
    runner.advance(trainer)
    assert 0 < trainer.epoch < 50_000  # the budget cut the frame short


class FramesClock(FakeClock):
    """The wall clock of a run whose frames each draw for ``drawing`` seconds after
    computing; the next frame starts at the next tick of the 30/s timer (Textual's
    timer skips the ticks a frame overran)."""

    def __init__(self, drawing: float) -> None:
        super().__init__()
        self.drawing = drawing

    def draw(self, runner: Runner) -> None:
        self.now += self.drawing
        runner.drawn()  # as the app says once the frame is on screen

    def next_frame(self) -> None:
        self.now = math.ceil(self.now / FRAME_SECONDS - 1e-9) * FRAME_SECONDS


class TimedTrainer:
    """Stands in for a Trainer: each epoch costs 10 µs of the fake clock."""

    def __init__(self, clock: FramesClock) -> None:
        self.clock, self.epoch = clock, 0

    def step(self, epochs: int) -> StepReport:
        self.clock.now += 1e-5 * epochs
        self.epoch += epochs
        return StepReport(epochs)


def frames_per_second(drawing: float, frames: int = 300) -> tuple[float, float, Runner]:
    """(frames/s, compute seconds/s) over the last 100 of ``frames`` frames, flat out."""
    clock = FramesClock(drawing)
    trainer: Any = TimedTrainer(clock)
    runner = Runner(clock)
    runner.seek(10**9, trainer)
    for frame in range(frames):
        if frame == frames - 100:
            start, epoch = clock.now, trainer.epoch
        runner.advance(trainer)
        clock.draw(runner)
        clock.next_frame()
    seconds = clock.now - start
    return 100 / seconds, 1e-5 * (trainer.epoch - epoch) / seconds, runner


@pytest.mark.parametrize("drawing", [0.008, 0.015, 0.022, 0.027])
def test_the_compute_budget_leaves_room_to_draw_thirty_frames_a_second(drawing: float) -> None:
    fps, _, runner = frames_per_second(drawing)
    assert fps == pytest.approx(30)  # a fixed 18 ms budget gives 15 frames/s from 16 ms on
    assert runner.budget <= FRAME_SECONDS - drawing


@pytest.mark.parametrize(("drawing", "ticks"), [(0.04, 2), (0.05, 2), (0.08, 3)])
def test_drawing_that_overruns_a_frame_fills_the_ticks_it_leaves(
    drawing: float, ticks: int
) -> None:
    fps, computing, _ = frames_per_second(drawing)
    assert fps == pytest.approx(30 / ticks)  # never a tick more than drawing needs
    assert computing > 0.12  # 18 ms every third tick as before: 10 frames/s, 0.18 s/s at 50 ms


def test_cheap_drawing_leaves_the_whole_budget_to_compute() -> None:
    fps, _, runner = frames_per_second(0.002)
    assert fps == pytest.approx(30)
    assert runner.budget == FRAME_BUDGET_SECONDS


def test_the_budget_allows_for_each_frame_as_it_draws() -> None:
    """The charts plot on one frame in three: those frames compute less, the others
    no less for them, and none comes late."""
    clock = FramesClock(0.0)
    trainer: Any = TimedTrainer(clock)
    runner = Runner(clock)
    runner.seek(10**9, trainer)
    late, budgets = 0, {True: set(), False: set()}
    for frame in range(90):
        began = clock.now
        plots = frame % 3 == 0
        clock.drawing = 0.020 if plots else 0.005
        if frame >= 6:  # once drawings are known
            budgets[plots].add(round(runner.budget, 4))
        runner.advance(trainer)
        clock.draw(runner)
        late += frame >= 6 and clock.now - began > FRAME_SECONDS
        clock.next_frame()
    assert not late
    # the frames that do not plot keep their whole budget
    assert budgets == {True: {round(FRAME_SECONDS - 0.024, 4)}, False: {FRAME_BUDGET_SECONDS}}


def test_seek_paces_a_long_run_over_a_couple_of_seconds() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    runner = Runner(FakeClock())
    runner.seek(6_000, trainer)
    frames = 0
    while runner.active:
        runner.advance(trainer)
        frames += 1
    assert trainer.epoch == 6_000
    assert 50 <= frames <= 70


def test_divergence_ends_the_run() -> None:
    trainer = Trainer(PRESETS["exploding"])
    runner = Runner(FakeClock())
    runner.seek(200, trainer)
    frame = runner.advance(trainer)
    assert frame.finished == "diverged"
    assert not runner.active and trainer.diverged


# -- downsampling -----------------------------------------------------------------


@given(st.integers(1, 5000), st.integers(1, 200))
def test_envelope_is_bounded_and_keeps_the_extremes(count: int, buckets: int) -> None:
    values = np.sin(np.arange(count) * 0.37) * np.arange(count)
    xs, ys = envelope(values, buckets)
    assert len(xs) == len(ys) <= max(2 * buckets + 2, count if count <= 2 * buckets else 0)
    assert ys.max() == values.max() and ys.min() == values.min()
    assert xs.min() >= 0 and xs.max() <= count - 1


def test_epoch_ticks_are_whole_and_short() -> None:
    ticks, labels = epoch_ticks(50_000)
    assert ticks[0] == 0 and ticks[-1] <= 50_000
    assert all(t == int(t) for t in ticks)
    assert "50k" in labels or "40k" in labels
    assert epoch_ticks(3)[0] == [0, 1, 2, 3]


# -- sessions ---------------------------------------------------------------------


def test_a_session_replays_mid_run_changes_exactly() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(30)
    trainer.configure(trainer.config.replace(lr_wx=0.05))
    trainer.step(20)
    trainer.back(5)
    session = Session.from_json(Session.of(trainer, "seed-linear", 2).to_json())
    assert [epoch for epoch, _ in session.timeline] == [0, 30]
    rebuilt = session.build()
    assert rebuilt.epoch == trainer.epoch == 45
    assert rebuilt.weights == trainer.weights
    assert rebuilt.timeline == trainer.timeline
    assert session.sample == 2 and session.preset == "seed-linear"


def test_a_change_after_rewinding_drops_the_changes_it_cut() -> None:
    trainer = Trainer(Config())
    trainer.step(100)
    trainer.configure(trainer.config.replace(lr_wx=0.05))
    trainer.goto(50)
    trainer.configure(trainer.config.replace(lr_wx=0.01))
    trainer.configure(trainer.config.replace(epochs=10))  # no new stretch: same numbers
    session = Session.of(trainer)
    assert [epoch for epoch, _ in session.timeline] == [0, 50]
    assert Config.parse(session.timeline[-1][1]).epochs == 10


def test_a_version_1_session_file_still_opens() -> None:
    version_1 = {
        "format": "rnn-tui-session",
        "version": 1,
        "config": "wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006",
        "epoch": 7,
        "changes": [{"epoch": 4, "config": "wx=0.2,wrec=1.5,lr_wx=0.05,lr_wrec=0.0006"}],
        "preset": "seed-linear",
        "sample": 1,
    }
    rebuilt = Session.from_json(json.dumps(version_1)).build()
    reference = Trainer(PRESETS["seed-linear"])
    reference.step(4)
    reference.configure(reference.config.replace(lr_wx=0.05))
    reference.step(3)
    assert rebuilt.epoch == 7 and rebuilt.weights == reference.weights


@pytest.mark.parametrize(
    "text",
    ["", "[]", '{"format": "other"}', '{"format": "rnn-tui-session", "epoch": 1}',
     '{"format": "rnn-tui-session", "config": "wx=1", "epoch": -3}',
     '{"format": "rnn-tui-session", "config": "wx=1", "epoch": 100000000000}',
     '{"format": "rnn-tui-session", "config": "wx=1", "epoch": true}',
     '{"format": "rnn-tui-session", "config": 5, "epoch": 1}',
     '{"format": "rnn-tui-session", "timeline": [], "epoch": 1}',
     '{"format": "rnn-tui-session", "timeline": [{"epoch": 3, "config": ""}], "epoch": 1}',
     '{"format": "rnn-tui-session", "epoch": 1, "timeline": '
     '[{"epoch": 0, "config": ""}, {"epoch": 9, "config": ""}, {"epoch": 2, "config": ""}]}',
     "[" * 100_000],
)  # fmt: skip
def test_bad_session_files_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(SessionError):
        Session.from_json(text)


def test_a_session_with_a_bad_config_is_refused() -> None:
    with pytest.raises(SessionError, match="bad config"):
        Session(((0, "lr_wx=-4"),), 0).build()


def test_write_atomic_replaces_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_history_csv_has_every_epoch_exactly() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(10)
    rows = history_csv(trainer).splitlines()
    assert len(rows) == 12
    assert float(rows[-1].split(",")[3]) == trainer.history.column("loss")[10]
