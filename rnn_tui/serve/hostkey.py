"""The server's SSH host key: generated once, kept private (0600), reused.

Reusing the key is what keeps students' clients quiet from one lesson to the
next; a new key every start would make each of them warn about a changed host.
A key file someone else owns or may write could be a key they know: refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import asyncssh

MAX_KEY_FILE = 64 * 1024
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW


class HostKeyError(Exception):
    """A host key file that cannot be used; the message says what to do."""


def load_or_create(path: Path) -> asyncssh.SSHKey:
    """The key at `path`, creating it (and `path`.pub) on first use."""
    if not os.path.lexists(path):
        return _create(path)
    try:
        # O_NOFOLLOW: the key is the file itself, not wherever a planted link points.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as error:
        raise HostKeyError(f"cannot read host key {path}: {error.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        _check_private(path, info)
        data = file.read(MAX_KEY_FILE)
    try:
        return asyncssh.import_private_key(data)
    except asyncssh.KeyImportError as error:
        raise HostKeyError(f"cannot read host key {path}: {error}") from None


def _check_private(path: Path, info: os.stat_result) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise HostKeyError(f"host key {path} is not a regular file")
    if info.st_uid != os.geteuid():
        raise HostKeyError(
            f"host key {path} belongs to another user (uid {info.st_uid}); "
            "use a key of your own (remove it, or give --host-key NEW_FILE)"
        )
    if info.st_mode & 0o077:
        raise HostKeyError(f"host key {path} is open to other users; run: chmod 600 {path}")


def _create(path: Path) -> asyncssh.SSHKey:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="rnn-tui serve")
    public = path.with_name(path.name + ".pub")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL with mode 0600: the key is never readable by others, not even briefly;
        # O_EXCL|O_NOFOLLOW: a file or link planted at either name is never written through.
        _write_new(path, key.export_private_key(), 0o600)
        _write_new(public, key.export_public_key(), 0o644)
    except FileExistsError as error:
        raise HostKeyError(
            f"cannot create host key: {error.filename} already exists; remove it first"
        ) from None
    except OSError as error:
        raise HostKeyError(f"cannot create host key {path}: {error.strerror}") from None
    return key


def _write_new(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, _NEW_FILE, mode)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def fingerprint(key: asyncssh.SSHKey) -> str:
    """What `ssh` shows on first connection (SHA256:...), to compare on the board."""
    return str(key.get_fingerprint("sha256"))
