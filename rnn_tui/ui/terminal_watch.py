"""Ends the app when its terminal goes away without the hangup signal.

Closing a terminal sends SIGHUP to the job in its foreground, but not always: when the
app's parent leads the session (``ssh host make run``, ``tmux new 'make run'``) and the
connection drops, nothing is signalled. Textual's input thread then reads end-of-file
in a busy loop (Textualize/textual pull request 6690, still open) and the app spins a
core until someone kills it. Here a thread asks the terminal for its settings once a
second; when the terminal is gone, the app gets the hangup it missed. Its default
action ends the process: nobody is left to see or save anything, and session files are
written atomically, so none is left half written.
"""

from __future__ import annotations

import os
import signal
import termios
import threading
import time

CHECK_SECONDS = 1.0


def terminal_gone(fd: int) -> bool:
    try:
        termios.tcgetattr(fd)
    except termios.error:  # EIO: the other end of the terminal has closed
        return True
    return False


def watch_terminal(fd: int, every: float = CHECK_SECONDS) -> threading.Thread | None:
    """Start the watch on terminal ``fd`` (nothing to watch if it is not a terminal)."""
    if not os.isatty(fd):
        return None

    def watch() -> None:
        while not terminal_gone(fd):
            time.sleep(every)
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(every)
        os._exit(128 + signal.SIGHUP)  # the hangup was ignored (nohup): end all the same

    thread = threading.Thread(target=watch, name="terminal-watch", daemon=True)
    thread.start()
    return thread
