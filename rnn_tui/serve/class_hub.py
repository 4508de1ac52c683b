"""The class hub: one per server process; every app process talks to it over a private channel.

Design
------
*Channel.* For each session the server calls :meth:`ClassHub.open_channel` with the
role and SSH user name that authentication gave it. The hub makes a socketpair, keeps
one end and returns the other, which the server passes to the app with
``pass_fds`` and names in ``RNN_TUI_CLASS_FD``. The role is bound to the descriptor
here, in the server: nothing an app sends can make it the teacher. No socket path
exists that another local account could connect to.

*Wire.* Newline-delimited JSON with a strict schema (``rnn_tui.classroom.protocol``).
Lines from an app are at most 64 KiB and at most ``rate`` a second (``burst`` at
once). An app that sends an oversize line, garbage, a message its role may not send,
or floods is cut off: a ``bye`` line, its channel closed, one sanitised log line. The
class goes on.

*State.* The hub keeps one :class:`ClassSnapshot`: whether a teacher is connected,
the state the class follows (the teacher's latest :class:`LessonState`, or the
spotlighted student's), pause, a push counter, and a ``version`` that grows with
every change. Nothing is queued per follower: each member has "class changed" and
"roster changed" flags and one sender task that writes the *current* snapshot,
waits for the socket to drain, then sleeps one frame interval. A slow reader
therefore skips intermediate states and costs the hub one message of buffer; a late
joiner gets the current state in its first message.

*Students* are named by SSH user name (``alice``, then ``alice#2`` for a second
alice; the name is free again when she leaves). They publish a small
:class:`StudentStatus`; the teacher gets the roster at most every
``roster_interval``, sorted so diverged and stalled runs are on top.

*Teacher.* One teacher session leads; a newer teacher session (a reconnect after a
dropped laptop) takes over and the older one is told so and closed. Actions:
``push`` (the class follows the teacher's run again; the counter's rise brings
explorers back, with a notice in the app), ``spotlight`` a student (the class
follows the state that student now publishes, until the teacher takes it back or the
student leaves), ``pause`` (followers may not explore until released). When the
teacher leaves, pause and spotlight end, the followed state stays where it was
(students keep it and may explore), and a teacher who comes back leads again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

from ..classroom.protocol import (
    CLASS_FD_ENV,
    MAX_CLIENT_LINE,
    Bye,
    ClassSnapshot,
    ClientMessage,
    LessonState,
    PauseClass,
    ProtocolError,
    PublishState,
    PublishStatus,
    Push,
    Role,
    Roster,
    RosterEntry,
    Spotlight,
    Welcome,
    decode_client,
    encode_hub,
    printable,
)
from ..engine import MAX_EPOCHS
from .class_members import (
    TEACHER,
    ClassFull,
    Member,
    TokenBucket,
    free_name,
    last_epoch,
    roster_order,
    student_name,
)

__all__ = ["ChannelEnd", "ClassFull", "ClassHub", "HubSettings"]

log = logging.getLogger("rnn_tui.serve.class")

TAKEN_OVER = "another teacher session took over"


@dataclass(frozen=True)
class HubSettings:
    frame_interval: float = 1 / 30  # the most class updates a follower gets a second
    roster_interval: float = 0.25  # the teacher's class view, a few times a second
    rate: float = 200.0  # messages a second an app may send, sustained ...
    burst: int = 400  # ... and at once; the link library sends at most 120 a second
    max_students: int = 200  # the teacher always gets in
    # A student's state is replayed by every follower: never beyond what a served run
    # may reach (the server passes its own limit).
    max_student_epoch: int = MAX_EPOCHS


@dataclass(frozen=True)
class ChannelEnd:
    """The app's end of a channel: pass ``fd`` to the child, then :meth:`close` it here."""

    sock: socket.socket
    role: Role
    name: str

    @property
    def fd(self) -> int:
        return self.sock.fileno()

    def env(self) -> dict[str, str]:
        return {CLASS_FD_ENV: str(self.fd)}

    def close(self) -> None:
        self.sock.close()


