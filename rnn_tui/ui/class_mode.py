"""The app's part in a class, without Textual: follow or explore, publish, say where we are.

The server hands a served app one end of a channel to the class hub
(:class:`~rnn_tui.classroom.client.ClassLink`); the app calls :meth:`ClassMode.tick`
when the hub says something, at most :data:`FOLLOW_FPS` times a second (and every
:data:`POLL_SECONDS` anyway), so a follower coalesces to the latest class state and
repaints at a capped rate whatever the teacher does (the link keeps only the newest
state: no queue grows anywhere). A leader calls :meth:`ClassMode.publish` after each
redraw.

- A student **follows** while the class has a leader: each new lesson state (the
  leader's timeline, epoch, micro-step, sample and view) is applied to this app's
  own run controller. The engine redoes the numbers (bit-identical), the screen
  lays them out at this terminal's size. A late joiner lands on the current state
  at once: it resumes from the leader's exact point (weights, optimizer state) and
  a thread computes the history before it (the charts say they are catching up),
  checked to reach that point bit for bit. While following, the run's commands are
  the leader's, not the keys'.
- **Exploring** starts from the current state and makes the run the student's own;
  rejoining follows again; a push by the teacher brings explorers back; while the
  teacher holds (pauses) the class nobody may leave it.
- The **teacher** (and a spotlighted student) publishes its lesson state; the link
  sends only the newest, at most every 50 ms. Students publish a small status
  (config, epoch, loss, state word, mode) for the teacher's class view.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rnn_tui.classroom.client import News
from rnn_tui.classroom.history_fill import HistoryFill
from rnn_tui.classroom.protocol import (
    MAX_TIMELINE,
    ClassSnapshot,
    LessonState,
    Mode,
    Role,
    RosterEntry,
    StudentStatus,
)
from rnn_tui.classroom.replay import StateRefused
from rnn_tui.engine import HistoryMismatch, Trainer

from .class_state import apply_state, lesson_state, shareable, student_status, with_exact_point
from .controller import Notice, RunController

FOLLOW_FPS = 20  # the most a follower applies and repaints a second ...
RUNNING_FOLLOW_FPS = 5  # ... while the leader runs (each repaint costs a follower ~30 ms)
POLL_SECONDS = 0.25  # the status a student publishes, and the class line, at least this often
EXPLORE_KEY = "x"
REJOIN_KEY = "j"


class Link(Protocol):
    """What class mode uses of a :class:`~rnn_tui.classroom.client.ClassLink`."""

    @property
    def role(self) -> Role | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def spotlighted(self) -> bool: ...
    @property
    def goodbye(self) -> str | None: ...
    def snapshot(self) -> ClassSnapshot | None: ...
    def roster(self) -> tuple[RosterEntry, ...]: ...
    def take_news(self) -> News: ...
    def publish_state(self, state: LessonState) -> None: ...
    def publish_status(self, status: StudentStatus) -> None: ...
    def push(self) -> None: ...
    def spotlight(self, name: str | None) -> None: ...
    def pause_class(self, on: bool) -> None: ...


@dataclass(frozen=True)
class ClassNews:
    """What one :meth:`ClassMode.tick` changed, for the app to show."""

    redraw: bool = False  # the run or the class line changed
    notice: Notice | None = None
    roster: bool = False  # teacher: the class view has news
    config_changed: bool = False  # a state applied with another config or preset


# -- a run as a lesson state, and back -------------------------------------------------------


def class_counts(roster: Sequence[RosterEntry]) -> str:
    following = sum(entry.mode == "following" for entry in roster)
    students = "student" if len(roster) == 1 else "students"
    return f"{len(roster)} {students} ({following} following / {len(roster) - following} exploring)"


# -- following and exploring -----------------------------------------------------------------


class ClassMode:
    """One app's seat in the class: poll :meth:`tick`; keys call :meth:`explore` etc."""

    def __init__(
        self, link: Link, run: RunController, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.link = link
        self.run = run
        self._clock = clock
        self._drawn_at = -math.inf  # when a tick last changed what shows
        self.mode: Mode = "following"
        self.ended = False
        self._applied: int | None = None  # the class state version shown
        self._published: LessonState | None = None
        self._status: StudentStatus | None = None  # the last status sent
        self._too_big_told = False
        self._words = ""  # the class line last shown
        self._fill: HistoryFill | None = None  # a resumed run's earlier history, computing
        self._resume = True  # a late join may resume from the leader's exact point

    @property
    def role(self) -> Role | None:
        return None if self.ended else self.link.role

    @property
    def following(self) -> bool:
        """This student's run is the class's: the run keys are not theirs now."""
        return self.role == "student" and self.mode == "following"

    @property
    def led(self) -> bool:
        """Someone leads the class now (a teacher is connected and has shown a run)."""
        snapshot = self.link.snapshot()
        return snapshot is not None and snapshot.teacher and snapshot.state is not None

    def refusal(self, what: str = "the run") -> Notice | None:
        """Why a key that changes the run does nothing now (None: it is the student's).

        With nobody leading (no teacher yet, or the teacher left) the key is the
        student's, and the student explores from there on: a returning teacher does
        not take back a run the student has made their own (a push does)."""
        if not self.following:
            return None
        if not self.led:
            self.mode = "exploring"
            return None
        return Notice(
            f"Following the class: {what} is the teacher's. "
            f"Press {EXPLORE_KEY} to explore on your own.",
            "warning",
        )

    def tick_interval(self) -> float:
        """The least time between two ticks: a running leader is followed at a lower rate,
        so forty followers of a running teacher do not each repaint twenty times a second."""
        snapshot = self.link.snapshot()
        state = None if snapshot is None else snapshot.state
        running = self.following and state is not None and state.running
        return 1 / (RUNNING_FOLLOW_FPS if running else FOLLOW_FPS)

    def wait_before_tick(self) -> float:
        """Seconds until news may be shown: the repaint cap counts from the last tick
        that changed the screen (a poll that found nothing does not delay the next state;
        it made a news that came just after it wait up to 1/20 s)."""
        return max(0.0, self._drawn_at + self.tick_interval() - self._clock())

    # -- a student's keys ---------------------------------------------------------------------

    def explore(self) -> Notice:
        if self.role != "student":
            return Notice("Only a student in a class follows or explores.")
        if self.mode == "exploring":
            return Notice(f"Already exploring: {REJOIN_KEY} follows the class again.")
        snapshot = self.link.snapshot()
        if snapshot is not None and snapshot.paused:
            return Notice(
                "The teacher holds the class: exploring is off until released.", "warning"
            )
        if self.catching_up:  # rewinding before the resumed epoch would compute it here
            epoch = self.run.trainer.known_from
            return Notice(
                f"You can explore once epochs 0 to {epoch:,} are computed (charts: catching up).",
                "warning",
            )
        self.mode = "exploring"
        return Notice(
            f"Exploring from here: the run is yours. {REJOIN_KEY} follows the class again.", "ok"
        )

    def rejoin(self) -> Notice:
        if self.role != "student":
            return Notice("Only a student in a class follows or explores.")
        self.mode = "following"
        self._applied = None  # show the class's state at the next tick, whatever it is
        return Notice("Following the class again.", "ok")

    # -- the poll --------------------------------------------------------------------------

    def tick(self) -> ClassNews:
        """Take the class's news, follow or publish; call at most FOLLOW_FPS times a second."""
        if self.ended:  # the run is the student's now; a resumed one still gets its history
            filled, mismatch = self._fill_history()
            return ClassNews(filled, mismatch)
        news = self.link.take_news()
        notice: Notice | None = None
        redraw = False  # only what shows: a state applied, a notice, the class line
        shown = (self.run.trainer.config, self.run.preset)
        if news.closed:
            self.ended = True
            why = self.link.goodbye or "the class link closed"
            return ClassNews(
                True, Notice(f"Class mode ended ({why}): the run is yours.", "warning")
            )
        if self.role == "student":
            if news.pushed and self.mode == "exploring":
                self.rejoin()
                notice = Notice("The teacher brought the class back: following again.", "ok")
            if self.following:
                applied, refused = self._follow()
                redraw |= applied
                notice = refused or notice
            filled, mismatch = self._fill_history()
            redraw |= filled
            notice = mismatch or notice
            status = student_status(self.run, self.mode)
            if status != self._status:  # the hub keeps the last one: send only news
                self._status = status
                self.link.publish_status(status)
        notice = self.publish() or notice
        words, self._words = self._words, self.words()
        redraw |= words != self._words  # the class line changed (the roster's counts, say)
        redraw |= notice is not None
        if redraw:
            self._drawn_at = self._clock()
        changed = (self.run.trainer.config, self.run.preset) != shown
        return ClassNews(redraw, notice, news.roster_changed, changed)

    def _follow(self) -> tuple[bool, Notice | None]:
        snapshot = self.link.snapshot()
        if snapshot is None or snapshot.state is None or snapshot.source == self.link.name:
            return False, None
        if snapshot.state_version == self._applied:
            return False, None
        self._applied = snapshot.state_version
        try:
            apply_state(self.run, snapshot.state, resume=self._resume)
        except StateRefused as error:
            return True, Notice(f"Cannot show the class's run: {error}.", "error")
        trainer = self.run.trainer
        if trainer.resumed_from is not None and (
            self._fill is None or self._fill.trainer is not trainer
        ):
            self._fill = HistoryFill(trainer)
        return True, None

    def _fill_history(self) -> tuple[bool, Notice | None]:
        """Take the history a thread computed for a resumed run, once it is done."""
        fill = self._fill
        if fill is None or not fill.done:
            return False, None
        self._fill = None
        if fill.trainer is not self.run.trainer or fill.trainer.resumed_from is not fill.checkpoint:
            return False, None  # another run is on screen now, or the history came anyway
        try:
            computed = fill.result()
        except HistoryMismatch as error:  # no run here reaches the leader's point
            return True, self._mismatch(error, None)
        try:
            fill.trainer.fill_history(computed)
        except HistoryMismatch as error:  # a bug to see, not to hide
            return True, self._mismatch(error, computed)
        return True, None

    def _mismatch(self, error: HistoryMismatch, computed: Trainer | None) -> Notice:
        """Show the run this app computes (from epoch 0) rather than the leader's point,
        and say so: the class's state is applied again, by replaying it."""
        self._resume = False
        self._applied = None
        if computed is not None:
            self.run.adopt(computed, self.run.preset)
        return Notice(f"The class's run does not reach the same numbers here: {error}", "error")

    @property
    def catching_up(self) -> bool:
        """A resumed run's earlier history is still being computed."""
        return self._fill is not None

    def publish(self) -> Notice | None:
        """The teacher (or the spotlighted student): send the run if it changed."""
        if self.role != "teacher" and not self.link.spotlighted:
            return None
        state = lesson_state(self.run)
        if (
            self._published is not None
            and dataclasses.replace(self._published, exact=None) == state
        ):
            return None
        if not shareable(state):
            if self._too_big_told:
                return None
            self._too_big_told = True
            return Notice(
                f"This run has more than {MAX_TIMELINE} changes to share with the class: "
                "reset (R) to share it again.",
                "warning",
            )
        self._too_big_told = False
        state = with_exact_point(state, self.run)
        self._published = state
        self.link.publish_state(state)
        return None

    # -- the teacher's actions -------------------------------------------------------------

    def push(self) -> Notice:
        self._published = None  # publish at once, even unchanged
        self.link.push()
        return Notice("Pushed: the whole class follows your run.", "ok")

    def spotlight(self, name: str | None) -> Notice:
        self.link.spotlight(name)
        if name is None:
            return Notice("The class follows your run again.", "ok")
        return Notice(f"Spotlight on {name}: the class follows their run.", "ok")

    def pause_class(self) -> Notice:
        snapshot = self.link.snapshot()
        on = not (snapshot is not None and snapshot.paused)
        self.link.pause_class(on)
        if on:
            return Notice("The class is held: followers cannot explore until released.", "ok")
        return Notice("The class is released: students may explore.", "ok")

    # -- in words -----------------------------------------------------------------------------

    def words(self) -> str:
        """The class part of the status line ("" outside a class)."""
        forms = self.word_forms()
        return forms[0] if forms else ""

    def word_forms(self) -> tuple[str, ...]:
        """The class part of the status line, longest first: a narrow terminal shows the
        longest that fits (at 100 columns "class: 30 students (27 following / 3
        exploring)" was cut mid-word; empty outside a class)."""
        role = self.role
        snapshot = self.link.snapshot()
        if role is None or snapshot is None:
            return ()
        held = " · held" if snapshot.paused else ""
        if role == "teacher":
            spot = f" · spotlight {snapshot.spotlight}" if snapshot.spotlight else ""
            roster = self.link.roster()
            students, exploring = len(roster), sum(e.mode == "exploring" for e in roster)
            if not students:
                return (f"class: 0 students{held}{spot}", f"0 students{held}")
            forms = (
                f"class: {class_counts(roster)}{held}{spot}",
                f"class {students}: {students - exploring} following / {exploring} exploring"
                f"{held}{spot}",
                f"{exploring}/{students} exploring{held}{spot}",
                f"{exploring}/{students} exploring{held}",
                "class held" if held else "",
            )
            return tuple(dict.fromkeys(form for form in forms if form))
        if self.mode == "exploring":
            if self.link.spotlighted:
                return ("exploring · in the spotlight", "exploring · spotlit", "exploring")
            return ("exploring",)
        if not snapshot.teacher:
            if snapshot.state is None:
                return ()
            return ("following · teacher away", "teacher away")
        if snapshot.source not in (None, "teacher"):
            return (
                f"following {snapshot.source} (spotlight){held}",
                f"following {snapshot.source}{held}",
                f"spotlight{held}",
            )
        return (f"following teacher{held}", f"following{held}")
