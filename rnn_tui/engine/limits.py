"""Run limits of a served app: how far one student's run may go (epochs, N×T).

A served app (SSH, browser) sets them once at start (``set_run_limits``); a local
app has none. Config checks refuse a value beyond them with a message (the
parameter panel shows it in place) and the trainer stops a run at the epoch limit,
so a student's app neither crashes nor grows until the memory limit kills it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

RANDOM_SPEC = re.compile(r"random:\s*(\d+)\s*[xX]\s*(\d+)\s*")


@dataclass(frozen=True)
class RunLimits:
    max_epochs: int | None = None  # highest epoch a run may compute
    max_cells: int | None = None  # N×T of the training data


_limits = RunLimits()


def set_run_limits(max_epochs: int | None, max_cells: int | None) -> None:
    """From now on, these limits hold for every config and run (process-wide)."""
    global _limits
    _limits = RunLimits(max_epochs, max_cells)


def run_limits() -> RunLimits:
    return _limits


def cells_refusal(n: int, t: int) -> str | None:
    """Why data of N sequences of T steps is refused here, or None."""
    limit = _limits.max_cells
    if limit is not None and n * t > limit:
        return f"N×T is at most {limit:,} in a served session; got {n}×{t} = {n * t:,}"
    return None


def refusal(key: str, value: Any) -> str | None:
    """Why a config value is beyond this app's limits, or None."""
    limit = _limits.max_epochs
    if key == "epochs" and limit is not None and isinstance(value, int) and value > limit:
        return f"at most {limit:,} epochs in a served session; got {value:,}"
    if key == "data" and isinstance(value, str) and (found := RANDOM_SPEC.fullmatch(value)):
        return cells_refusal(int(found[1]), int(found[2]))
    return None


def epochs_allowed(head: int, wanted: int) -> int:
    """How many of ``wanted`` new epochs past ``head`` the limit lets a run compute."""
    limit = _limits.max_epochs
    return wanted if limit is None else max(0, min(wanted, limit - head))


def epoch_limit_message() -> str:
    return f"Stopped at epoch {_limits.max_epochs:,}: the most a served session may compute."
