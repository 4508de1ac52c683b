"""Class mode in the app, without Textual: follow, explore, push, publish (milliseconds).

A fake link stands in for the channel (the link and the hub have their own tests);
the teacher and the students are real run controllers.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import pytest

from rnn_tui.classroom.client import News
from rnn_tui.classroom.protocol import (
    ClassSnapshot,
    LessonState,
    Role,
    RosterEntry,
    StudentStatus,
)
from rnn_tui.engine import (
    HISTORY_COLUMNS,
    PRESETS,
    Checkpoint,
    Config,
    Trainer,
    trained_along,
)
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.charts.plots import CostChart, WeightsChart
from rnn_tui.ui.class_mode import ClassMode
from rnn_tui.ui.class_state import (
    apply_state,
    lesson_state,
    shareable,
    state_word,
    with_exact_point,
)
from rnn_tui.ui.controller import RunController
from rnn_tui.ui.runner import Runner
from rnn_tui.ui.status.line import status_line
from rnn_tui.ui.summary import status_facts

from .conftest import driving

NO_CLASS = ClassSnapshot(0, False, False, 0, None, None, 0, None)


def controller(preset: str = "seed-linear") -> RunController:
    return RunController(PRESETS[preset].config, preset, runner=Runner(lambda: 0.0))


@dataclass
class FakeLink:
    """The hub's side as a link would see it: set ``snapshot``, read what was published."""

    role: Role | None = "student"
    name: str | None = "alice"
    goodbye: str | None = None
    class_: ClassSnapshot = NO_CLASS
    students: tuple[RosterEntry, ...] = ()
    closed: bool = False
    states: list[LessonState] = field(default_factory=list)
    statuses: list[StudentStatus] = field(default_factory=list)
    actions: list[tuple[str, object]] = field(default_factory=list)
    _seen: ClassSnapshot = NO_CLASS
    _closed_told: bool = False

    @property
    def spotlighted(self) -> bool:
        return self.class_.spotlight is not None and self.class_.spotlight == self.name

    def snapshot(self) -> ClassSnapshot | None:
        return self.class_

    def roster(self) -> tuple[RosterEntry, ...]:
        return self.students

    def take_news(self) -> News:
        seen, self._seen = self._seen, self.class_
        closed, self._closed_told = self.closed and not self._closed_told, self.closed
        return News(
            class_changed=self.class_.version != seen.version,
            state_changed=self.class_.state_version != seen.state_version,
            pushed=self.class_.pushes > seen.pushes,
            closed=closed,
        )

    def publish_state(self, state: LessonState) -> None:
        self.states.append(state)

    def publish_status(self, status: StudentStatus) -> None:
        self.statuses.append(status)

    def push(self) -> None:
        self.actions.append(("push", None))

    def spotlight(self, name: str | None) -> None:
        self.actions.append(("spotlight", name))

    def pause_class(self, on: bool) -> None:
        self.actions.append(("pause", on))

    # -- the hub's doing ---------------------------------------------------------------

    def lead(self, state: LessonState, source: str = "teacher", **changes: object) -> None:
        old = self.class_
        self.class_ = replace(
            old,
            version=old.version + 1,
            teacher=True,
            source=source,
            state=state,
            state_version=old.state_version + 1,
            **changes,  # type: ignore[arg-type]
        )

    def change(self, **changes: object) -> None:
        self.class_ = replace(self.class_, version=self.class_.version + 1, **changes)  # type: ignore[arg-type]


def assert_same_numbers(follower: RunController, leader: RunController) -> None:
    a, b = follower.trainer, leader.trainer
    assert a.epoch == b.epoch and a.timeline == b.timeline
    for name in HISTORY_COLUMNS:
        assert np.array_equal(
            a.history.column(name)[: b.epoch + 1], b.history.column(name)[: b.epoch + 1]
        )


