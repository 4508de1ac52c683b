"""The app ends when its terminal goes away, even when no hangup signal comes."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

from rnn_tui.ui.terminal_watch import terminal_gone


def test_a_terminal_whose_other_end_closed_is_gone() -> None:
    controller, terminal = pty.openpty()
    try:
        assert not terminal_gone(terminal)
        os.close(controller)
        assert terminal_gone(terminal)
    finally:
        os.close(terminal)


def test_the_app_ends_when_its_terminal_closes_without_a_hangup() -> None:
    """The terminal is not the app's controlling terminal, as when its parent leads the
    session and the connection drops: the kernel signals nobody. Textual's input thread
    then read end-of-file in a busy loop, a core spun until someone killed the app."""
    controller, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80", "LINES": "24"}
    app = subprocess.Popen(
        [sys.executable, "-m", "rnn_tui"], stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
    os.close(terminal)
    try:
        drawn = b""
        deadline = time.monotonic() + 30
        while b"epoch" not in drawn and time.monotonic() < deadline:  # the status line
            if select.select([controller], [], [], 0.5)[0]:
                drawn += os.read(controller, 65536)
        assert b"epoch" in drawn
        os.close(controller)
        controller = -1
        status = app.wait(timeout=10)
        assert status == -signal.SIGHUP
    finally:
        if controller >= 0:
            os.close(controller)
        if app.poll() is None:
            app.kill()
            app.wait()
