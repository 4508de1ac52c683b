"""The class channel's messages and their limits, as plain frozen dataclasses.

The wire format (``rnn_tui.classroom.protocol``) encodes and strictly decodes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["teacher", "student"]
Mode = Literal["following", "exploring"]
ROLES: tuple[Role, ...] = ("teacher", "student")
MODES: tuple[Mode, ...] = ("following", "exploring")
# A student's run as one word (the hub puts diverged and stalled on top of the roster).
STATE_WORDS = ("diverged", "stalled", "running", "paused", "converged", "starting")

CLASS_FD_ENV = "RNN_TUI_CLASS_FD"  # the inherited descriptor's number, in an app process

MAX_CLIENT_LINE = 64 * 1024  # app -> hub: a whole LessonState fits with room to spare
MAX_HUB_LINE = 1024 * 1024  # hub -> app: a roster of every seat fits
MAX_TEXT = 400  # config strings
MAX_WORD = 40  # names, views, presets, reasons' pieces
MAX_REASON = 200
MAX_TIMELINE = 100  # config changes in one run
MAX_ROSTER = 1000
MAX_COUNT = 10**12  # epochs, versions, positions: far beyond any real run, far below 2**63


@dataclass(frozen=True)
class ExactPoint:
    """The leader's run at ``LessonState.epoch``, exactly: a late joiner continues from it
    instead of redoing every epoch before (the floats travel as JSON numbers, which
    round-trip exactly)."""

    weights: tuple[float, float]  # (wx, wrec) at the epoch
    previous: tuple[float, float] | None  # at the epoch before (None at epoch 0)
    optimizer: tuple[float, ...]  # the optimizer's state the run steps from there


@dataclass(frozen=True)
class LessonState:
    """What a follower needs to show the leader's screen: the engine redoes the numbers.

    ``timeline`` lists ``(epoch, config string)``: the run's config from that epoch on
    (the first entry is the start, later ones are mid-run changes).
    ``micro`` is the micro-step position inside the epoch (0 = at the epoch boundary).
    """

    timeline: tuple[tuple[int, str], ...]
    epoch: int
    micro: int = 0
    sample: int = 0
    view: str | None = None
    preset: str | None = None
    running: bool = False
    exact: ExactPoint | None = None


@dataclass(frozen=True)
class StudentStatus:
    config: str
    epoch: int
    loss: float | None  # None while unknown or not finite (the state word says diverged)
    state: str  # one of STATE_WORDS
    mode: Mode


@dataclass(frozen=True)
class RosterEntry:
    name: str
    mode: Mode
    config: str
    epoch: int
    loss: float | None
    state: str


@dataclass(frozen=True)
class ClassSnapshot:
    """The class as the hub sees it; ``version`` grows with every change of any field."""

    version: int
    teacher: bool  # a teacher is connected
    paused: bool  # the teacher holds the class: followers may not explore
    pushes: int  # how many times the teacher pushed: a rise brings explorers back
    spotlight: str | None  # the student whose run the class follows, if any
    source: str | None  # whose state ``state`` is: "teacher", a student's name, or None
    state_version: int  # grows when ``state`` changes
    state: LessonState | None


# -- messages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishState:
    state: LessonState


@dataclass(frozen=True)
class PublishStatus:
    status: StudentStatus


@dataclass(frozen=True)
class Push:
    pass


@dataclass(frozen=True)
class Spotlight:
    name: str | None


@dataclass(frozen=True)
class PauseClass:
    on: bool


@dataclass(frozen=True)
class Welcome:
    role: Role
    name: str


@dataclass(frozen=True)
class Roster:
    students: tuple[RosterEntry, ...]


@dataclass(frozen=True)
class Bye:
    reason: str


ClientMessage = PublishState | PublishStatus | Push | Spotlight | PauseClass
HubMessage = Welcome | ClassSnapshot | Roster | Bye
