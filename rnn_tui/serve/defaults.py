"""Defaults of `rnn-tui serve` and `rnn-tui web`, importable without asyncssh or aiohttp
(the CLI builds its parser on every run, including `rnn-tui train`)."""

from __future__ import annotations

import os
from pathlib import Path

HOST = "127.0.0.1"
SSH_PORT = 2222
WEB_PORT = 8000
MAX_SESSIONS = 40
IDLE_MINUTES = 30.0
FPS = 20
PASSWORD_ENV = "RNN_TUI_PASSWORD"


def host_key_path() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "rnn-tui" / "ssh_host_ed25519_key"
