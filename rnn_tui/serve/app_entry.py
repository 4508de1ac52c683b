"""First code run inside a student's app process, before the app itself.

The server starts `python -m rnn_tui.serve.pty_entry --preset X` with the pty as
stdin/stdout/stderr in a new session (setsid). Here the process makes that pty its
controlling terminal, so the kernel delivers SIGWINCH on a window change and SIGHUP
when the student goes away, and puts back the default signal handlers the server
may have ignored (an ignored signal survives exec). Then it is `rnn-tui` as usual.
"""

from __future__ import annotations

import fcntl
import signal
import sys
import termios

_DEFAULT_SIGNALS = (signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM, signal.SIGWINCH)


def take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    for sig in _DEFAULT_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def main() -> int:
    take_terminal()
    from ..cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
