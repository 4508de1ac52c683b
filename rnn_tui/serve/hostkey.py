"""The server's SSH host key: generated once, kept private (0600), reused.

Reusing the key is what keeps students' clients quiet from one lesson to the
next; a new key every start would make each of them warn about a changed host.
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh


class HostKeyError(Exception):
    """A host key file that cannot be used; the message says what to do."""


def load_or_create(path: Path) -> asyncssh.SSHKey:
    """The key at `path`, creating it (and `path`.pub) on first use."""
    if not path.exists():
        return _create(path)
    if path.stat().st_mode & 0o077:
        raise HostKeyError(f"host key {path} is readable by others; run: chmod 600 {path}")
    try:
        return asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError) as error:
        raise HostKeyError(f"cannot read host key {path}: {error}") from None


def _create(path: Path) -> asyncssh.SSHKey:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="rnn-tui serve")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_EXCL with mode 0600: the key is never readable by others, not even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(key.export_private_key())
        path.with_name(path.name + ".pub").write_bytes(key.export_public_key())
    except OSError as error:
        raise HostKeyError(f"cannot create host key {path}: {error}") from None
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    """What `ssh` shows on first connection (SHA256:...), to compare on the board."""
    return str(key.get_fingerprint("sha256"))
