"""Fixtures: an in-process classroom server on a free loopback port, always closed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncssh
import pytest

from rnn_tui.serve.auth import AuthPolicy
from rnn_tui.serve.ssh_server import ClassroomServer, ServeSettings

from .helpers import PASSWORD, loopback_settings, stand_in, started_servers

StartServer = Callable[..., Awaitable[ClassroomServer]]


@pytest.fixture(scope="session")
def host_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture
async def start_server(host_key: asyncssh.SSHKey) -> AsyncIterator[StartServer]:
    """start_server(**ServeSettings fields) -> a running server; the stand-in app by default."""

    def build(**overrides: Any) -> ClassroomServer:
        fields = loopback_settings(
            host_key=host_key, auth=AuthPolicy(password=PASSWORD), command=stand_in()
        )
        return ClassroomServer(ServeSettings(**(fields | overrides)))

    async with started_servers(build, lambda server: server.children) as start:
        yield start
