"""Per-student cost bounds of a served app, from the server to the app's first code.

The server (SSH or web) puts them in the app's environment (``ChildLimits.env``);
``app_entry`` reads them back and applies them before the app starts: an address
space limit (RLIMIT_AS), a lower CPU priority (nice), and the engine's run limits
on epochs and N×T.
"""

from __future__ import annotations

import contextlib
import os
import resource
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import defaults

MEMORY_ENV = "RNN_TUI_MAX_MEMORY_MB"
NICE_ENV = "RNN_TUI_NICE"
EPOCHS_ENV = "RNN_TUI_MAX_EPOCHS"
CELLS_ENV = "RNN_TUI_MAX_CELLS"
SESSIONS_ENV = "RNN_TUI_SESSIONS_DIR"  # the teacher's read-only folder of named sessions


@dataclass(frozen=True)
class ChildLimits:
    memory_mb: int = defaults.MEMORY_MB  # address space of one app; 0 = unlimited
    nice: int = defaults.NICE  # added to the app's CPU niceness
    max_epochs: int = defaults.MAX_EPOCHS
    max_cells: int = defaults.MAX_CELLS

    def env(self) -> dict[str, str]:
        return {
            MEMORY_ENV: str(self.memory_mb),
            NICE_ENV: str(self.nice),
            EPOCHS_ENV: str(self.max_epochs),
            CELLS_ENV: str(self.max_cells),
        }

    def served_env(self, fps: int, sessions_dir: Path | None) -> dict[str, str]:
        """What a server (SSH or web) adds to every app's environment."""
        env = {"TEXTUAL_FPS": str(fps), **self.env()}
        if sessions_dir is not None:
            env[SESSIONS_ENV] = str(sessions_dir)
        return env

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ChildLimits | None:
        """The limits the server set, or None when started without them (not served)."""
        if EPOCHS_ENV not in env:
            return None
        return cls(
            _whole(env.get(MEMORY_ENV), defaults.MEMORY_MB),
            _whole(env.get(NICE_ENV), defaults.NICE),
            _whole(env.get(EPOCHS_ENV), defaults.MAX_EPOCHS),
            _whole(env.get(CELLS_ENV), defaults.MAX_CELLS),
        )

    def apply(self) -> None:
        """In the app's own process, before the app is imported."""
        if self.memory_mb > 0:
            limit = self.memory_mb * 1024 * 1024
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)  # only ever lower it
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with contextlib.suppress(OSError):
            os.nice(self.nice)
        lower_session_priority(self.nice)
        from ..engine import set_run_limits

        set_run_limits(self.max_epochs, self.max_cells)


AUTOGROUP = Path("/proc/self/autogroup")


def lower_session_priority(nice: int, autogroup: Path = AUTOGROUP) -> None:
    """The same niceness for this app's session (Linux's scheduler autogroup).

    Each app runs in a session of its own (its pty's), and with autogroup on (the
    default of most distributions) Linux shares the CPU fairly between sessions first:
    a process's own niceness then only ranks it within its session, so a nice-10
    student got as much CPU as the teacher (measured: two busy loops in two sessions,
    nice 0 and 10, got 48 % and 47.5 % of one core). The session's niceness ranks the
    sessions. Lowering it needs no privilege; without autogroup the file is absent.
    Only an app that leads its own session (as every served app does) touches it: in a
    shared session (an app started from a shell, or by a test) it would slow down
    everything else there."""
    if nice <= 0 or os.getsid(0) != os.getpid():
        return
    with contextlib.suppress(OSError):
        autogroup.write_text(str(min(nice, 19)))


def _whole(text: str | None, default: int) -> int:
    try:
        return max(0, int(text or ""))
    except ValueError:
        return default
