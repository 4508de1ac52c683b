"""What a hostile student can try against `rnn-tui serve`, each against a real server.

Password guessing, connection floods, several seats from one connection, idle
signed-in connections, forged log lines and a slow relay: each case is refused or
bounded, and a student who knows the password still gets in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import asyncssh
import pytest

from rnn_tui.serve.logsafe import install_log_safety
from rnn_tui.serve.throttle import ThrottleSettings

from .conftest import StartServer
from .helpers import connect
from .test_ssh_server import TERM, open_app

FAST_THROTTLE = ThrottleSettings(
    tries_per_connection=3, failures_per_address=2, base_delay=0.01, max_delay=0.5
)


class Guesser(asyncssh.SSHClient):
    """A client that tries password after password on one connection."""

    tried = 0

    def password_auth_requested(self) -> str:
        Guesser.tried += 1
        return f"guess-{Guesser.tried}"


@pytest.fixture
def safe_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    install_log_safety()
    with caplog.at_level(logging.INFO, logger="rnn_tui.serve"):
        yield caplog


async def guess(server_port: int) -> None:
    """One connection's worth of wrong passwords; returns once the server gives up on it."""
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError, OSError)):
        async with asyncssh.connect(
            "127.0.0.1", server_port, username="class", client_factory=Guesser,
            known_hosts=None, client_keys=None, agent_path=None, config=[],
            connect_timeout=10,
        ):  # fmt: skip
            pass


async def test_three_tries_per_connection(start_server: StartServer) -> None:
    server = await start_server(throttle=FAST_THROTTLE)
    Guesser.tried = 0
    await guess(server.port)
    assert Guesser.tried == 3


async def test_wrong_replies_back_off_beyond_the_address_budget(start_server: StartServer) -> None:
    throttle = ThrottleSettings(failures_per_address=1, base_delay=0.05, max_delay=0.2)
    server = await start_server(throttle=throttle)
    await guess(server.port)  # replies held 0.05, 0.1, 0.2 s: doubling over the budget
    started = time.monotonic()
    await guess(server.port)  # each reply now held the longest, 0.2 s
    assert time.monotonic() - started > 0.55


async def test_right_password_gets_in_during_a_guessing_flood(start_server: StartServer) -> None:
    """A class behind NAT shares the guesser's address: the student is not locked out."""
    server = await start_server(throttle=FAST_THROTTLE)
    stop = asyncio.Event()

    async def keep_guessing() -> None:
        while not stop.is_set():
            await guess(server.port)

    attackers = [asyncio.create_task(keep_guessing()) for _ in range(10)]
    try:
        await asyncio.sleep(0.7)  # well over budget: every wrong reply now waits 0.5 s
        budget = server.failures
        assert budget.over_budget("127.0.0.1")
        started = time.monotonic()
        async with connect(server) as conn:
            await open_app(conn)
        assert time.monotonic() - started < 3.0
        guesses_before = budget.recent
        await asyncio.sleep(0.5)
        # Ten connections, one answer per 0.5 s each: about 10 guesses in 0.5 s at most.
        assert budget.recent - guesses_before <= 20
    finally:
        stop.set()
        await asyncio.gather(*attackers, return_exceptions=True)


async def test_one_session_per_connection(start_server: StartServer) -> None:
    server = await start_server()
    async with connect(server) as conn:
        await open_app(conn)
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_process(term_type=TERM[0], term_size=TERM[1])
    assert len(server.spawned) == 1


async def test_connections_per_address_are_capped(start_server: StartServer) -> None:
    server = await start_server(connections_per_address=2)
    async with connect(server), connect(server):
        with pytest.raises((asyncssh.Error, OSError)):
            async with connect(server):
                pass
    async with connect(server) as conn:  # the cap counts open connections only
        await open_app(conn)


