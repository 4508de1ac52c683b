"""A tiny full-screen terminal program standing in for the real app in protocol tests.

It starts in milliseconds (the real app takes about a second), draws
`Epoch N  COLSxROWS` and the names in its environment on the alternate screen,
advances on space, writes a 200 kB burst on b, redraws on a window change, quits
on q, and (with --ignore-hangup) ignores SIGHUP so tests can prove that the server
escalates to SIGKILL. Given a class channel, it shows the hub's welcome
(`class: ROLE NAME`) and sends garbage on it on g.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import termios
import tty

from rnn_tui.classroom.protocol import CLASS_FD_ENV
from rnn_tui.serve.app_entry import take_terminal


def join_class() -> tuple[socket.socket | None, str]:
    """The channel the server handed us, and who the hub says we are."""
    if CLASS_FD_ENV not in os.environ:
        return None, "class: none"
    sock = socket.socket(fileno=int(os.environ[CLASS_FD_ENV]))
    sock.settimeout(5)
    line = b""
    while not line.endswith(b"\n"):
        line += sock.recv(1)
    welcome = json.loads(line)
    return sock, f"class: {welcome['role']} {welcome['name']}"


def main() -> None:
    take_terminal()
    if "--ignore-hangup" in sys.argv:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    epoch = 0
    channel, who = join_class()

    def draw(*_: object) -> None:
        cols, rows = shutil.get_terminal_size()
        sys.stdout.write(f"\x1b[?1049h\x1b[H\x1b[2JEpoch {epoch}  {cols}x{rows}  {sys.argv[1:]}")
        sys.stdout.write(f"\r\nenv: {' '.join(sorted(os.environ))} TERM={os.environ['TERM']}")
        sys.stdout.write(f"\r\n{who}\r\nnice={os.environ.get('RNN_TUI_NICE')}")
        sys.stdout.flush()

    signal.signal(signal.SIGWINCH, draw)
    saved = termios.tcgetattr(0)
    tty.setraw(0)
    try:
        draw()
        while (key := os.read(0, 1)) and key != b"q":
            if key == b" ":
                epoch += 1
                draw()
            elif key == b"g" and channel is not None:
                channel.sendall(b"garbage\n")
            elif key == b"b":  # a burst, like a full-screen redraw: 200 000 bytes then END
                os.write(1, b"x" * 200_000 + b"END")
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)
        sys.stdout.write("\x1b[?1049l")


if __name__ == "__main__":
    main()
