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
    """``start()`` once the app is up, ``stop()`` when it ends (tests start many apps
    in one process: each gives the collector back as it found it)."""

    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            gc.freeze()  # what exists now lives as long as the app
            gc.set_threshold(YOUNG_THRESHOLD, *self._thresholds[1:])

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            gc.unfreeze()
            self._thresholds = None