async def test_handshake_flood_cannot_keep_a_student_out(start_server: StartServer) -> None:
    """Idle TCP connections that never sign in take a slot each; the oldest make room."""
    server = await start_server(max_pending=5, login_timeout=30)
    loop = asyncio.get_running_loop()
    flood = []
    for _ in range(20):
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", server.port))
        flood.append(sock)
    await asyncio.sleep(0.2)
    assert server.pending <= 5
    started = time.monotonic()
    async with connect(server) as conn:
        await open_app(conn)
    assert time.monotonic() - started < 3.0
    for sock in flood:
        sock.close()


async def test_signed_in_connection_without_session_is_closed(start_server: StartServer) -> None:
    server = await start_server(sessionless_timeout=0.3)
    async with connect(server) as conn:  # like `ssh -N`: signs in, opens nothing
        async with asyncio.timeout(5):
            await conn.wait_closed()


class Forger(asyncssh.SSHClient):
    """Says goodbye before signing in, with a reason that would forge a log line."""

    def connection_made(self, conn: asyncssh.SSHClientConnection) -> None:
        self.conn = conn

    def password_auth_requested(self) -> str:
        self.conn.disconnect(asyncssh.DISC_PROTOCOL_ERROR, "bye\n2026 login admin\x1b[2J")
        return "x"


async def test_client_text_cannot_forge_log_lines(
    start_server: StartServer, safe_log: pytest.LogCaptureFixture
) -> None:
    server = await start_server()
    with contextlib.suppress(asyncssh.Error, OSError):
        async with asyncssh.connect(
            "127.0.0.1", server.port, username="class", client_factory=Forger,
            known_hosts=None, client_keys=None, agent_path=None, config=[],
        ):  # fmt: skip
            pass
    async with connect(server) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("evil\r\nlogin root\x1b]0;t\x07", 80)
    await asyncio.sleep(0.1)
    lines = safe_log.messages
    assert not any(ch in line for line in lines for ch in "\n\r\x1b\x07")
    assert any("bye\\n2026 login admin\\x1b[2J" in line for line in lines)
    assert any("evil\\r\\nlogin root\\x1b]0;t\\x07" in line for line in lines)


async def test_agent_and_x11_forwarding_refusals_are_logged(
    start_server: StartServer, safe_log: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    server = await start_server()
    async with connect(server, agent_forwarding=True, agent_path="/nonexistent") as conn:
        await open_app(conn)
    xauth = tmp_path / "Xauthority"
    xauth.write_bytes(b"")
    async with connect(server) as conn:
        await conn.create_process(
            term_type=TERM[0], x11_forwarding="ignore_failure", x11_display="localhost:0",
            x11_auth_path=str(xauth),
        )  # fmt: skip
    await asyncio.sleep(0.1)
    refusals = [m for m in safe_log.messages if m.startswith("refused")]
    assert any("agent forwarding" in m for m in refusals)
    assert any("X11 forwarding" in m for m in refusals)


async def test_full_screen_burst_is_relayed_at_once(start_server: StartServer) -> None:
    """A pty hands out 4 095 bytes per read: one read per frame took 2.5 s for 200 kB."""
    server = await start_server(fps=20)
    async with connect(server) as conn:
        process, screen = await open_app(conn)
        screen.mark()
        started = time.monotonic()
        process.stdin.write(b"b")
        await screen.wait_for("END", timeout=10)
        assert time.monotonic() - started < 0.6
        assert len(screen.raw) >= 200_000


async def test_apps_get_the_served_limits(start_server: StartServer) -> None:
    server = await start_server()
    async with connect(server) as conn:
        _, screen = await open_app(conn)
        names = (await screen.wait_for(r"env: (.*) TERM=")).group(1).split()
    assert {"RNN_TUI_MAX_MEMORY_MB", "RNN_TUI_NICE", "RNN_TUI_MAX_EPOCHS"} <= set(names)
    assert "RNN_TUI_MAX_CELLS" in names and "RNN_TUI_SERVED" in names


async def test_sessions_folder_is_passed_to_apps(
    start_server: StartServer, tmp_path: object
) -> None:
    server = await start_server(sessions_dir=tmp_path)
    async with connect(server) as conn:
        _, screen = await open_app(conn)
        assert "RNN_TUI_SESSIONS_DIR" in (await screen.wait_for(r"env: (.*) TERM=")).group(1)
