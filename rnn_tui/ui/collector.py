"""Python's garbage collector, kept out of the frames' way while the app runs.

Measured over 120 steps at 120x40: a full collection walked the ~100 000 objects
made to start the app (modules, widgets, styles, all alive until it quits) and took
~50 ms, a dropped frame every ~40 steps; frozen, it takes ~3 ms. And the charts
build and drop thousands of lists a step, which set off ~3 young collections per
step at Python's threshold of 700 net new objects; at 3 000, one every ~2 steps,
and the collector's total time per step is a third of what it was.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 3_000


class QuietCollector:
    """``start()`` once the app is up, ``stop()`` when it ends. The collector is the
    process's: with several apps in one process (tests, a class in one test), the
    first to start tunes it and the last to stop gives it back as it was."""

    running = 0  # apps of this process between start() and stop()
    saved: tuple[int, int, int] | None = None  # the thresholds before the first start

    def __init__(self) -> None:
        self._started = False

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        cls = type(self)
        if cls.running == 0:
            cls.saved = gc.get_threshold()
            gc.set_threshold(YOUNG_THRESHOLD, *cls.saved[1:])
        cls.running += 1
        gc.freeze()  # what exists now lives as long as the app

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        cls = type(self)
        cls.running -= 1
        if cls.running == 0 and cls.saved is not None:
            gc.set_threshold(*cls.saved)
            gc.unfreeze()