class ClassHub:
    """Start with :meth:`start`; :meth:`open_channel` per session; :meth:`close` at the end."""

    def __init__(self, settings: HubSettings | None = None) -> None:
        self.settings = settings or HubSettings()
        self._members: dict[str, Member] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._teacher: Member | None = None
        self._teacher_state: LessonState | None = None
        self._snapshot = ClassSnapshot(0, False, False, 0, None, None, 0, None)
        self._snapshot_line: bytes | None = None
        self._roster_dirty = False
        self._ticker: asyncio.Task[None] | None = None
        # (name, reason) of the latest apps cut off, for tests and audits; bounded.
        self.cut_off: deque[tuple[str, str]] = deque(maxlen=100)

    # -- life -------------------------------------------------------------------------------

    async def start(self) -> None:
        self._ticker = asyncio.create_task(self._roster_ticker())

    async def close(self) -> None:
        tasks = [*self._tasks, *([self._ticker] if self._ticker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def open_channel(self, role: Role, user: str) -> ChannelEnd:
        """A new member for an authenticated session; call from the event loop."""
        students = sum(m.role == "student" for m in self._members.values())
        if role == "student" and students >= self.settings.max_students:
            raise ClassFull(f"the class hub holds {self.settings.max_students} students already")
        name = TEACHER if role == "teacher" else free_name(student_name(user), self._members)
        member = Member(role, name, TokenBucket(self.settings.rate, self.settings.burst))
        hub_end, app_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        if role == "teacher":
            self._take_lead(member)
        else:
            self._members[name] = member
            self._roster_dirty = True
        task = asyncio.create_task(self._serve(member, hub_end))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        log.info("class: %s joined as %s", name, role)
        return ChannelEnd(app_end, role, name)

    # -- what tests and the server may read ---------------------------------------------------

    def snapshot(self) -> ClassSnapshot:
        return self._snapshot

    def roster(self) -> tuple[RosterEntry, ...]:
        """Students, those in trouble first (diverged, stalled), then by name."""
        entries = [m.entry() for m in self._members.values() if m.role == "student"]
        return tuple(sorted(entries, key=roster_order))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._members)

    def backlog(self, name: str) -> int:
        """Bytes the hub holds for ``name`` that its app has not read yet (0 if unknown)."""
        member = self._members.get(name)
        if member is None or member.writer is None:
            return 0
        return member.writer.transport.get_write_buffer_size()

    # -- one member's channel ----------------------------------------------------------------

    async def _serve(self, member: Member, sock: socket.socket) -> None:
        sender: asyncio.Task[None] | None = None
        try:
            reader, writer = await asyncio.open_unix_connection(sock=sock, limit=MAX_CLIENT_LINE)
            member.writer = writer
            if member.role == "teacher" and member is not self._teacher:
                writer.write(encode_hub(Bye(TAKEN_OVER)))  # a newer one came before we started
                return
            sender = asyncio.create_task(self._send(member, writer))
            try:
                await self._receive(member, reader)
            except ValueError as error:  # ProtocolError, or readline's line-too-long
                self._cut(member, writer, str(error))
            except OSError:
                pass  # the app went away with our messages unread (ECONNRESET): it left
        finally:
            if sender is not None:
                sender.cancel()
                await asyncio.gather(sender, return_exceptions=True)
            if member.writer is not None:
                member.writer.close()
            else:
                sock.close()
            self._leave(member)

    async def _receive(self, member: Member, reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            if not line.endswith(b"\n"):
                return  # the app ended mid-line: it is gone anyway
            if not member.bucket.take():
                raise ProtocolError(f"more than {self.settings.rate:g} messages a second")
            self._handle(member, decode_client(line))

    async def _send(self, member: Member, writer: asyncio.StreamWriter) -> None:
        """Write the latest of each kind, never a backlog; a slow reader blocks only here."""
        with contextlib.suppress(OSError):
            writer.write(encode_hub(Welcome(member.role, member.name)))
            member.wake.set()
            while True:
                await member.wake.wait()
                member.wake.clear()
                if member.want_class:
                    member.want_class = False
                    writer.write(self._class_line())
                if member.want_roster:
                    member.want_roster = False
                    writer.write(encode_hub(Roster(self.roster())))
                await writer.drain()
                await asyncio.sleep(self.settings.frame_interval)

    def _cut(self, member: Member, writer: asyncio.StreamWriter, reason: str) -> None:
        reason = printable(reason)
        log.warning("class: cut off %s (%s): %s", member.name, member.role, reason)
        self.cut_off.append((member.name, reason))
        with contextlib.suppress(OSError):
            writer.write(encode_hub(Bye(f"cut off: {reason}")))

    # -- what members say ---------------------------------------------------------------------

    def _handle(self, member: Member, message: ClientMessage) -> None:
        if member.role == "student":
            self._from_student(member, message)
        elif member is self._teacher:
            self._from_teacher(message)

    def _from_student(self, member: Member, message: ClientMessage) -> None:
        match message:
            case PublishStatus(status):
                member.status = status
                self._roster_dirty = True
            case PublishState(state):
                if last_epoch(state) > self.settings.max_student_epoch:
                    raise ProtocolError(
                        f"a state beyond epoch {self.settings.max_student_epoch} (served limit)"
                    )
                # Shown only while spotlighted; a late one after the teacher took it
                # back is harmless and dropped.
                if self._snapshot.spotlight == member.name:
                    self._update(source=member.name, state=state)
            case _:
                raise ProtocolError(f"a student may not send {type(message).__name__}")

    def _from_teacher(self, message: ClientMessage) -> None:
        match message:
            case PublishState(state):
                self._teacher_state = state
                if self._snapshot.spotlight is None:
                    self._update(source=TEACHER, state=state)
            case Push():
                self._update(
                    pushes=self._snapshot.pushes + 1,
                    spotlight=None,
                    **self._teacher_shown(),
                )
            case Spotlight(name):
                self._spotlight(name)
            case PauseClass(on):
                if on != self._snapshot.paused:
                    self._update(paused=on)
            case _:
                raise ProtocolError(f"the teacher may not send {type(message).__name__}")

    def _spotlight(self, name: str | None) -> None:
        if name is None:
            self._update(spotlight=None, **self._teacher_shown())
            return
        student = self._members.get(name)
        if student is None or student.role != "student":
            return  # left a moment ago: the teacher's roster shows it soon
        self._update(spotlight=name)

    def _teacher_shown(self) -> dict[str, Any]:
        if self._teacher_state is None:
            return {}
        return {"source": TEACHER, "state": self._teacher_state}

    # -- membership ---------------------------------------------------------------------------

    def _take_lead(self, member: Member) -> None:
        old = self._teacher
        if old is not None and old.writer is not None:
            log.info("class: a newer teacher session takes over")
            with contextlib.suppress(OSError):
                old.writer.write(encode_hub(Bye(TAKEN_OVER)))
            old.writer.close()
        self._teacher = member
        self._members[TEACHER] = member
        member.want_roster = True
        self._update(teacher=True)

    def _leave(self, member: Member) -> None:
        if self._members.get(member.name) is member:
            del self._members[member.name]
        log.info("class: %s left", member.name)
        if member is self._teacher:
            self._teacher = None
            self._update(teacher=False, paused=False, spotlight=None)
        elif member.role == "student":
            self._roster_dirty = True
            if self._snapshot.spotlight == member.name:
                self._update(spotlight=None, **self._teacher_shown())

    # -- the snapshot and its fan-out ---------------------------------------------------------

    def _update(self, **changes: Any) -> None:
        """Change snapshot fields; every member is sent the new snapshot (coalesced)."""
        old = self._snapshot
        state_changed = (
            changes.get("state", old.state) is not old.state
            or changes.get("source", old.source) != old.source
        )
        self._snapshot = replace(
            old,
            version=old.version + 1,
            state_version=old.state_version + state_changed,
            **changes,
        )
        self._snapshot_line = None
        for member in self._members.values():
            member.notify(class_=True)

    def _class_line(self) -> bytes:
        if self._snapshot_line is None:  # encoded once per version, whatever the class size
            self._snapshot_line = encode_hub(self._snapshot)
        return self._snapshot_line

    async def _roster_ticker(self) -> None:
        while True:
            await asyncio.sleep(self.settings.roster_interval)
            if self._roster_dirty and self._teacher is not None:
                self._roster_dirty = False
                self._teacher.notify(roster=True)
