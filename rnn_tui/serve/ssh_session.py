"""One student's SSH session: check what they asked for, run their app, relay the terminal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import asyncssh

from ..classroom.protocol import Role
from .child import PtyChild, RunAs, TermSize, served_child_env
from .class_hub import ChannelEnd
from .limits import NICE_ENV
from .session_args import Experiment, RefusedArgs, session_experiment

log = logging.getLogger("rnn_tui.serve")

# Leaves the alternate screen, shows the cursor, stops mouse reporting and bracketed
# paste: a killed app cannot tidy up, and the student's terminal must be usable after.
TERMINAL_RESET = (
    b"\x1b[0m\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\r\n"
)
CLIENT_ENV = ("COLORTERM", "NO_COLOR")  # what a student's client may pass to the app
MAX_FRAME_BYTES = 1024 * 1024  # output held for the next write; beyond it, the app waits


@dataclass(frozen=True)
class SessionSettings:
    default: Experiment
    idle_timeout: float  # seconds without a key press; 0 = never
    fps: int  # frames per second sent to the student, at most
    hangup_grace: float
    command: Callable[[Experiment], list[str]]  # the app's argv for an experiment
    run_as: RunAs | None = None
    child_env: Mapping[str, str] | None = None  # added to every app's environment


class Registry(Protocol):
    """The server's book of running sessions (admission, live children, the class)."""

    def admit(self, role: Role) -> bool: ...
    def release(self, role: Role) -> None: ...
    def started(self, child: PtyChild) -> None: ...
    def ended(self, child: PtyChild) -> None: ...
    def class_channel(self, role: Role, user: str) -> ChannelEnd | None: ...


