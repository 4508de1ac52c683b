"""Who leads the class: the server decides from the user name and the credential that matched.

The SSH user name ``teacher`` is the teacher, and signs in only with the teacher's own
credentials (``RNN_TUI_TEACHER_PASSWORD`` or ``--teacher-password-file``, and/or
``--teacher-keys FILE``), never with the class password or a class key. Any other
user name is a student, whatever credential it used. With ``--no-auth`` (loopback
only) anyone may sign in as ``teacher``. The role is handed to the class hub with
the session's channel; an app never says who it is.

How the SSH server uses this (a few lines in its connection class)::

    begin_auth(user):        conn.set_authorized_keys(signin.keys_for(user) or empty)
    validate_password(u, p): self._credential = signin.password_credential(u, p)
                             return self._credential is not None
    auth_completed():        self._role = signin.role(user, self._credential or
                                                      signin.key_credential(user))
    session_requested():     refuse when self._role is None (cannot happen: auth failed)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from ..classroom.protocol import Role
from .auth import AuthPolicy, AuthSetupError, check_authorized_keys, read_password
from .defaults import TEACHER_PASSWORD_ENV

TEACHER_USER = "teacher"


class Credential(enum.Enum):
    NONE = "no authentication (loopback only)"
    CLASS_PASSWORD = "the class password"
    CLASS_KEY = "a class key"
    TEACHER_PASSWORD = "the teacher password"
    TEACHER_KEY = "a teacher key"


TEACHER_CREDENTIALS = frozenset(
    {Credential.NONE, Credential.TEACHER_PASSWORD, Credential.TEACHER_KEY}
)


def build_teacher_auth(
    policy: AuthPolicy, password_file: Path | None, keys: Path | None
) -> AuthPolicy:
    """The teacher's own credentials (``$RNN_TUI_TEACHER_PASSWORD`` or a file, and/or a keys
    file), checked against the class's ``policy``; the same kind of value as the class's."""
    password = read_password(TEACHER_PASSWORD_ENV, password_file)
    teacher = AuthPolicy(keys, password)
    if policy.is_open:
        if not teacher.is_open:
            raise AuthSetupError(
                "--no-auth lets anyone sign in as teacher: teacher credentials make no sense"
            )
        return teacher
    if keys is not None:
        if not keys.is_file():
            raise AuthSetupError(f"teacher keys file {keys} does not exist")
        check_authorized_keys(keys)
    if password is not None and policy.password_matches(password):
        raise AuthSetupError(
            "the teacher password is the class password: every student could lead the class"
        )
    return teacher


@dataclass(frozen=True)
class SignIn:
    """Which credentials each user name may use, and the role they give."""

    policy: AuthPolicy  # the class's credentials
    teacher: AuthPolicy  # the teacher's; empty: nobody may sign in as teacher

    def password_supported(self) -> bool:
        return self.policy.password is not None or self.teacher.password is not None

    def keys_supported(self) -> bool:
        return self.policy.authorized_keys is not None or self.teacher.authorized_keys is not None

    def keys_for(self, user: str) -> asyncssh.SSHAuthorizedKeys | None:
        """The keys that may sign ``user`` in (read on every login, like the class keys)."""
        return (self.teacher if user == TEACHER_USER else self.policy).read_keys()

    def key_credential(self, user: str) -> Credential:
        """What a public key accepted for ``user`` was (or NONE on an open server)."""
        if self.policy.is_open:
            return Credential.NONE
        return Credential.TEACHER_KEY if user == TEACHER_USER else Credential.CLASS_KEY

    def password_credential(self, user: str, attempt: str) -> Credential | None:
        """The credential ``attempt`` is for ``user``; the teacher's name takes only its own."""
        if user == TEACHER_USER:
            return Credential.TEACHER_PASSWORD if self.teacher.password_matches(attempt) else None
        return Credential.CLASS_PASSWORD if self.policy.password_matches(attempt) else None

    def role(self, user: str, credential: Credential) -> Role | None:
        """The role a signed-in ``user`` gets, or None: sign-in refused."""
        if user != TEACHER_USER:
            return "student"
        return "teacher" if credential in TEACHER_CREDENTIALS else None
