"""The SSH listener: authentication, refusals, the book of running app processes, the class.

Each accepted session gets a :class:`ClassroomSession`; everything else a client
may ask of an SSH server (port forwarding, agent and X11 forwarding, SFTP and
other subsystems) is refused. Authentication gives each connection its class role
(``class_roles``: the user name ``teacher`` with the teacher's credentials leads);
each app gets its end of a channel to the server's one :class:`ClassHub`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import asyncssh

from ..classroom.protocol import Role
from . import defaults
from .auth import AuthPolicy
from .child import PtyChild, RunAs, app_command
from .class_hub import ChannelEnd, ClassFull, ClassHub, HubSettings
from .class_roles import Credential, SignIn
from .limits import ChildLimits
from .session_args import Experiment
from .ssh_session import ClassroomSession, SessionSettings
from .throttle import FailureBudget, ThrottleSettings

log = logging.getLogger("rnn_tui.serve")


@dataclass(frozen=True)
class ServeSettings:
    host_key: asyncssh.SSHKey
    auth: AuthPolicy = field(default_factory=AuthPolicy)
    # The teacher's own credentials; empty: nobody may be the teacher (anyone with --no-auth).
    teacher: AuthPolicy = field(default_factory=AuthPolicy)
    classroom: HubSettings | None = field(default_factory=HubSettings)  # None: no class mode
    host: str = defaults.HOST
    port: int = defaults.SSH_PORT  # 0 picks a free port (tests)
    max_sessions: int = defaults.MAX_SESSIONS
    idle_timeout: float = defaults.IDLE_MINUTES * 60
    fps: int = defaults.FPS
    default: Experiment = field(default_factory=Experiment)
    hangup_grace: float = 2.0
    login_timeout: float = 30.0
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)
    connections_per_address: int = defaults.CONNECTIONS_PER_ADDRESS
    max_pending: int = defaults.MAX_PENDING  # connections not signed in yet
    sessionless_timeout: float = defaults.SESSIONLESS_SECONDS
    keepalive_interval: float = 15.0  # finds students whose laptop lid closed
    command: Callable[[Experiment], list[str]] = app_command  # tests pass a stand-in
    run_as: RunAs | None = None  # with a root server: the account the apps run as
    limits: ChildLimits = field(default_factory=ChildLimits)
    sessions_dir: Path | None = None  # the teacher's read-only folder of named sessions

    def child_env(self) -> Mapping[str, str]:
        """What the server adds to every app's environment."""
        return self.limits.served_env(self.fps, self.sessions_dir)

    @property
    def signin(self) -> SignIn:
        return SignIn(self.auth, self.teacher)

    def hub_settings(self) -> HubSettings | None:
        """The class hub's settings, bound by what a served run may reach and by the seats."""
        if self.classroom is None:
            return None
        return replace(
            self.classroom,
            max_student_epoch=min(self.classroom.max_student_epoch, self.limits.max_epochs),
            max_students=min(self.classroom.max_students, self.max_sessions),
        )


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
            settings.child_env(),
        )
        self._listener: asyncssh.SSHAcceptor | None = None
        self._connections: set[asyncssh.SSHServerConnection] = set()
        self._per_address: Counter[str] = Counter()
        self._pending: list[_Connection] = []  # not signed in yet, oldest first
        self.failures = FailureBudget(settings.throttle)
        self._sessions: set[ClassroomSession] = set()
        self._seats_taken = 0  # by students: the teacher never takes a seat
        hub_settings = settings.hub_settings()
        self.hub = None if hub_settings is None else ClassHub(hub_settings)
        self.children: dict[int, PtyChild] = {}  # live app processes by pid
        self.spawned: list[int] = []  # every pid ever started, for tests and audits

    @property
    def port(self) -> int:
        assert self._listener is not None, "start() first"
        return int(self._listener.get_port())

    async def start(self) -> None:
        if self.hub is not None:
            await self.hub.start()
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
        if self.hub is not None:
            await self.hub.close()

    # -- the Registry the sessions report to ---------------------------------------------

    def admit(self, role: Role) -> bool:
        if role == "teacher" and self.hub is not None:
            return True  # a full class never keeps its teacher out
        if self._seats_taken >= self.settings.max_sessions:
            return False
        self._seats_taken += 1
        return True

    def release(self, role: Role) -> None:
        if role != "teacher" or self.hub is None:
            self._seats_taken -= 1

    def started(self, child: PtyChild) -> None:
        self.children[child.pid] = child
        self.spawned.append(child.pid)

    def ended(self, child: PtyChild) -> None:
        self.children.pop(child.pid, None)

    def class_channel(self, role: Role, user: str) -> ChannelEnd | None:
        """The app's end of a new channel to the hub; None: the app runs alone."""
        if self.hub is None:
            return None
        try:
            return self.hub.open_channel(role, user)
        except ClassFull as error:
            log.info("class: %s runs alone: %s", user[:32], error)
            return None

    # -- connections ---------------------------------------------------------------------

    def _new_connection(self) -> _Connection:
        return _Connection(self)

    def track(self, connection: _Connection, conn: asyncssh.SSHServerConnection) -> bool:
        """Admit a new connection, or say no (the caller closes it)."""
        address = connection.address
        if self._per_address[address] >= self.settings.connections_per_address:
            log.info(
                "refused %s: %d connections from this address", address, self._per_address[address]
            )
            return False
        if len(self._pending) >= self.settings.max_pending:
            self._evict_pending()
        self._connections.add(conn)
        self._per_address[address] += 1
        self._pending.append(connection)
        return True

    @property
    def pending(self) -> int:
        """Connections not signed in yet."""
        return len(self._pending)

    def signed_in(self, connection: _Connection) -> None:
        if connection in self._pending:
            self._pending.remove(connection)

    def forget(self, connection: _Connection, conn: asyncssh.SSHServerConnection) -> None:
        if conn in self._connections:
            self._connections.discard(conn)
            self._per_address[connection.address] -= 1
            if not self._per_address[connection.address]:
                del self._per_address[connection.address]
        self.signed_in(connection)

    def _evict_pending(self) -> None:
        """Make room for a new connection: close the oldest of the address that holds the
        most connections not signed in yet, so a flood from one place pushes out itself."""
        holders = Counter(c.address for c in self._pending)
        address = holders.most_common(1)[0][0]
        oldest = next(c for c in self._pending if c.address == address)
        log.info("closed %s: %d connections not signed in yet", oldest.who, len(self._pending))
        self._pending.remove(oldest)
        oldest.abort()

    def new_session(
        self, who: str, on_closed: Callable[[], None], role: Role, user: str
    ) -> ClassroomSession:
        session = ClassroomSession(
            self._session_settings, self, who, self._sessions.discard, on_closed, role, user
        )
        self._sessions.add(session)
        return session


