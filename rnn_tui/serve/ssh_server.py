"""The SSH listener: authentication, refusals, and the book of running app processes.

Each accepted session gets a :class:`ClassroomSession`; everything else a client
may ask of an SSH server (port forwarding, agent and X11 forwarding, SFTP and
other subsystems) is refused.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncssh

from . import defaults
from .auth import AuthPolicy
from .child import PtyChild, RunAs, app_command
from .session_args import Experiment
from .ssh_session import ClassroomSession, SessionSettings

log = logging.getLogger("rnn_tui.serve")


@dataclass(frozen=True)
class ServeSettings:
    host_key: asyncssh.SSHKey
    auth: AuthPolicy = field(default_factory=AuthPolicy)
    host: str = defaults.HOST
    port: int = defaults.SSH_PORT  # 0 picks a free port (tests)
    max_sessions: int = defaults.MAX_SESSIONS
    idle_timeout: float = defaults.IDLE_MINUTES * 60
    fps: int = defaults.FPS
    default: Experiment = field(default_factory=Experiment)
    hangup_grace: float = 2.0
    login_timeout: float = 30.0
    auth_failure_delay: float = 1.0  # slows down password guessing
    keepalive_interval: float = 15.0  # finds students whose laptop lid closed
    command: Callable[[Experiment], list[str]] = app_command  # tests pass a stand-in
    run_as: RunAs | None = None  # with a root server: the account the apps run as


class ClassroomServer:
    """Start with :meth:`start`, stop with :meth:`close` (ends every app process)."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self._session_settings = SessionSettings(
            settings.default,
            settings.idle_timeout,
            settings.fps,
            settings.hangup_grace,
            settings.command,
            settings.run_as,
        )
        self._listener: asyncssh.SSHAcceptor | None = None
        self._connections: set[asyncssh.SSHServerConnection] = set()
        self._sessions: set[ClassroomSession] = set()
        self._seats_taken = 0
        self.children: dict[int, PtyChild] = {}  # live app processes by pid
        self.spawned: list[int] = []  # every pid ever started, for tests and audits

    @property
    def port(self) -> int:
        assert self._listener is not None, "start() first"
        return int(self._listener.get_port())

    async def start(self) -> None:
        self._listener = await asyncssh.create_server(
            self._new_connection,
            self.settings.host,
            self.settings.port,
            server_host_keys=[self.settings.host_key],
            encoding=None,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_scp=False,
            sftp_factory=None,
            login_timeout=self.settings.login_timeout,
            keepalive_interval=self.settings.keepalive_interval,
            keepalive_count_max=4,
        )

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            await self._listener.wait_closed()
        for conn in list(self._connections):
            conn.close()
        tasks = [s.task for s in self._sessions if s.task is not None]
        await asyncio.gather(*tasks, return_exceptions=True)

    async def serve_forever(self) -> None:
        assert self._listener is not None, "start() first"
        await self._listener.wait_closed()

    # -- the Registry the sessions report to ---------------------------------------------

    def admit(self) -> bool:
        if self._seats_taken >= self.settings.max_sessions:
            return False
        self._seats_taken += 1
        return True

    def release(self) -> None:
        self._seats_taken -= 1

    def started(self, child: PtyChild) -> None:
        self.children[child.pid] = child
        self.spawned.append(child.pid)

    def ended(self, child: PtyChild) -> None:
        self.children.pop(child.pid, None)

    # -- connections ---------------------------------------------------------------------

    def _new_connection(self) -> _Connection:
        return _Connection(self)

    def track(self, conn: asyncssh.SSHServerConnection) -> None:
        self._connections.add(conn)

    def forget(self, conn: asyncssh.SSHServerConnection) -> None:
        self._connections.discard(conn)

    def new_session(self, who: str) -> ClassroomSession:
        session = ClassroomSession(self._session_settings, self, who, self._sessions.discard)
        self._sessions.add(session)
        return session


class _Connection(asyncssh.SSHServer):
    """One client connection (which may open several sessions, each one seat)."""

    def __init__(self, server: ClassroomServer) -> None:
        self._server = server
        self._auth = server.settings.auth
        self._conn: asyncssh.SSHServerConnection | None = None
        self._peer = "?"
        self._user = "?"
        self._since = time.monotonic()
        self._authenticated = False
        self._failures = 0

    @property
    def who(self) -> str:
        return f"{self._peer} user={self._user}"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._server.track(conn)
        host, port, *_ = conn.get_extra_info("peername", ("?", 0))
        self._peer = f"{host}:{port}"
        log.info("connect %s", self._peer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._server.forget(self._conn)
        if not self._authenticated and self._user != "?":
            log.info("auth failure %s: no accepted key or password", self.who)
        reason = f" ({exc})" if exc else ""
        log.info("disconnect %s after %s%s", self.who, _duration(self._since), reason)

    # -- authentication ------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        self._user = username[:32]
        if self._auth.is_open:
            return False  # no authentication needed (loopback only, checked at start)
        if self._conn is not None and self._auth.authorized_keys is not None:
            self._conn.set_authorized_keys(self._auth.read_keys() or asyncssh.SSHAuthorizedKeys())
        return True

    def auth_completed(self) -> None:
        self._authenticated = True
        log.info("login %s", self.who)

    def public_key_auth_supported(self) -> bool:
        return self._auth.authorized_keys is not None

    def password_auth_supported(self) -> bool:
        return self._auth.password is not None

    async def validate_password(self, username: str, password: str) -> bool:
        if self._auth.password_matches(password):
            return True
        self._failures += 1
        log.info("auth failure %s: wrong password (%d)", self.who, self._failures)
        await asyncio.sleep(self._server.settings.auth_failure_delay)
        return False

    # -- what a session may be, and what is refused ------------------------------------

    def session_requested(self) -> ClassroomSession:
        return self._server.new_session(self.who)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        log.info("refused %s: port forwarding to %s:%d", self.who, dest_host, dest_port)
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        log.info("refused %s: remote port forwarding on %s:%d", self.who, listen_host, listen_port)
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        log.info("refused %s: socket forwarding to %s", self.who, dest_path)
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        log.info("refused %s: remote socket forwarding on %s", self.who, listen_path)
        return False


def _duration(since: float) -> str:
    seconds = int(time.monotonic() - since)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"
