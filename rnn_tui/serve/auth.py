"""Who may connect: an authorized_keys file, one class password, or (loopback only) anyone.

The password comes from an environment variable or a file, never from the
command line, where every user of the machine could read it in `ps`.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from .defaults import PASSWORD_ENV

MAX_SETUP_FILE = 1024 * 1024  # a password or keys file; /dev/zero must not hang the start


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
        data = read_setup_file(file, "password file", private=True)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
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
    if authorized_keys is not None:
        check_authorized_keys(authorized_keys)
    if authorized_keys is None and password is None:
        raise AuthSetupError(
            "no authentication: give --authorized-keys FILE, --password-file FILE or set "
            f"${PASSWORD_ENV} (or --no-auth to try it out on 127.0.0.1)"
        )
    return AuthPolicy(authorized_keys, password)


def read_setup_file(file: Path, what: str, private: bool) -> bytes:
    """A small regular file's bytes; `private`: refused if group or others may read it.

    Opened without blocking, so a FIFO or a device fails at once instead of hanging.
    """
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        raise AuthSetupError(f"cannot read {what} {file}: {error.strerror}") from None
    with os.fdopen(fd, "rb") as opened:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AuthSetupError(f"{what} {file} is not a regular file")
        if info.st_size > MAX_SETUP_FILE:
            raise AuthSetupError(f"{what} {file} is too big ({info.st_size:,} bytes)")
        if private and info.st_mode & 0o077:
            raise AuthSetupError(
                f"{what} {file} may be read by other users (mode {info.st_mode & 0o777:o}); "
                f"run: chmod 600 {file}"
            )
        return opened.read(MAX_SETUP_FILE + 1)


def check_authorized_keys(file: Path) -> None:
    """Refuse a keys file that does not hold at least one key asyncssh can read."""
    data = read_setup_file(file, "authorized keys file", private=False)
    text = data.decode("utf-8", "replace")
    try:
        if not any(
            line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()
        ):
            raise ValueError("the file is empty")  # asyncssh reads an empty file as no keys
        asyncssh.import_authorized_keys(text)
    except ValueError as error:
        raise AuthSetupError(
            f"authorized keys file {file} holds no usable key ({error}); "
            "expected OpenSSH lines such as: ssh-ed25519 AAAA... name"
        ) from None
