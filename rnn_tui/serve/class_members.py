"""The class hub's bookkeeping of its members, apart from the sockets they talk over.

Who a member is (role, roster name, last status), what it still has to be sent,
how fast it may send, and the roster's names and order. No I/O here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Container
from dataclasses import dataclass, field

from ..classroom.protocol import LessonState, Role, RosterEntry, StudentStatus

TEACHER = "teacher"
MAX_NAME_STEM = 24  # of an SSH user name; room is left for a "#12" suffix
TROUBLE = ("diverged", "stalled")  # on top of the teacher's roster, in this order


class ClassFull(Exception):
    """The hub holds ``max_students`` students already."""


class TokenBucket:
    """``rate`` messages a second sustained, ``burst`` at once: may one more pass now?"""

    def __init__(self, rate: float, burst: int) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


@dataclass(eq=False)
class Member:
    """One app on the channel: who it is, its last status, and what its sender still owes it."""

    role: Role
    name: str
    bucket: TokenBucket
    status: StudentStatus | None = None
    writer: asyncio.StreamWriter | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    want_class: bool = True  # the first message after the welcome: the current state
    want_roster: bool = False

    def notify(self, *, class_: bool = False, roster: bool = False) -> None:
        self.want_class |= class_
        self.want_roster |= roster
        self.wake.set()

    def entry(self) -> RosterEntry:
        status = self.status
        if status is None:
            return RosterEntry(self.name, "following", "", 0, None, "starting")
        return RosterEntry(
            self.name, status.mode, status.config, status.epoch, status.loss, status.state
        )


def free_name(stem: str, taken: Container[str]) -> str:
    """``stem``, or ``stem#2``, ``stem#3``, ... : the first that no member holds."""
    if stem not in taken and stem != TEACHER:
        return stem
    n = 2
    while f"{stem}#{n}" in taken:
        n += 1
    return f"{stem}#{n}"


def last_epoch(state: LessonState) -> int:
    """The furthest epoch a follower must replay to show ``state``."""
    return max(state.epoch, *(epoch for epoch, _ in state.timeline))


def roster_order(entry: RosterEntry) -> tuple[int, str]:
    trouble = TROUBLE.index(entry.state) if entry.state in TROUBLE else len(TROUBLE)
    return trouble, entry.name.casefold()


def student_name(user: str) -> str:
    """A roster name from an SSH user name: printable, no spaces, short, never empty."""
    name = "".join(c for c in user if c.isprintable() and not c.isspace())
    return name[:MAX_NAME_STEM] or "student"
