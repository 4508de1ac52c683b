"""Who may connect: an authorized_keys file, one class password, or (loopback only) anyone.

The password comes from an environment variable or a file, never from the
command line, where every user of the machine could read it in `ps`.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from .defaults import PASSWORD_ENV


class AuthSetupError(Exception):
    """Authentication options that do not make a safe server; the message says why."""


@dataclass(frozen=True)
class AuthPolicy:
    authorized_keys: Path | None = None
    password: str | None = None

    @property
    def is_open(self) -> bool:
        return self.authorized_keys is None and self.password is None

    def read_keys(self) -> asyncssh.SSHAuthorizedKeys | None:
        """Read on every login, so keys added during a lesson work without a restart."""
        if self.authorized_keys is None:
            return None
        try:
            return asyncssh.read_authorized_keys(str(self.authorized_keys))
        except (OSError, ValueError):
            return None  # unreadable or emptied mid-lesson: no key is accepted

    def password_matches(self, attempt: str) -> bool:
        if self.password is None:
            return False
        return hmac.compare_digest(attempt.encode(), self.password.encode())

    def describe(self) -> str:
        methods = []
        if self.authorized_keys is not None:
            methods.append(f"keys in {self.authorized_keys}")
        if self.password is not None:
            methods.append("the class password")
        return " or ".join(methods) or "none (anyone on this machine may connect)"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_password(env_name: str, file: Path | None) -> str | None:
    """The class password from `file` if given, else from the environment variable."""
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise AuthSetupError(f"cannot read password file {file}: {error}") from None
        password = text.rstrip("\r\n")
        source = f"password file {file}"
    else:
        password = os.environ.get(env_name, "")
        if not password:
            return None
        source = f"${env_name}"
    if not password.strip():
        raise AuthSetupError(f"{source} holds an empty password")
    return password


def build_policy(
    host: str,
    authorized_keys: Path | None,
    password: str | None,
    no_auth: bool,
) -> AuthPolicy:
    if no_auth:
        if authorized_keys is not None or password is not None:
            raise AuthSetupError("--no-auth cannot be combined with keys or a password")
        if not is_loopback(host):
            raise AuthSetupError(
                f"--no-auth is only accepted on a loopback host (127.0.0.1), not {host}"
            )
        return AuthPolicy()
    if authorized_keys is not None and not authorized_keys.is_file():
        raise AuthSetupError(f"authorized keys file {authorized_keys} does not exist")
    if authorized_keys is None and password is None:
        raise AuthSetupError(
            "no authentication: give --authorized-keys FILE, --password-file FILE or set "
            f"${PASSWORD_ENV} (or --no-auth to try it out on 127.0.0.1)"
        )
    return AuthPolicy(authorized_keys, password)