class Refusal(Exception):
    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class ClassroomSession(asyncssh.SSHServerSession[bytes]):
    def __init__(
        self,
        settings: SessionSettings,
        registry: Registry,
        who: str,
        on_done: Callable[[ClassroomSession], None],
        on_closed: Callable[[], None] = lambda: None,
        role: Role = "student",
        user: str = "student",
    ) -> None:
        self._settings = settings
        self._registry = registry
        self._who = who
        self._role = role  # from authentication, never from the app
        self._user = user
        self._on_done = on_done
        self._on_closed = on_closed
        self.closed = False  # the channel is gone: the connection may open another session
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._command: str | None = None
        self._child: PtyChild | None = None
        self._pump: asyncio.Task[None] | None = None
        self._writable = asyncio.Event()
        self._writable.set()
        self._last_input = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None
        self._farewell = ""
        self._lost = False
        self.task: asyncio.Task[None] | None = None

    # -- what the client asks for ---------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object
    ) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self._command = command  # checked against the allow-list in _run, with a message
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused %s: subsystem %r", self._who, subsystem)
        self._close()
        return False

    def session_started(self) -> None:
        self.task = asyncio.create_task(self._run())

    # -- while it runs ----------------------------------------------------------------

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self._last_input = asyncio.get_running_loop().time()
        if self._child is not None:
            self._child.write(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        if self._child is not None:
            self._child.resize(TermSize(width, height, pixwidth, pixheight))

    def eof_received(self) -> bool:
        return True  # stay open: the app ends the session, or the client disconnects

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = True
        self._stop_pump("")
        self._close()

    def _close(self) -> None:
        """This session is over (refused, ended or gone): its connection may open another."""
        if not self.closed:
            self.closed = True
            self._on_closed()

    # -- the session's life -------------------------------------------------------------

    async def _run(self) -> None:
        chan = self._chan
        assert chan is not None
        try:
            status = await self._serve(chan)
        except Refusal as refusal:
            log.info("refused %s: %s", self._who, refusal)
            chan.write_stderr(f"rnn-tui: {refusal}\r\n".encode())
            status = refusal.status
        except Exception:
            log.exception("session %s failed", self._who)
            status = 1
        finally:
            self._on_done(self)
            self._close()
        with contextlib.suppress(OSError, asyncssh.Error):
            chan.exit(status)

    async def _serve(self, chan: asyncssh.SSHServerChannel[bytes]) -> int:
        try:
            experiment = session_experiment(self._command, self._settings.default)
        except RefusedArgs as error:
            raise Refusal(str(error), status=2) from None
        term = chan.get_terminal_type()
        if term is None:
            raise Refusal(
                "this is an interactive simulator and needs a terminal; connect with "
                "`ssh -t ...` (a command after the host turns the terminal off unless -t)"
            )
        if not self._registry.admit(self._role):
            raise Refusal(
                "the class is full right now: every seat is taken. "
                "Please try again in a minute, or ask your teacher."
            )
        try:
            return await self._run_app(chan, term, experiment)
        finally:
            self._registry.release(self._role)

    async def _run_app(
        self, chan: asyncssh.SSHServerChannel[bytes], term: str, experiment: Experiment
    ) -> int:
        env = self._child_env(term, chan.get_environment())
        size = TermSize(*chan.get_terminal_size())
        argv = self._settings.command(experiment)
        child = await self._spawn(argv, env, size)
        self._child = child
        self._registry.started(child)
        args = " ".join(experiment.argv()) or "(default experiment)"
        log.info("session %s pid=%d %s", self._who, child.pid, args)
        if not self._lost:  # the student may have left while the app was starting
            self._pump = asyncio.create_task(self._relay(chan, child))
            self._start_idle_timer()
        try:
            if self._pump is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await self._pump
        finally:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            status = await child.terminate(self._settings.hangup_grace)
            self._registry.ended(child)
            self._child = None
        with contextlib.suppress(OSError, asyncssh.Error):
            chan.write(TERMINAL_RESET + self._farewell.encode())
        return status if status >= 0 else 128 - status

    async def _spawn(self, argv: list[str], env: dict[str, str], size: TermSize) -> PtyChild:
        """Start the app with its end of the class channel (if the server keeps a class)."""
        channel = self._registry.class_channel(self._role, self._user)
        if channel is None:
            return await PtyChild.spawn(argv, env, size, self._settings.run_as)
        try:
            return await PtyChild.spawn(
                argv, env | channel.env(), size, self._settings.run_as, pass_fds=(channel.fd,)
            )
        finally:
            channel.close()  # the app holds its own copy; the hub sees EOF when the app ends

    async def _relay(self, chan: asyncssh.SSHServerChannel[bytes], child: PtyChild) -> None:
        """Copy the app's output to the student, at most `fps` writes a second.

        The pty is read as soon as the app writes (a pty holds only a few KB, and an
        app blocked on a full one draws nothing), and what arrives within one interval
        goes out in one write: a fast-running app costs the network one write per
        interval, a full-screen redraw goes out at once, and a keystroke after a quiet
        spell is echoed without delay. A slow client (SSH flow control) blocks the
        reading, so only its own app waits.
        """
        loop = asyncio.get_running_loop()
        interval = 1.0 / self._settings.fps
        pending = bytearray()
        due = loop.time()
        with contextlib.suppress(OSError, asyncssh.Error):  # the channel closed under us
            while True:
                if pending and (loop.time() >= due or len(pending) >= MAX_FRAME_BYTES):
                    await asyncio.sleep(max(0.0, due - loop.time()))
                    chan.write(bytes(pending))
                    pending.clear()
                    await self._writable.wait()
                    due = loop.time() + interval
                wait = max(due - loop.time(), 0.001) if pending else None
                try:
                    data = await asyncio.wait_for(child.read(), wait)
                except TimeoutError:
                    continue  # the interval is over: send what has come
                if not data:
                    if pending:
                        chan.write(bytes(pending))
                    return
                pending += data

    def _stop_pump(self, farewell: str) -> None:
        self._farewell = farewell
        if self._pump is not None:
            self._pump.cancel()

    # -- idle timeout --------------------------------------------------------------------

    def _start_idle_timer(self) -> None:
        if self._settings.idle_timeout > 0:
            self._last_input = asyncio.get_running_loop().time()
            self._schedule_idle_check(self._settings.idle_timeout)

    def _schedule_idle_check(self, delay: float) -> None:
        self._idle_timer = asyncio.get_running_loop().call_later(delay, self._idle_check)

    def _idle_check(self) -> None:
        # One timer per session, re-armed from the last key press, not one per key.
        timeout = self._settings.idle_timeout
        left = self._last_input + timeout - asyncio.get_running_loop().time()
        if left > 0:
            self._schedule_idle_check(left)
            return
        log.info("idle %s: closed after %s without input", self._who, _minutes(timeout))
        self._stop_pump(
            f"rnn-tui: closed after {_minutes(timeout)} without a key press. "
            "Connect again to start afresh.\r\n"
        )

    # -- the app's environment -----------------------------------------------------------

    def _child_env(self, term: str, client_env: Mapping[str, str]) -> dict[str, str]:
        """The app's environment: the served one, the server's limits, a client's colours."""
        extra = dict(self._settings.child_env or {})
        for name in CLIENT_ENV:
            value = client_env.get(name)
            if isinstance(value, str) and len(value) < 64 and value.isprintable():
                extra[name] = value
        if self._role == "teacher":  # every follower waits on the teacher's frames
            extra[NICE_ENV] = "0"
        run_as = self._settings.run_as
        return served_child_env(term, run_as.home if run_as else None, extra)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
