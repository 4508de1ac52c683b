"""How many wrong sign-in tries the web route checks: per address and overall.

Each wrong try counts against its address and against everyone; over either budget
within the window, tries are refused without being checked until old failures age
out. Parallel connections gain nothing: a failure is counted the moment it is
checked, before its (delayed) reply. A class behind one NAT address that shares a
flooded budget still gets in with the token link or an existing sign-in cookie,
which are never throttled.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW = 60.0  # seconds a wrong try counts against a budget


class FailureBudget:
    def __init__(
        self,
        per_address: int,
        overall: int,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_address = per_address
        self.overall = overall
        self.window = window
        self._clock = clock
        self._all: deque[float] = deque()
        self._by_address: dict[str, deque[float]] = {}

    def wait_before_try(self, address: str) -> float:
        """0 if a try from `address` may be checked now, else the seconds until it may."""
        now = self._clock()
        self._forget_before(now - self.window)
        waits = [0.0]
        if len(self._all) >= self.overall:
            waits.append(self._all[-self.overall] + self.window - now)
        mine = self._by_address.get(address)
        if mine is not None and len(mine) >= self.per_address:
            waits.append(mine[-self.per_address] + self.window - now)
        return max(waits)

    def failed(self, address: str) -> None:
        now = self._clock()
        self._all.append(now)
        self._by_address.setdefault(address, deque()).append(now)

    def _forget_before(self, cutoff: float) -> None:
        # Memory stays bounded: only checked (so budgeted) failures are ever stored.
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for address in [a for a, times in self._by_address.items() if times[-1] <= cutoff]:
            del self._by_address[address]
        for times in self._by_address.values():
            while times[0] <= cutoff:
                times.popleft()
