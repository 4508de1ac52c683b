"""One browser tab's app process, seen from the web server.

The app runs Textual's web driver, which speaks textual-serve's packet protocol on
its stdin/stdout: a prelude line `__GANGLION__`, then packets of one type byte
(D data, M meta, P packed), a 4-byte big-endian length and the payload. The
process is our own child (never a shell), in its own session, so ending a tab ends
its whole process group: SIGHUP, SIGKILL after a grace period, and it is reaped
before the tab's seat is free (textual-serve's own service asks the app to quit and
waits for it forever).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence

from .child import HANGUP_GRACE, TermSize, hang_up

log = logging.getLogger("rnn_tui.serve")

PRELUDE = b"__GANGLION__\n"
PRELUDE_LINES = 10  # textual-serve's bound on start-up chatter before the prelude
MAX_PACKET = 16 * 1024 * 1024  # a frame of the largest screen is ~1 MB; beyond: broken app
STDERR_KEPT = 2048  # the tail of the app's stderr, logged when it fails


def web_app_env(base: Mapping[str, str], size: TermSize) -> dict[str, str]:
    """What Textual's web driver needs, on top of the served apps' scrubbed environment."""
    return {
        **base,
        "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
        "TEXTUAL_COLOR_SYSTEM": "truecolor",
        "TERM_PROGRAM": "textual",
        "COLUMNS": str(size.cols),
        "ROWS": str(size.rows),
    }


def requested_size(width: object, height: object) -> TermSize:
    """A size a browser asked for, within what an app may allocate (as over SSH)."""
    return TermSize(_cells(width), _cells(height)).clamped()


def _cells(value: object) -> int:
    # From a query string or a JSON message: digits, a number, or anything at all.
    if isinstance(value, str) and value.isdecimal() and len(value) < 8:
        return int(value)
    if isinstance(value, int | float) and 0 <= value < 1e6:
        return int(value)
    return 0  # TermSize.clamped reads 0 as "unknown"


class WebApp:
    """Spawn with :meth:`spawn`; end with :meth:`stop` (always: it also reaps)."""

    def __init__(
        self,
        process: asyncio.subprocess.Process,
        stdin: asyncio.StreamWriter,
        stdout: asyncio.StreamReader,
        stderr: asyncio.StreamReader,
        transports: list[asyncio.BaseTransport],
    ) -> None:
        self._process = process
        self._stdin = stdin
        self._stdout = stdout
        self._transports = transports
        self._stderr_tail = b""
        self._stderr_task = asyncio.create_task(self._keep_stderr_tail(stderr))

    @classmethod
    async def spawn(
        cls, argv: Sequence[str], env: Mapping[str, str], pass_fds: Sequence[int] = ()
    ) -> WebApp:
        """Start ``argv``; ``pass_fds`` (the class channel) stay open in it."""
        # Our own pipes, not asyncio's PIPE: with those, wait() also waits for the
        # pipes to close, which never happens while a paused reader holds a full one.
        in_read, in_write = os.pipe()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=in_read,
                stdout=out_write,
                stderr=err_write,
                env=dict(env),
                start_new_session=True,  # its own process group, ended as one
                pass_fds=tuple(pass_fds),
            )
        except BaseException:
            for fd in (in_write, out_read, err_read):
                os.close(fd)
            raise
        finally:
            for fd in (in_read, out_write, err_write):  # the child holds its own copies
                os.close(fd)
        try:
            return await cls._connect(process, in_write, out_read, err_read)
        except BaseException:
            await hang_up(process, grace=0)
            raise

    @classmethod
    async def _connect(
        cls, process: asyncio.subprocess.Process, in_write: int, out_read: int, err_read: int
    ) -> WebApp:
        loop = asyncio.get_running_loop()
        stdout, stderr = asyncio.StreamReader(), asyncio.StreamReader()
        out, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(stdout), os.fdopen(out_read, "rb", 0)
        )
        err, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(stderr), os.fdopen(err_read, "rb", 0)
        )
        into, protocol = await loop.connect_write_pipe(
            lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader()),
            os.fdopen(in_write, "wb", 0),
        )
        stdin = asyncio.StreamWriter(into, protocol, None, loop)
        return cls(process, stdin, stdout, stderr, [out, err, into])

    @property
    def pid(self) -> int:
        return self._process.pid

    async def frames(self) -> AsyncIterator[bytes]:
        """The app's screen output, until it exits or asks the tab to close."""
        stdout = self._stdout
        try:
            for _ in range(PRELUDE_LINES):
                if await stdout.readline() in (PRELUDE, b""):
                    break
            while True:
                kind = await stdout.readexactly(1)
                size = int.from_bytes(await stdout.readexactly(4), "big")
                if size > MAX_PACKET:
                    log.warning("app pid=%d sent a %d-byte packet: closed", self.pid, size)
                    return
                payload = await stdout.readexactly(size)
                if kind == b"D":
                    yield payload
                elif kind == b"M" and _meta_type(payload) == "exit":
                    return
                # Anything else (file deliveries, URLs to open) is not for a served app.
        except (asyncio.IncompleteReadError, ValueError, ConnectionError):
            return

    async def send_keys(self, text: str) -> None:
        await self._send(b"D", text.encode("utf-8", "replace"))

    async def resize(self, size: TermSize) -> None:
        await self._send_meta({"type": "resize", "width": size.cols, "height": size.rows})

    async def focus(self, focused: bool) -> None:
        await self._send_meta({"type": "focus" if focused else "blur"})

    async def _send_meta(self, meta: dict[str, object]) -> None:
        await self._send(b"M", json.dumps(meta).encode())

    async def _send(self, kind: bytes, payload: bytes) -> None:
        stdin = self._stdin
        if stdin.is_closing():
            return
        stdin.write(kind + len(payload).to_bytes(4, "big") + payload)
        # An app that stops reading holds back its own tab's input only; one that is
        # gone makes frames() end.
        with contextlib.suppress(ConnectionError):
            await stdin.drain()

    async def stop(self, grace: float = HANGUP_GRACE) -> int:
        """End the app's process group (SIGHUP, then SIGKILL) and reap it."""
        for transport in self._transports:  # an app still writing gets EPIPE, not a wait
            transport.close()
        returncode = await hang_up(self._process, grace)
        await self._stderr_task
        if returncode not in (0, -1, -9) and self._stderr_tail:
            tail = self._stderr_tail.decode("utf-8", "replace").strip().splitlines()
            log.warning("app pid=%d ended with %d: %s", self.pid, returncode, " | ".join(tail))
        return returncode

    async def _keep_stderr_tail(self, stderr: asyncio.StreamReader) -> None:
        while chunk := await stderr.read(65536):
            self._stderr_tail = (self._stderr_tail + chunk)[-STDERR_KEPT:]


def _meta_type(payload: bytes) -> object:
    try:
        meta = json.loads(payload)
    except ValueError:
        return None
    return meta.get("type") if isinstance(meta, dict) else None