def test_a_follower_shows_the_leaders_run_micro_step_sample_and_view() -> None:
    teacher = controller()
    teacher.handle(cmd.Step(30))
    teacher.handle(cmd.ApplyConfig("lr_wx=0.05"))  # a mid-run change
    teacher.handle(cmd.Step(12))
    for _ in range(3):
        teacher.handle(cmd.Micro(1))
    teacher.handle(cmd.SelectSample(2))
    teacher.handle(cmd.OpenView("landscape"))
    student = controller("exploding")
    apply_state(student, lesson_state(teacher))
    assert_same_numbers(student, teacher)
    assert student.micro is not None and teacher.micro is not None
    assert student.micro.position == teacher.micro.position == 3
    assert (student.sample, student.view, student.preset) == (2, "landscape", "seed-linear")
    assert lesson_state(student) == lesson_state(teacher)


def test_a_late_joiner_lands_on_a_long_run_at_once() -> None:
    teacher = controller()
    teacher.handle(cmd.ApplyConfig("epochs=100000"))
    teacher.trainer.goto(20_000)
    started = time.perf_counter()
    student = controller()
    apply_state(student, lesson_state(teacher))
    took = time.perf_counter() - started
    assert_same_numbers(student, teacher)
    assert took < 2.0, f"{took:.2f} s to land on epoch 20 000"


