"""First code run inside a served app process (SSH or browser), before the app itself.

Over SSH the server starts `python -m rnn_tui.serve.app_entry --preset X` with the
pty as stdin/stdout/stderr in a new session (setsid). Here the process makes that
pty its controlling terminal, so the kernel delivers SIGWINCH on a window change
and SIGHUP when the student goes away, and puts back the default signal handlers
the server may have ignored (an ignored signal survives exec).

With RNN_TUI_NO_FILES=1 (always over SSH; in the browser when served beyond this
machine) the app cannot read data files: a path typed into the `data` field would
otherwise name a file on the teacher's machine, and a CSV parse error quotes it.
Nor can it write a byte to any file (RLIMIT_FSIZE 0), so "save session" or
"export screen" with a path cannot overwrite the teacher's files; the app reports
the failed write as usual.

The server also bounds what one student may cost (serve/limits.py): memory
(RLIMIT_AS), CPU priority, and the epochs and N×T a run may reach.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import resource
import signal
import sys
import termios

NO_FILES_ENV = "RNN_TUI_NO_FILES"
SERVED_ENV = "RNN_TUI_SERVED"  # "ssh" or "web": the app turns off what a student must not use
_DEFAULT_SIGNALS = (signal.SIGHUP, signal.SIGQUIT, signal.SIGTERM, signal.SIGWINCH)


def take_terminal() -> None:
    # Fails harmlessly (EPERM) where the tty is already ours, e.g. under OpenSSH's sshd.
    with contextlib.suppress(OSError):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    for sig in _DEFAULT_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def forbid_files() -> None:
    # Writes to regular files fail with EFBIG (Python ignores SIGXFSZ); ttys are unaffected.
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    from ..engine.datasets import refuse_data_files

    refuse_data_files(
        "data files are turned off in served sessions; use notebook, roelants or random:NxT"
    )


def main() -> int:
    if os.isatty(0):
        take_terminal()
    from .limits import ChildLimits

    if (limits := ChildLimits.from_env(os.environ)) is not None:
        limits.apply()
    if os.environ.get(NO_FILES_ENV) == "1":
        forbid_files()
    from ..cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
