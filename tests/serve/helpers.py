"""Shared by the serving tests: a loopback SSH client, screen reading, process checks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import asyncssh

from rnn_tui.serve.session_args import Experiment
from rnn_tui.serve.ssh_server import ClassroomServer
from rnn_tui.serve.throttle import ThrottleSettings

PASSWORD = "correct horse"
STAND_IN = Path(__file__).with_name("stand_in_app.py")
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
EPOCH = re.compile(r"\bepoch\W{0,3}(\d+)", re.IGNORECASE)


class Server(Protocol):
    async def start(self) -> None: ...
    async def close(self) -> None: ...


S = TypeVar("S", bound=Server)


@contextlib.asynccontextmanager
async def started_servers(
    build: Callable[..., S], pids: Callable[[S], Iterable[int]]
) -> AsyncIterator[Callable[..., Awaitable[S]]]:
    """start(**settings) -> a running server from ``build``; all closed at the end, and
    any app process ``pids`` still names is killed (a backstop: close() reaps them)."""
    servers: list[S] = []

    async def start(**overrides: Any) -> S:
        server = build(**overrides)
        await server.start()
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            await server.close()
            for pid in pids(server):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)


def loopback_settings(**fields: Any) -> dict[str, Any]:
    """What every test server shares: a free port, quick throttling and hang-ups."""
    return dict(port=0, throttle=ThrottleSettings(base_delay=0.01), hangup_grace=0.5) | fields


def stand_in(*flags: str) -> Callable[[Experiment], list[str]]:
    return lambda experiment: [sys.executable, str(STAND_IN), *flags, *experiment.argv()]


def connect(server: ClassroomServer, **options: Any) -> asyncssh.SSHClientConnection:
    """An asyncssh client that uses nothing of this machine's ~/.ssh (keys, agent, config)."""
    defaults: dict[str, Any] = dict(
        username="class",
        password=PASSWORD,
        known_hosts=None,
        client_keys=None,
        agent_path=None,
        config=[],
        connect_timeout=10,
    )
    return asyncssh.connect("127.0.0.1", server.port, **(defaults | options))  # type: ignore[return-value]


def text_of(raw: bytes) -> str:
    return ANSI.sub("", raw.decode("utf-8", "replace"))


class Screen:
    """What a session has printed since the last mark(), read until a pattern shows up."""

    def __init__(self, stream: asyncssh.SSHReader[bytes]) -> None:
        self.stream = stream
        self.raw = b""

    async def wait_for(
        self, pattern: str | re.Pattern[str], timeout: float = 15.0
    ) -> re.Match[str]:
        async with asyncio.timeout(timeout):
            while True:
                if found := re.search(pattern, text_of(self.raw)):
                    return found
                chunk = await self.stream.read(65536)
                if not chunk:
                    raise AssertionError(f"EOF before {pattern!r}; got {text_of(self.raw)!r}")
                self.raw += chunk

    def mark(self) -> None:
        """Forget what was read so far: the next wait_for looks at later output only."""
        self.raw = b""

    async def drain(self) -> None:
        """Read until the output has been quiet for a moment."""
        while True:
            try:
                async with asyncio.timeout(0.3):
                    chunk = await self.stream.read(65536)
            except TimeoutError:
                return
            if not chunk:
                return
            self.raw += chunk


def lingering(pids: Iterable[int]) -> list[int]:
    """Those of our children still in the process table, alive or zombie (never reaped).

    Checking the parent pid keeps a pid reused by some unrelated process from counting.
    """
    left = []
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):  # reaped before or while read
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
            left.append(pid)
    return left


async def wait_gone(pids: Iterable[int], timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    left = list(pids)
    while (left := lingering(left)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return left


async def until(check: Callable[[], object], timeout: float = 3.0) -> None:
    """Wait (polling) until ``check()`` holds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0
