"""One app process on its own pseudo-terminal, seen from the server.

The child runs in a new session (setsid) with the pty's slave side as its
stdin/stdout/stderr; `app_entry` then makes the pty its controlling terminal.
The server keeps the master side: it reads the app's output from it, writes the
student's keys to it, and sets the window size on it (TIOCSWINSZ), which makes
the kernel send SIGWINCH to the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import re
import signal
import struct
import sys
import termios
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .app_entry import NO_FILES_ENV, SERVED_ENV
from .session_args import Experiment

READ_CHUNK = 256 * 1024  # the most one frame sends a student
MAX_PENDING_INPUT = 64 * 1024  # keys beyond this, while the app is not reading, are dropped
HANGUP_GRACE = 2.0  # seconds between SIGHUP and SIGKILL
TERM_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
FALLBACK_TERM = "xterm-256color"


@dataclass(frozen=True)
class RunAs:
    """The account the apps run as, when the server runs as root."""

    name: str
    uid: int
    gid: int
    home: str


@dataclass(frozen=True)
class TermSize:
    cols: int
    rows: int
    xpixels: int = 0
    ypixels: int = 0

    def clamped(self) -> TermSize:
        """Sizes a client may send but a pty cannot hold (0 means unknown: use 80x24)."""
        return TermSize(
            min(self.cols, 1000) or 80,
            min(self.rows, 1000) or 24,
            min(self.xpixels, 65535),
            min(self.ypixels, 65535),
        )


def app_command(experiment: Experiment) -> list[str]:
    """The argv of every served app (SSH and browser): the same interpreter, never a shell."""
    return [sys.executable, "-m", "rnn_tui.serve.app_entry", *experiment.argv()]


def served_child_env(
    term: str, home: str | None, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The whole environment of a served app (SSH and browser), built from nothing.

    Nothing of the server's own environment (the class password, cloud keys) reaches
    a student's app. Data files are off and the app knows it is served over SSH;
    `extra` (the server's limits, RNN_TUI_SERVED=web, ...) adds to or replaces these.
    """
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": home or os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "TERM": term if TERM_PATTERN.fullmatch(term) else FALLBACK_TERM,
        SERVED_ENV: "ssh",
        NO_FILES_ENV: "1",
        # One BLAS thread per student: 40 apps each starting a thread per core thrash.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name in ("PYTHONPATH", "VIRTUAL_ENV"):  # where the app's own code is installed
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra or {})
    return env


class PtyChild:
    """Spawn with :meth:`spawn`; end with :meth:`terminate` (always: it also reaps)."""

    def __init__(self, process: asyncio.subprocess.Process, master_fd: int) -> None:
        self._process = process
        self._fd = master_fd
        self._pending = bytearray()
        self._closed = False

    @classmethod
    async def spawn(
        cls,
        argv: Sequence[str],
        env: Mapping[str, str],
        size: TermSize,
        run_as: RunAs | None = None,
        pass_fds: Sequence[int] = (),
    ) -> PtyChild:
        """Start ``argv`` on a new pty; ``pass_fds`` (the class channel) stay open in it."""
        master, slave = os.openpty()  # both close-on-exec (PEP 446) until dup'ed to 0-2
        try:
            if run_as is not None:
                os.fchown(slave, run_as.uid, -1)  # the app must own its terminal to use it
            _set_size(master, size)  # before the app starts, so its first frame fits
            os.set_blocking(master, False)
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                start_new_session=True,
                pass_fds=tuple(pass_fds),
                extra_groups=[] if run_as else None,
                user=None if run_as is None else run_as.uid,
                group=None if run_as is None else run_as.gid,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)  # the child holds its own copies; EOF comes when it exits
        return cls(process, master)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    async def read(self) -> bytes:
        """The app's next output (whatever is ready), or b"" once it has closed the pty."""
        loop = asyncio.get_running_loop()
        while not self._closed:
            try:
                return self._drain(os.read(self._fd, READ_CHUNK))
            except BlockingIOError:
                pass
            except OSError as error:
                if error.errno == errno.EIO:  # Linux: every slave fd is closed
                    return b""
                raise
            ready: asyncio.Future[None] = loop.create_future()
            loop.add_reader(self._fd, _set_once, ready)
            try:
                await ready
            finally:
                loop.remove_reader(self._fd)
        return b""

    def _drain(self, first: bytes) -> bytes:
        """`first` and whatever else is ready now: a pty hands out at most 4095 bytes per
        read, so one read per frame would spread a full-screen redraw over many frames."""
        chunks = [first]
        size = len(first)
        while first and size < READ_CHUNK:
            try:
                first = os.read(self._fd, READ_CHUNK - size)
            except OSError:  # nothing more ready (EAGAIN) or the app closed it (EIO)
                break
            chunks.append(first)
            size += len(first)
        return b"".join(chunks)

    def write(self, data: bytes) -> None:
        """Send keys to the app; never blocks the server."""
        if self._closed:
            return
        room = MAX_PENDING_INPUT - len(self._pending)
        had_pending = bool(self._pending)
        self._pending += data[: max(room, 0)]
        if not had_pending:
            self._flush()

    def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            written = os.write(self._fd, self._pending)
        except BlockingIOError:
            written = 0
        except OSError:  # the app is gone; its exit is noticed by read()
            self._pending.clear()
            written = 0
        del self._pending[:written]
        loop.remove_writer(self._fd)
        if self._pending and not self._closed:
            loop.add_writer(self._fd, self._flush)

    def resize(self, size: TermSize) -> None:
        if not self._closed:
            with contextlib.suppress(OSError):
                _set_size(self._fd, size)

    async def terminate(self, grace: float = HANGUP_GRACE) -> int:
        """End the app (SIGHUP, then SIGKILL after `grace` seconds), reap it, free the pty."""
        returncode = await hang_up(self._process, grace)
        self.close()
        return returncode

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            loop = asyncio.get_running_loop()
            loop.remove_reader(self._fd)
            loop.remove_writer(self._fd)
            os.close(self._fd)


async def hang_up(process: asyncio.subprocess.Process, grace: float = HANGUP_GRACE) -> int:
    """End a child started with start_new_session: SIGHUP to its whole process group,
    then SIGKILL to what is left of the group once the child has gone or `grace`
    seconds have passed (a helper that ignores SIGHUP goes with it); reap the child."""
    if process.returncode is None:
        _signal_group(process.pid, signal.SIGHUP)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(process.wait()), grace)
        # Within moments of its end: the group id cannot have been reused so soon.
        _signal_group(process.pid, signal.SIGKILL)
    return await process.wait()


def _set_once(future: asyncio.Future[None]) -> None:
    if not future.done():  # the reader may fire again before it is removed
        future.set_result(None)


def _set_size(fd: int, size: TermSize) -> None:
    size = size.clamped()
    packed = struct.pack("HHHH", size.rows, size.cols, size.xpixels, size.ypixels)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, packed)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The child leads its own session and process group (setsid), so its pgid is its pid.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
