"""Fixtures: an in-process classroom server on a free loopback port, always closed."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncssh
import pytest

from rnn_tui.serve.auth import AuthPolicy
from rnn_tui.serve.ssh_server import ClassroomServer, ServeSettings
from rnn_tui.serve.throttle import ThrottleSettings

from .helpers import PASSWORD, stand_in

StartServer = Callable[..., Awaitable[ClassroomServer]]


@pytest.fixture(scope="session")
def host_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture
async def start_server(host_key: asyncssh.SSHKey) -> AsyncIterator[StartServer]:
    """start_server(**ServeSettings fields) -> a running server; the stand-in app by default."""
    servers: list[ClassroomServer] = []

    async def start(**overrides: Any) -> ClassroomServer:
        fields: dict[str, Any] = dict(
            host_key=host_key,
            port=0,
            auth=AuthPolicy(password=PASSWORD),
            throttle=ThrottleSettings(base_delay=0.01),
            hangup_grace=0.5,
            command=stand_in(),
        )
        server = ClassroomServer(ServeSettings(**(fields | overrides)))
        await server.start()
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            await server.close()
            for pid in server.children:  # a backstop only: close() has reaped them all
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
