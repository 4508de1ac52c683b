"""A person's journey: `rnn-tui serve` from the command line, OpenSSH in a terminal (tmux).

Types the class password, steps an epoch, resizes the window, quits; then restarts
the server and checks that the host key was kept (strict host-key checking passes).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import PASSWORD, free_port, listening

TEACHER_PASSWORD = "teacher's own"

pytestmark = pytest.mark.skipif(
    not (shutil.which("ssh") and shutil.which("tmux")), reason="needs the OpenSSH client and tmux"
)
pytest.importorskip("rnn_tui.ui.app")


def until(what: str, check: Callable[[], object], timeout: float = 30.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def __call__(self, *args: str) -> str:
        command = ["tmux", "-L", self.socket, *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "class")

    def alive(self) -> bool:
        return (
            subprocess.run(
                ["tmux", "-L", self.socket, "has-session", "-t", "class"],
                capture_output=True,
                timeout=10,
            ).returncode
            == 0
        )


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[], tuple[subprocess.Popen[str], int]]]:
    procs: list[subprocess.Popen[str]] = []
    port = free_port()

    def start() -> tuple[subprocess.Popen[str], int]:
        env = os.environ | {
            "RNN_TUI_PASSWORD": PASSWORD,
            "RNN_TUI_TEACHER_PASSWORD": TEACHER_PASSWORD,
            "XDG_DATA_HOME": str(tmp_path),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "rnn_tui", "serve", "--port", str(port)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        until("the server to listen", lambda: listening(port) or proc.poll() is not None)
        assert proc.poll() is None, proc.communicate()[1]
        return proc, port

    try:
        yield start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)


def test_openssh_in_tmux(
    serve: Callable[[], tuple[subprocess.Popen[str], int]], tmp_path: Path
) -> None:
    server, port = serve()
    known_hosts = tmp_path / "known_hosts"
    ssh = [
        "ssh", "-F", "/dev/null", "-p", str(port),
        "-o", f"UserKnownHostsFile={known_hosts}", "-o", "PubkeyAuthentication=no",
        "-o", "PreferredAuthentications=password",
    ]  # fmt: skip
    tmux = Tmux(f"rnn-tui-test-{os.getpid()}")
    try:
        command = " ".join([*ssh, "-o", "StrictHostKeyChecking=accept-new", "class@127.0.0.1"])
        tmux("new-session", "-d", "-s", "class", "-x", "100", "-y", "30", command)
        until("the password prompt", lambda: "password:" in tmux.screen())
        tmux("send-keys", "-t", "class", PASSWORD, "Enter")
        until("the app", lambda: re.search(r"epoch\W{0,3}0\b", tmux.screen(), re.I))
        tmux("send-keys", "-t", "class", "Space")
        until("epoch 1", lambda: re.search(r"epoch\W{0,3}1\b", tmux.screen(), re.I))
        tmux("resize-window", "-t", "class", "-x", "80", "-y", "24")
        until("a repaint at 80x24", lambda: _fits(tmux.screen(), 80, 24))
        tmux("send-keys", "-t", "class", "q")  # the run has moved: quitting asks first
        until("the question", lambda: "throws away" in tmux.screen())
        tmux("send-keys", "-t", "class", "y")
        until("ssh to end", lambda: not tmux.alive(), timeout=15)
    finally:
        tmux("kill-server")

    key_file = tmp_path / "rnn-tui" / "ssh_host_ed25519_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    server.send_signal(signal.SIGINT)
    _, log = server.communicate(timeout=15)
    assert server.returncode == 0
    assert re.search(r"login 127\.0\.0\.1:\d+ user=class", log)
    assert re.search(r"disconnect 127\.0\.0\.1:\d+ user=class after \d+m\d\ds", log)

    # Same key after a restart: strict checking against last lesson's known_hosts passes.
    serve()
    again = [
        *ssh,
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "BatchMode=yes",
        "-T",
        "class@127.0.0.1",
    ]
    result = subprocess.run(
        again, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    assert "Host key verification failed" not in result.stderr
    assert "Permission denied" in result.stderr  # got as far as asking who we are


def _fits(screen: str, cols: int, rows: int) -> bool:
    lines = screen.splitlines()
    return (
        len(lines) <= rows
        and all(len(line) <= cols for line in lines)
        and "epoch" in screen.lower()
    )


@pytest.mark.slow
def test_a_class_through_openssh_in_tmux(
    serve: Callable[[], tuple[subprocess.Popen[str], int]], tmp_path: Path
) -> None:
    """The teacher and a student, each in OpenSSH in a terminal: the student follows."""
    _, port = serve()
    ssh = (
        f"ssh -F /dev/null -p {port} -o UserKnownHostsFile={tmp_path / 'known_hosts'} "
        "-o StrictHostKeyChecking=accept-new -o PubkeyAuthentication=no "
        "-o PreferredAuthentications=password"
    )
    tmux = Tmux(f"rnn-tui-class-{os.getpid()}")
    teacher, alice = "class:0", "class:alice"

    def screen(window: str) -> str:
        return tmux("capture-pane", "-p", "-t", window)

    try:
        tmux(
            "new-session", "-d", "-s", "class", "-x", "120", "-y", "36", f"{ssh} teacher@127.0.0.1"
        )
        tmux("new-window", "-d", "-t", "class", "-n", "alice", f"{ssh} alice@127.0.0.1")
        for window, password in ((teacher, TEACHER_PASSWORD), (alice, PASSWORD)):
            until(f"{window}'s password prompt", lambda w=window: "password:" in screen(w))
            tmux("send-keys", "-t", window, password, "Enter")
        until("alice following", lambda: "following teacher" in screen(alice))
        # The longest form of the class count that fits beside the numbers at 120 columns.
        until(
            "the teacher's class count",
            lambda: re.search(r"1 following / 0 exploring|0/1 exploring", screen(teacher)),
        )
        tmux("send-keys", "-t", teacher, "Space", "Space")
        until("alice at epoch 2", lambda: re.search(r"epoch\W{0,3}2\b", screen(alice), re.I))
    finally:
        tmux("kill-server")