class _Connection(asyncssh.SSHServer):
    """One client connection: signs in, then holds at most one session at a time."""

    def __init__(self, server: ClassroomServer) -> None:
        self._server = server
        self._signin = server.settings.signin
        self._credential: Credential | None = None  # the password that matched, if any
        self.role: Role | None = None  # set once signed in
        self._conn: asyncssh.SSHServerConnection | None = None
        self.address = "?"
        self._peer = "?"
        self._user = "?"  # cut short, for the log
        self._username = ""
        self._since = time.monotonic()
        self._authenticated = False
        self._failures = 0
        self._session: ClassroomSession | None = None
        self._sessionless: asyncio.TimerHandle | None = None

    @property
    def who(self) -> str:
        return f"{self._peer} user={self._user}"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        host, port, *_ = conn.get_extra_info("peername", ("?", 0))
        self.address = str(host)
        self._peer = f"{host}:{port}"
        if not self._server.track(self, conn):
            asyncio.get_running_loop().call_soon(conn.abort)
            return
        log.info("connect %s", self._peer)
        # asyncssh refuses these (forwarding is off) without a word; the teacher's log
        # should show who asked. Only the refusal is replaced, nothing is enabled.
        conn.create_agent_listener = self._refuse_agent  # type: ignore[method-assign]
        conn.attach_x11_listener = self._refuse_x11  # type: ignore[method-assign,assignment]

    async def _refuse_agent(self) -> bool:
        log.info("refused %s: agent forwarding", self.who)
        return False

    async def _refuse_x11(self, *_: object) -> str | None:
        log.info("refused %s: X11 forwarding", self.who)
        return None

    def abort(self) -> None:
        if self._conn is not None:
            self._conn.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._sessionless is not None:
            self._sessionless.cancel()
        if self._conn is not None:
            self._server.forget(self, self._conn)
        if not self._authenticated and self._user != "?":
            log.info("auth failure %s: no accepted key or password", self.who)
        reason = f" ({exc})" if exc else ""
        log.info("disconnect %s after %s%s", self.who, _duration(self._since), reason)

    # -- authentication ------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        self._user = username[:32]
        self._username = username
        if self._signin.policy.is_open:
            return False  # no authentication needed (loopback only, checked at start)
        if self._conn is not None and self._signin.keys_supported():
            # The teacher's keys for `teacher`, the class's for everyone else.
            keys = self._signin.keys_for(username)
            self._conn.set_authorized_keys(keys or asyncssh.SSHAuthorizedKeys())
        return True

    def auth_completed(self) -> None:
        if self._conn is not None:
            self._username = str(self._conn.get_extra_info("username", self._username))
            self._user = self._username[:32]
        credential = self._credential or self._signin.key_credential(self._username)
        self.role = self._signin.role(self._username, credential)
        self._authenticated = True
        self._server.signed_in(self)
        log.info("login %s as %s", self.who, self.role or "nobody (refused)")
        self._arm_sessionless_timer()

    def public_key_auth_supported(self) -> bool:
        return self._signin.keys_supported()

    def password_auth_supported(self) -> bool:
        return self._signin.password_supported()

    async def validate_password(self, username: str, password: str) -> bool:
        # A right password is never held back, whatever the budgets say: see throttle.py.
        if (credential := self._signin.password_credential(username, password)) is not None:
            self._credential = credential
            return True
        self._failures += 1
        delay = self._server.failures.failed(self.address)
        log.info(
            "auth failure %s: wrong password (%d), reply in %gs", self.who, self._failures, delay
        )
        await asyncio.sleep(delay)
        tries = self._server.settings.throttle.tries_per_connection
        if self._failures >= tries and self._conn is not None:
            self._conn.disconnect(
                asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, f"{tries} wrong passwords"
            )
        return False

    # -- what a session may be, and what is refused ------------------------------------

    def session_requested(self) -> ClassroomSession | bool:
        if self.role is None:  # cannot happen: sign-in gives every accepted user a role
            log.warning("refused %s: a session without a class role", self.who)
            return False
        if self._session is not None and not self._session.closed:
            log.info("refused %s: a second session on one connection", self.who)
            return False
        if self._sessionless is not None:
            self._sessionless.cancel()
        self._session = self._server.new_session(
            self.who, self._session_closed, self.role, self._username
        )
        return self._session

    def _session_closed(self) -> None:
        self._arm_sessionless_timer()  # a connection kept open after its session is idle too

    def _arm_sessionless_timer(self) -> None:
        timeout = self._server.settings.sessionless_timeout
        if self._sessionless is not None:
            self._sessionless.cancel()
        if timeout > 0:
            loop = asyncio.get_running_loop()
            self._sessionless = loop.call_later(timeout, self._close_sessionless)

    def _close_sessionless(self) -> None:
        if self._conn is not None and (self._session is None or self._session.closed):
            log.info(
                "closed %s: no session opened in %gs",
                self.who,
                self._server.settings.sessionless_timeout,
            )
            self._conn.disconnect(asyncssh.DISC_BY_APPLICATION, "no session opened")

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
