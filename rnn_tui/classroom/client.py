"""An app process's end of the class channel: read the class, publish ours. No Textual here.

Two daemon threads, so the app's event loop never waits on the hub: a reader keeps
only the newest class snapshot and roster (memory stays bounded whatever the hub
sends), a writer sends only the newest state (at most one batch each
``send_interval``) and the newest status (at most one each ``status_interval``), so
publishing every frame never floods the hub.

The app polls :meth:`ClassLink.take_news` once a frame (or passes ``on_news``,
called from the reader thread: with Textual, forward it with ``call_from_thread``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .protocol import (
    CLASS_FD_ENV,
    MAX_HUB_LINE,
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
    StudentStatus,
    Welcome,
    decode_hub,
    encode_client,
    printable,
)

log = logging.getLogger("rnn_tui.classroom")

MAX_COMMANDS = 16  # teacher actions waiting to be sent; a key held down drops the excess
COMMANDS_PER_BATCH = 4  # with a state and a status: at most 120 lines a second
READ_CHUNK = 64 * 1024


class ClassRoleError(RuntimeError):
    """A teacher action asked of a student's link (a bug in the app, not the student's doing)."""


@dataclass(frozen=True)
class News:
    """What changed since the last :meth:`ClassLink.take_news`."""

    class_changed: bool = False  # a new snapshot: read ``snapshot()``
    state_changed: bool = False  # the followed state itself changed
    pushed: bool = False  # the teacher pushed: explorers come back, with a notice
    roster_changed: bool = False  # teacher: a new roster
    closed: bool = False  # the channel ended: ``goodbye`` says why, if the hub said

    def __bool__(self) -> bool:
        return self.class_changed or self.roster_changed or self.closed


class ClassLink:
    def __init__(
        self,
        sock: socket.socket,
        *,
        send_interval: float = 0.05,
        status_interval: float = 0.25,
        on_news: Callable[[], None] | None = None,
    ) -> None:
        sock.setblocking(True)
        self._sock = sock
        self._send_interval = send_interval
        self._status_interval = status_interval
        self._status_sent = -math.inf
        self._on_news = on_news
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._welcome: Welcome | None = None
        self._ready = threading.Event()
        self._snapshot: ClassSnapshot | None = None
        self._roster: tuple[RosterEntry, ...] = ()
        self._seen_version = 0
        self._seen_state_version = 0
        self._seen_pushes = 0
        self._roster_new = False
        self._closed = False
        self._closed_told = False
        self.goodbye: str | None = None
        self._state: LessonState | None = None
        self._status: StudentStatus | None = None
        self._commands: deque[ClientMessage] = deque(maxlen=MAX_COMMANDS)
        self._reader = threading.Thread(target=self._read, name="class-link-read", daemon=True)
        self._writer = threading.Thread(target=self._write, name="class-link-write", daemon=True)
        self._reader.start()
        self._writer.start()

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] = os.environ,
        *,
        send_interval: float = 0.05,
        status_interval: float = 0.25,
        on_news: Callable[[], None] | None = None,
    ) -> ClassLink | None:
        """The link the server handed this process, or None outside class mode."""
        value = environ.get(CLASS_FD_ENV)
        if value is None:
            return None
        try:
            fd = int(value)
            sock = socket.socket(fileno=fd)
        except (ValueError, OSError) as error:
            log.warning("class mode off: %s=%s is no channel (%s)", CLASS_FD_ENV, value, error)
            return None
        os.set_inheritable(fd, False)  # a process the app starts gets no say in the class
        return cls(
            sock, send_interval=send_interval, status_interval=status_interval, on_news=on_news
        )

    # -- who we are ------------------------------------------------------------------------

    def wait_ready(self, timeout: float | None = None) -> bool:
        """True once the hub has said who we are (or the channel ended)."""
        return self._ready.wait(timeout)

    @property
    def role(self) -> Role | None:
        return None if self._welcome is None else self._welcome.role

    @property
    def name(self) -> str | None:
        return None if self._welcome is None else self._welcome.name

    @property
    def closed(self) -> bool:
        return self._closed

    # -- the class as last heard -------------------------------------------------------------

    def snapshot(self) -> ClassSnapshot | None:
        return self._snapshot

    def latest(self) -> LessonState | None:
        """The newest state the class follows (the teacher's or the spotlighted student's)."""
        snapshot = self._snapshot
        return None if snapshot is None else snapshot.state

    def roster(self) -> tuple[RosterEntry, ...]:
        return self._roster

    @property
    def spotlighted(self) -> bool:
        """This student is in the spotlight: the app should publish its full state."""
        snapshot = self._snapshot
        return snapshot is not None and self.name is not None and snapshot.spotlight == self.name

    def take_news(self) -> News:
        with self._lock:
            snapshot = self._snapshot
            news = News(closed=self._closed and not self._closed_told)
            self._closed_told = self._closed
            if snapshot is not None and snapshot.version != self._seen_version:
                news = News(
                    class_changed=True,
                    state_changed=snapshot.state_version != self._seen_state_version,
                    pushed=snapshot.pushes > self._seen_pushes,
                    closed=news.closed,
                )
                self._seen_version = snapshot.version
                self._seen_state_version = snapshot.state_version
                self._seen_pushes = snapshot.pushes
            if self._roster_new:
                self._roster_new = False
                news = replace(news, roster_changed=True)
            return news

    # -- what we say -------------------------------------------------------------------------

    def publish_status(self, status: StudentStatus) -> None:
        with self._wake:
            self._status = status
            self._wake.notify()

    def publish_state(self, state: LessonState) -> None:
        """The teacher's state, or a spotlighted student's (the hub drops it otherwise)."""
        with self._wake:
            self._state = state
            self._wake.notify()

    def push(self) -> None:
        self._command(Push())

    def spotlight(self, name: str | None) -> None:
        """Follow ``name``'s run; None gives the class back to the teacher."""
        self._command(Spotlight(name))

    def pause_class(self, on: bool) -> None:
        self._command(PauseClass(on))

    def _command(self, message: ClientMessage) -> None:
        if self.role != "teacher":
            raise ClassRoleError(f"only the teacher may {type(message).__name__.lower()}")
        with self._wake:
            self._commands.append(message)
            self._wake.notify()

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._reader.join(1)
        self._writer.join(1)
        self._sock.close()

    # -- the threads -------------------------------------------------------------------------

    def _read(self) -> None:
        buffer = bytearray()
        try:
            while chunk := self._sock.recv(READ_CHUNK):
                buffer += chunk
                while (end := buffer.find(b"\n")) >= 0:
                    line = bytes(buffer[: end + 1])
                    del buffer[: end + 1]
                    self._receive(decode_hub(line))
                if len(buffer) > MAX_HUB_LINE:
                    raise ProtocolError(f"hub line longer than {MAX_HUB_LINE} bytes")
        except (OSError, ProtocolError) as error:
            if not self._closed:
                log.warning("class channel ended: %s", printable(str(error)))
        finally:
            self._end()

    def _receive(self, message: object) -> None:
        with self._lock:
            match message:
                case Welcome():
                    self._welcome = message
                    self._ready.set()
                case ClassSnapshot():
                    self._snapshot = message
                case Roster(students):
                    self._roster = students
                    self._roster_new = True
                case Bye(reason):
                    self.goodbye = reason
        self._tell()

    def _end(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._ready.set()
        self._tell()

    def _tell(self) -> None:
        if self._on_news is None:
            return
        try:
            self._on_news()
        except Exception:  # the app's bug: it must not end the class link
            log.exception("class link: on_news failed")

    def _write(self) -> None:
        try:
            while True:
                with self._wake:
                    while not self._closed and not (batch := self._take_batch()):
                        self._wake.wait(self._status_due_in())
                    if self._closed:
                        return
                self._sock.sendall(b"".join(map(_encoded, batch)))
                time.sleep(self._send_interval)  # coalesce what comes meanwhile
        except OSError:
            self._end()

    def _status_due_in(self) -> float | None:
        """Seconds until a pending status may go (None: nothing pending, wait for news)."""
        if self._status is None:
            return None
        return max(0.0, self._status_sent + self._status_interval - time.monotonic())

    def _take_batch(self) -> list[ClientMessage]:
        """What to send now: queued actions, the newest state, the newest status when due."""
        batch: list[ClientMessage] = []
        while self._commands and len(batch) < COMMANDS_PER_BATCH:
            batch.append(self._commands.popleft())
        if self._state is not None:
            batch.append(PublishState(self._state))
            self._state = None
        if self._status is not None and self._status_due_in() == 0:
            batch.append(PublishStatus(self._status))
            self._status = None
            self._status_sent = time.monotonic()
        return batch


def _encoded(message: ClientMessage) -> bytes:
    """``message`` as a line, or nothing if it cannot be encoded (a bug: logged; the link
    goes on, where the writer thread would end and silence the class)."""
    try:
        return encode_client(message)
    except (TypeError, ValueError):
        log.exception("class link: a message could not be encoded, dropped")
        return b""