@pytest.fixture
def late_join_from_300(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """A follower more than 300 epochs behind resumes from the leader's exact point; the
    history thread waits for the returned gate, so a tick cannot take its result before
    the test looks (the thread could finish within the tick that started it)."""
    monkeypatch.setattr("rnn_tui.classroom.replay.LATE_JOIN_EPOCHS", 300)
    gate = threading.Event()

    def held(checkpoint: Checkpoint) -> Trainer:
        gate.wait(10)
        return trained_along(checkpoint)

    monkeypatch.setattr("rnn_tui.classroom.history_fill.trained_along", held)
    yield gate
    gate.set()


def wait_for_history(seat: ClassMode, gate: threading.Event) -> list[object]:
    """Let the history thread go, tick until its history is taken; the notices on the way."""
    gate.set()
    notices: list[object] = []
    deadline = time.monotonic() + 10
    while seat.catching_up and time.monotonic() < deadline:
        time.sleep(0.01)
        notices.append(seat.tick().notice)
    assert not seat.catching_up
    return [n for n in notices if n is not None]


def test_a_late_joiner_resumes_at_the_leaders_epoch_then_fills_the_history_behind(
    late_join_from_300: threading.Event,
) -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    teacher.handle(cmd.ApplyConfig("optimizer=momentum,clip=norm:1"))
    teacher.trainer.step(1500)
    teacher.handle(cmd.ApplyConfig("lr_wx=0.03"))  # a mid-run change
    teacher.trainer.step(1500)
    teacher.handle(cmd.Micro(1))
    seat = ClassMode(link, student)
    link.lead(with_exact_point(lesson_state(teacher), teacher))
    assert seat.tick().redraw
    trainer = student.trainer
    assert trainer.epoch == 3000 and trainer.known_from == 3000  # nothing before it computed
    assert seat.catching_up
    assert (trainer.weights, trainer.loss) == (teacher.trainer.weights, teacher.trainer.loss)
    assert trainer.optimizer_state() == teacher.trainer.optimizer_state()
    assert student.micro is not None and student.micro.position == 1
    teacher.handle(cmd.Step(40))  # the teacher moves on meanwhile: the same run follows
    link.lead(with_exact_point(lesson_state(teacher), teacher))
    seat.tick()
    assert student.trainer is trainer and trainer.epoch == teacher.trainer.epoch > 3000
    assert wait_for_history(seat, late_join_from_300) == []
    assert trainer.known_from == 0
    assert_same_numbers(student, teacher)


def joined_late() -> tuple[FakeLink, RunController, RunController, ClassMode]:
    """A student who joined a teacher at epoch 1000 (past LATE_JOIN_EPOCHS, patched to
    300): resumed there, its history being computed (the gate holds the thread)."""
    link, teacher, student = FakeLink(), controller(), controller()
    teacher.handle(cmd.Step(1000))
    seat = ClassMode(link, student)
    link.lead(with_exact_point(lesson_state(teacher), teacher))
    seat.tick()
    return link, teacher, student, seat


def test_a_late_joiner_explores_once_the_history_is_in(late_join_from_300: threading.Event) -> None:
    """Before that, a rewind while exploring would compute the history on the UI thread
    (seconds at 10^6 epochs), beside the thread already computing it."""
    _, _, student, seat = joined_late()
    assert seat.catching_up
    notice = seat.explore()
    assert notice.kind == "warning" and "once epochs 0 to 1,000 are computed" in notice.text
    assert seat.following
    assert wait_for_history(seat, late_join_from_300) == []
    assert seat.explore().kind == "ok" and not seat.following
    student.handle(cmd.GoTo(0))
    assert student.trainer.epoch == 0 and student.trainer.known_from == 0


def test_a_class_that_ends_while_catching_up_still_fills_the_history(
    late_join_from_300: threading.Event,
) -> None:
    link, teacher, student, seat = joined_late()
    link.closed = True
    assert "Class mode ended" in str(seat.tick().notice)
    assert wait_for_history(seat, late_join_from_300) == []
    assert student.trainer.known_from == 0
    assert_same_numbers(student, teacher)


def test_a_history_that_does_not_reach_the_leaders_point_is_shown_as_an_error(
    late_join_from_300: threading.Event,
) -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    teacher.handle(cmd.Step(1000))
    state = with_exact_point(lesson_state(teacher), teacher)
    assert state.exact is not None
    wx, wrec = state.exact.weights
    lying = replace(state, exact=replace(state.exact, weights=(math.nextafter(wx, 9.0), wrec)))
    seat = ClassMode(link, student)
    link.lead(lying)
    seat.tick()
    notices = wait_for_history(seat, late_join_from_300)
    assert len(notices) == 1 and "does not reach the same numbers" in notices[0].text  # type: ignore[attr-defined]
    seat.tick()  # the class's state again, replayed here
    assert_same_numbers(student, teacher)


@pytest.mark.usefixtures("late_join_from_300")
def test_a_hostile_exact_point_is_refused_with_a_notice_and_the_run_kept() -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    teacher.handle(cmd.ApplyConfig("optimizer=adam"))
    teacher.handle(cmd.Step(1000))
    state = with_exact_point(lesson_state(teacher), teacher)
    assert state.exact is not None
    seat = ClassMode(link, student)
    before = lesson_state(student)
    link.lead(replace(state, exact=replace(state.exact, optimizer=(0.0, 0.0))))
    news = seat.tick()
    assert news.notice is not None and news.notice.kind == "error"
    assert "exact state is refused here" in news.notice.text
    assert "adam optimizer's state is 5 finite numbers" in news.notice.text
    assert lesson_state(student) == before and not seat.catching_up


def test_the_teacher_publishes_its_exact_point_only_when_the_state_changed() -> None:
    link, teacher = FakeLink(role="teacher", name="teacher"), controller()
    seat = ClassMode(link, teacher)
    teacher.handle(cmd.Step(7))
    seat.tick()
    seat.tick()
    assert len(link.states) == 1
    exact = link.states[0].exact
    assert exact is not None and exact.weights == teacher.trainer.weights
    assert exact.previous == teacher.trainer.history.row(6)[:2]


def test_a_follower_applies_each_new_state_and_its_keys_wait() -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    seat = ClassMode(link, student)
    link.lead(lesson_state(teacher))
    assert seat.tick().redraw
    teacher.handle(cmd.Step(5))
    link.lead(lesson_state(teacher))
    seat.tick()
    assert_same_numbers(student, teacher)
    refusal = seat.refusal()
    assert refusal is not None and "x to explore" in refusal.text
    assert seat.words() == "following teacher"
    assert link.statuses[-1].mode == "following" and link.statuses[-1].epoch == 5
    assert not seat.tick().redraw  # nothing new: nothing applied, nothing drawn


def test_a_student_sends_its_status_only_when_it_changed() -> None:
    link, teacher = FakeLink(), controller()
    seat = ClassMode(link, controller())
    link.lead(lesson_state(teacher))
    for _ in range(3):  # the poll, four times a second
        seat.tick()
    assert len(link.statuses) == 1
    teacher.handle(cmd.Step(1))
    link.lead(lesson_state(teacher))
    seat.tick()
    assert len(link.statuses) == 2 and link.statuses[-1].epoch == 1


def test_a_tick_says_when_the_shown_config_changed() -> None:
    link, teacher = FakeLink(), controller()
    seat = ClassMode(link, controller())
    teacher.handle(cmd.Step(2))
    link.lead(lesson_state(teacher))
    assert not seat.tick().config_changed  # the same config, further on
    teacher.handle(cmd.ApplyConfig("lr_wx=0.05"))
    link.lead(lesson_state(teacher))
    assert seat.tick().config_changed
    assert not seat.tick().config_changed


def test_a_running_leader_is_followed_at_a_lower_rate() -> None:
    link, teacher = FakeLink(), controller()
    seat = ClassMode(link, controller())
    link.lead(lesson_state(teacher))
    assert seat.tick_interval() == 1 / 20
    teacher.handle(cmd.ToggleRun())
    link.lead(lesson_state(teacher))
    assert seat.tick_interval() == 1 / 5
    seat.explore()
    assert seat.tick_interval() == 1 / 20


def test_the_repaint_cap_counts_from_the_last_repaint_not_from_a_poll() -> None:
    now = [100.0]
    link, teacher = FakeLink(), controller()
    seat = ClassMode(link, controller(), clock=lambda: now[0])
    assert seat.wait_before_tick() == 0
    link.lead(lesson_state(teacher))
    assert seat.tick().redraw
    assert seat.wait_before_tick() == pytest.approx(1 / 20)  # a state was just shown
    now[0] += 0.2
    assert not seat.tick().redraw  # the poll finds nothing ...
    assert seat.wait_before_tick() == 0  # ... and does not hold back the next state
    teacher.handle(cmd.Step(1))
    link.lead(lesson_state(teacher))
    assert seat.tick().redraw and seat.wait_before_tick() == pytest.approx(1 / 20)


def test_explore_then_a_push_brings_the_student_back_with_a_notice() -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    seat = ClassMode(link, student)
    link.lead(lesson_state(teacher))
    seat.tick()
    assert seat.explore().kind == "ok" and seat.mode == "exploring"
    assert seat.refusal() is None  # the keys are the student's
    student.handle(cmd.Step(40))
    teacher.handle(cmd.Step(3))
    link.lead(lesson_state(teacher))
    seat.tick()
    assert student.trainer.epoch == 40  # an explorer does not follow
    assert link.statuses[-1].mode == "exploring"
    link.change(pushes=1)
    news = seat.tick()
    assert news.notice is not None and "brought the class back" in news.notice.text
    assert seat.mode == "following"
    assert_same_numbers(student, teacher)


def test_rejoining_shows_the_class_state_at_once() -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    seat = ClassMode(link, student)
    teacher.handle(cmd.Step(8))
    link.lead(lesson_state(teacher))
    seat.tick()
    seat.explore()
    student.handle(cmd.Reset())
    seat.rejoin()
    seat.tick()
    assert_same_numbers(student, teacher)


def test_a_held_class_cannot_explore_until_released() -> None:
    link = FakeLink()
    seat = ClassMode(link, controller())
    link.lead(lesson_state(controller()), paused=True)
    seat.tick()
    assert seat.explore().kind == "warning" and seat.mode == "following"
    assert seat.words() == "following teacher · held"
    link.change(paused=False)
    seat.tick()
    assert seat.explore().kind == "ok"


def test_when_the_teacher_leaves_students_keep_their_state_and_may_explore() -> None:
    link, teacher, student = FakeLink(), controller(), controller()
    seat = ClassMode(link, student)
    teacher.handle(cmd.Step(12))
    link.lead(lesson_state(teacher))
    seat.tick()
    link.change(teacher=False)
    seat.tick()
    assert student.trainer.epoch == 12 and seat.words() == "following · teacher away"
    assert seat.refusal() is None and seat.mode == "exploring"  # a key makes the run theirs
    student.handle(cmd.Step(1))
    link.change(teacher=True)  # the teacher is back: the student's own run stays
    seat.tick()
    assert student.trainer.epoch == 13


def test_without_a_teacher_class_mode_stays_out_of_the_way() -> None:
    link = FakeLink()
    link.change(teacher=False)
    seat = ClassMode(link, controller())
    seat.tick()
    assert seat.words() == "" and seat.refusal() is None


def test_a_hostile_state_is_refused_with_a_notice_and_the_run_kept() -> None:
    link, student = FakeLink(), controller()
    seat = ClassMode(link, student)
    student.handle(cmd.Step(4))
    before = lesson_state(student)
    bad = LessonState(timeline=((0, "data=/etc/shadow"),), epoch=0)
    link.lead(bad, source="mallory", spotlight="mallory")
    news = seat.tick()
    assert news.notice is not None and news.notice.kind == "error"
    assert "refused here" in news.notice.text
    assert lesson_state(student) == before


def test_the_teacher_publishes_after_every_change_and_only_then() -> None:
    link, teacher = FakeLink(role="teacher", name="teacher"), controller()
    seat = ClassMode(link, teacher)
    seat.tick()
    seat.tick()
    assert len(link.states) == 1
    teacher.handle(cmd.Micro(1))
    seat.tick()
    assert len(link.states) == 2 and link.states[-1].micro == 1 + 1  # position 1
    assert link.statuses == []  # the teacher has no status to publish
    assert seat.push().kind == "ok"
    seat.tick()
    assert len(link.states) == 3  # a push sends the state again, even unchanged
    seat.spotlight("bob")
    seat.pause_class()
    assert link.actions == [("push", None), ("spotlight", "bob"), ("pause", True)]


def test_the_teacher_does_not_redraw_for_its_own_state_coming_back() -> None:
    link, teacher = FakeLink(role="teacher", name="teacher"), controller()
    seat = ClassMode(link, teacher)
    seat.tick()  # the class line appears: one redraw
    teacher.handle(cmd.Step(1))
    seat.publish()
    link.lead(link.states[-1])  # the hub's snapshot, with our own state in it
    assert not seat.tick().redraw


def test_a_run_too_big_for_the_channel_is_not_sent_and_the_teacher_is_told_once() -> None:
    link, teacher = FakeLink(role="teacher", name="teacher"), controller()
    seat = ClassMode(link, teacher)
    for i in range(110):  # 110 mid-run changes
        teacher.handle(cmd.Step(1))
        teacher.handle(cmd.ApplyConfig(f"lr_wx={0.01 + i / 10000}"))
    assert not shareable(lesson_state(teacher))
    first, second = seat.tick(), seat.tick()
    assert first.notice is not None and "more than 100 changes" in first.notice.text
    assert second.notice is None and link.states == []


def test_a_spotlighted_student_publishes_and_does_not_follow_itself() -> None:
    link, student = FakeLink(), controller()
    seat = ClassMode(link, student)
    seat.explore()
    student.handle(cmd.Step(9))
    link.lead(lesson_state(controller()), spotlight="alice")
    seat.tick()
    assert link.states[-1].epoch == 9 and seat.words() == "exploring · in the spotlight"


def test_the_teacher_sees_the_class_in_counts() -> None:
    entries = (
        RosterEntry("bob", "exploring", "wx=1", 3, None, "diverged"),
        RosterEntry("alice", "following", "wx=1", 3, 0.5, "running"),
        RosterEntry("carol", "following", "wx=1", 3, 0.5, "running"),
    )
    link = FakeLink(role="teacher", name="teacher", students=entries)
    link.change(teacher=True, spotlight="bob")
    assert ClassMode(link, controller()).words() == (
        "class: 3 students (2 following / 1 exploring) · spotlight bob"
    )


def class_of(students: int, exploring: int) -> tuple[RosterEntry, ...]:
    return tuple(
        RosterEntry(
            f"s{i}", "exploring" if i < exploring else "following", "wx=1", 3, 0.5, "running"
        )
        for i in range(students)
    )


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("preset", [*PRESETS, "seed-sigmoid (edited)"])
def test_the_class_counts_fit_the_status_line_at_80_and_100_columns(
    width: int, preset: str
) -> None:
    """At 100 columns "class: 30 students (27 following / 3 exploring)" was cut mid-word:
    the line takes the longest form of the class words that fits, whole."""
    link = FakeLink(role="teacher", name="teacher", students=class_of(30, 3))
    link.change(teacher=True)
    run = controller(preset.split(" ")[0])
    if preset.endswith("(edited)"):
        run.handle(cmd.ApplyConfig("lr_wx=0.0123"))
    assert run.preset_label == preset
    for epoch in (0, 12_345):
        run.trainer.goto(min(epoch, run.trainer.config.epochs))
        line = status_line(status_facts(run, ClassMode(link, run).word_forms()), width).plain
        assert "…" not in line and len(line) <= width, line
        assert "3/30 exploring" in line or "27 following / 3 exploring" in line, line
    wide = status_line(status_facts(run, ClassMode(link, run).word_forms()), 160).plain
    assert "class: 30 students (27 following / 3 exploring)" in wide
    if run.trainer.diverged:  # a loss of 2.657e+201 takes a column more than reserved
        return
    link.change(paused=True, spotlight="alice")
    line = status_line(status_facts(run, ClassMode(link, run).word_forms()), width).plain
    assert "…" not in line and "held" in line, line


@pytest.mark.parametrize("width", [80, 100])
def test_a_followers_class_words_fit_at_80_and_100_columns(width: int) -> None:
    link, run = FakeLink(), controller()
    seat = ClassMode(link, run)
    for changes in ({}, {"paused": True}):
        link.lead(lesson_state(controller()), **changes)
        line = status_line(status_facts(run, seat.word_forms()), width).plain
        assert "…" not in line and "following" in line, line
    link.change(teacher=False, paused=False)
    line = status_line(status_facts(run, seat.word_forms()), width).plain
    assert "…" not in line and "teacher away" in line, line


def test_a_closed_link_ends_class_mode_and_frees_the_keys() -> None:
    link = FakeLink(goodbye="cut off: too many messages")
    seat = ClassMode(link, controller())
    link.closed = True
    news = seat.tick()
    assert news.notice is not None and "cut off" in news.notice.text
    assert seat.refusal() is None and seat.words() == "" and seat.role is None


@pytest.mark.parametrize(
    ("config", "steps", "word"),
    [
        ("wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006", 0, "starting"),
        ("wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006", 10, "paused"),
        ("wrec=3,lr_wx=1,lr_wrec=1,data=random:5x20,epochs=1000", 1000, "diverged"),
        ("wx=1,wrec=1,lr_wx=0.01,lr_wrec=0.01", 10, "converged"),
    ],
)
def test_the_state_word(config: str, steps: int, word: str) -> None:
    run = RunController(Config.parse(config), runner=Runner(lambda: 0.0))
    run.trainer.step(steps)
    assert state_word(run) == word


def test_a_vanishing_run_at_rest_is_stalled() -> None:
    run = controller("vanishing")
    run.trainer.run_to_target()
    assert state_word(run) == "stalled"
    run.handle(cmd.ToggleRun())
    assert state_word(run) == "running"


async def test_a_late_joiners_charts_say_they_are_catching_up_until_the_history_is_in() -> None:
    leader = PRESETS["seed-linear"].config
    teacher = RunController(leader, "seed-linear", runner=Runner(lambda: 0.0))
    teacher.trainer.step(2000)
    resumed = Trainer.resume(teacher.trainer.checkpoint())
    async with driving("seed-linear") as (app, pilot):
        app.controller.adopt(resumed, "seed-linear")
        app.redraw()
        await pilot.pause()
        cost, weights = app.query_one(CostChart), app.query_one(WeightsChart)
        assert "catching up: computing epochs 0 to 2,000" in str(cost.border_title)
        assert "catching up" in str(weights.border_title)
        resumed.fill_history(trained_along(teacher.trainer.checkpoint()))
        app.redraw()
        await pilot.pause()
        assert "catching up" not in str(cost.border_title)
        assert "Cost (mean squared error)" in str(cost.border_title)
