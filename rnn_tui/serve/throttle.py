"""Slowing down password guessing without locking out a class that shares one address.

Every wrong password counts against its address and against the whole server
within a sliding window. Within both budgets a wrong reply is held back by the
base delay; beyond either, the delay doubles with each further failure up to a
maximum. A right password is never held back: a student behind the same NAT
as a guesser signs in at once, while each of the guesser's connections gets at
most one answer per maximum delay (and the server holds few such connections,
see :class:`PendingBook`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from . import defaults


@dataclass(frozen=True)
class ThrottleSettings:
    tries_per_connection: int = defaults.TRIES_PER_CONNECTION
    failures_per_address: int = defaults.FAILURES_PER_ADDRESS
    failures_global: int = defaults.FAILURES_GLOBAL
    window: float = defaults.FAILURE_WINDOW
    base_delay: float = 1.0
    max_delay: float = defaults.MAX_FAILURE_DELAY


@dataclass
class FailureBudget:
    settings: ThrottleSettings = field(default_factory=ThrottleSettings)
    clock: Callable[[], float] = time.monotonic
    _by_address: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)

    def failed(self, address: str) -> float:
        """Count one wrong password from `address`; returns how long to hold the reply."""
        now = self.clock()
        mine = self._by_address.setdefault(address, deque())
        for times in (mine, self._all):
            times.append(now)
        self._forget_before(now - self.settings.window)
        over = max(
            len(mine) - self.settings.failures_per_address,
            len(self._all) - self.settings.failures_global,
        )
        if over <= 0:
            return self.settings.base_delay
        return min(self.settings.max_delay, self.settings.base_delay * 2.0 ** min(over, 30))

    @property
    def recent(self) -> int:
        """Wrong passwords from everyone within the window."""
        self._forget_before(self.clock() - self.settings.window)
        return len(self._all)

    def over_budget(self, address: str) -> bool:
        self._forget_before(self.clock() - self.settings.window)
        return len(self._by_address.get(address, ())) > self.settings.failures_per_address

    def _forget_before(self, start: float) -> None:
        for address, times in list(self._by_address.items()):
            while times and times[0] < start:
                times.popleft()
            if not times:
                del self._by_address[address]
        while self._all and self._all[0] < start:
            self._all.popleft()
