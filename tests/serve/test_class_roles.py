"""Roles from authentication: `teacher` signs in only with the teacher's own credentials."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from rnn_tui.classroom.protocol import Role
from rnn_tui.serve.auth import AuthPolicy, AuthSetupError
from rnn_tui.serve.class_roles import (
    TEACHER_PASSWORD_ENV,
    Credential,
    SignIn,
    build_teacher_auth,
)

CLASS_PASSWORD = "class secret"
TEACHER_PASSWORD = "teacher secret"
SIGN_IN = SignIn(AuthPolicy(password=CLASS_PASSWORD), AuthPolicy(password=TEACHER_PASSWORD))


@pytest.mark.parametrize(
    ("user", "attempt", "role"),
    [
        ("teacher", TEACHER_PASSWORD, "teacher"),
        ("teacher", CLASS_PASSWORD, None),  # the class password never makes a teacher
        ("alice", CLASS_PASSWORD, "student"),
        ("alice", TEACHER_PASSWORD, None),  # nor is the teacher's a class password
        ("Teacher", CLASS_PASSWORD, "student"),  # exactly `teacher`, nothing like it
        ("teacher ", TEACHER_PASSWORD, None),
        ("alice", "guess", None),
    ],
)
def test_the_role_follows_the_user_name_and_the_password_that_matched(
    user: str, attempt: str, role: Role | None
) -> None:
    credential = SIGN_IN.password_credential(user, attempt)
    assert (None if credential is None else SIGN_IN.role(user, credential)) == role


def test_keys_give_the_role_of_the_file_they_came_from(tmp_path: Path) -> None:
    class_keys, teacher_keys = tmp_path / "class", tmp_path / "teacher"
    class_keys.write_text(asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode())
    teacher_keys.write_text(
        asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode()
    )
    signin = SignIn(
        AuthPolicy(authorized_keys=class_keys), AuthPolicy(authorized_keys=teacher_keys)
    )
    assert signin.keys_supported() and not signin.password_supported()
    teacher, student = signin.keys_for("teacher"), signin.keys_for("alice")
    assert teacher is not None and student is not None
    assert signin.key_credential("teacher") is Credential.TEACHER_KEY
    assert signin.role("teacher", Credential.CLASS_KEY) is None
    assert signin.role("teacher", Credential.TEACHER_KEY) == "teacher"
    assert signin.role("alice", signin.key_credential("alice")) == "student"
    assert SignIn(AuthPolicy(authorized_keys=class_keys), AuthPolicy()).keys_for("teacher") is None


def test_without_authentication_anyone_may_be_the_teacher() -> None:
    open_server = SignIn(AuthPolicy(), AuthPolicy())
    assert open_server.role("teacher", open_server.key_credential("teacher")) == "teacher"
    assert open_server.role("bob", open_server.key_credential("bob")) == "student"


def test_teacher_credentials_come_from_the_environment_or_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = AuthPolicy(password=CLASS_PASSWORD)
    assert build_teacher_auth(policy, None, None) == AuthPolicy()
    monkeypatch.setenv(TEACHER_PASSWORD_ENV, TEACHER_PASSWORD)
    assert build_teacher_auth(policy, None, None).password == TEACHER_PASSWORD
    file = tmp_path / "teacher-password"
    file.write_text("from the file\n")
    file.chmod(0o600)  # a password file others may read is refused (auth.read_setup_file)
    assert build_teacher_auth(policy, file, None).password == "from the file"


@pytest.mark.parametrize(
    ("policy", "password", "keys", "message"),
    [
        (AuthPolicy(password=CLASS_PASSWORD), CLASS_PASSWORD, None, "every student could lead"),
        (AuthPolicy(password=CLASS_PASSWORD), None, Path("/nonexistent/keys"), "does not exist"),
        (AuthPolicy(), TEACHER_PASSWORD, None, "--no-auth"),
        (AuthPolicy(password=CLASS_PASSWORD), "   ", None, "empty password"),
    ],
)
def test_unsafe_teacher_credentials_are_refused_at_start(
    monkeypatch: pytest.MonkeyPatch,
    policy: AuthPolicy,
    password: str | None,
    keys: Path | None,
    message: str,
) -> None:
    if password is not None:
        monkeypatch.setenv(TEACHER_PASSWORD_ENV, password)
    with pytest.raises(AuthSetupError, match=message):
        build_teacher_auth(policy, None, keys)


# -- the hook as the SSH server will use it, against a real asyncssh client -----------------


class _RoleServer(asyncssh.SSHServer):
    """The few lines the classroom server gains: credential at sign-in, role after it."""

    roles: list[tuple[str, Role | None]]

    def __init__(self, signin: SignIn) -> None:
        self._signin = signin
        self._conn: asyncssh.SSHServerConnection | None = None
        self._credential: Credential | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn

    def begin_auth(self, username: str) -> bool:
        assert self._conn is not None
        self._conn.set_authorized_keys(
            self._signin.keys_for(username) or asyncssh.SSHAuthorizedKeys()
        )
        return True

    def password_auth_supported(self) -> bool:
        return self._signin.password_supported()

    def public_key_auth_supported(self) -> bool:
        return self._signin.keys_supported()

    def validate_password(self, username: str, password: str) -> bool:
        self._credential = self._signin.password_credential(username, password)
        return self._credential is not None

    def auth_completed(self) -> None:
        assert self._conn is not None
        user = self._conn.get_extra_info("username")
        credential = self._credential or self._signin.key_credential(user)
        self.roles.append((user, self._signin.role(user, credential)))


@pytest.fixture
async def role_server(
    tmp_path: Path,
) -> AsyncIterator[tuple[int, list[tuple[str, Role | None]], asyncssh.SSHKey]]:
    teacher_key = asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "teacher_keys"
    keys.write_text(teacher_key.export_public_key().decode())
    signin = SignIn(
        AuthPolicy(password=CLASS_PASSWORD),
        AuthPolicy(authorized_keys=keys, password=TEACHER_PASSWORD),
    )
    roles: list[tuple[str, Role | None]] = []
    server_class = type("Server", (_RoleServer,), {"roles": roles})
    listener = await asyncssh.create_server(
        lambda: server_class(signin),
        "127.0.0.1",
        0,
        server_host_keys=[asyncssh.generate_private_key("ssh-ed25519")],
    )
    try:
        yield listener.get_port(), roles, teacher_key
    finally:
        listener.close()
        await listener.wait_closed()


async def _sign_in(port: int, user: str, **options: object) -> bool:
    try:
        async with asyncssh.connect(
            "127.0.0.1",
            port,
            username=user,
            known_hosts=None,
            agent_path=None,
            config=[],
            **({"client_keys": None, "password": None} | options),
        ):
            return True
    except asyncssh.PermissionDenied:
        return False


async def test_a_real_client_gets_the_role_its_credential_allows(
    role_server: tuple[int, list[tuple[str, Role | None]], asyncssh.SSHKey],
) -> None:
    port, roles, teacher_key = role_server
    assert not await _sign_in(port, "teacher", password=CLASS_PASSWORD)
    assert await _sign_in(port, "teacher", password=TEACHER_PASSWORD)
    assert await _sign_in(port, "teacher", client_keys=[teacher_key])
    assert not await _sign_in(port, "alice", client_keys=[teacher_key])
    assert await _sign_in(port, "alice", password=CLASS_PASSWORD)
    assert roles == [("teacher", "teacher"), ("teacher", "teacher"), ("alice", "student")]
