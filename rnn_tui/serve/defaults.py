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
TEACHER_PASSWORD_ENV = "RNN_TUI_TEACHER_PASSWORD"

# Sign-in throttling. A class behind NAT shares one address, so a wrong password
# only slows that address down; a right one is always checked at once.
TRIES_PER_CONNECTION = 3
FAILURES_PER_ADDRESS = 10  # within FAILURE_WINDOW, then the address waits
FAILURES_GLOBAL = 100  # within FAILURE_WINDOW, from all addresses together
FAILURE_WINDOW = 60.0  # seconds a failure counts against its address and the total
MAX_FAILURE_DELAY = 10.0  # seconds: the longest a wrong password's reply is held back

# Connections.
CONNECTIONS_PER_ADDRESS = 50  # a whole class may sit behind one NAT address
MAX_PENDING = 64  # connections not signed in yet, from everyone
SESSIONLESS_SECONDS = 30.0  # signed in, but no session opened (`ssh -N`): closed after

# One student's app. The real app peaks at about 345 MB of address space (86 MB
# resident) at 120x40 after a run; 1 GiB leaves room and still bounds a runaway.
MEMORY_MB = 1024
NICE = 10
MAX_EPOCHS = 1_000_000  # 42 MB of history, 8 s of CPU (measured)
MAX_CELLS = 20_000  # N×T of random:NxT data (random:1000x20, random:200x100)


def host_key_path() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "rnn-tui" / "ssh_host_ed25519_key"
