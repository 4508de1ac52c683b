"""Reduce a long series to a few points per chart column.

Each bucket of epochs becomes its maximum then its minimum, so spikes and
oscillations stay visible however long the history, and plotting costs the
same at 50 epochs as at 1 000 000.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


def envelope(values: Array, buckets: int) -> tuple[Array, Array]:
    """``(epochs, values)`` with at most ``2 * buckets`` points."""
    count = values.shape[0]
    buckets = max(1, buckets)
    if count <= 2 * buckets:
        return np.arange(count, dtype=np.float64), np.asarray(values, dtype=np.float64)
    size = math.ceil(count / buckets)
    whole = (count // size) * size
    blocks = values[:whole].reshape(-1, size)
    highs = blocks.max(axis=1)
    lows = blocks.min(axis=1)
    starts = np.arange(0, whole, size, dtype=np.float64)
    if whole < count:  # the last, partial bucket
        tail = values[whole:]
        highs = np.append(highs, tail.max())
        lows = np.append(lows, tail.min())
        starts = np.append(starts, float(whole))
    ends = np.minimum(starts + size, count)  # the last bucket may be short
    xs = np.repeat((starts + ends - 1) / 2, 2)
    ys = np.empty(2 * highs.shape[0])
    ys[0::2] = highs
    ys[1::2] = lows
    return xs, ys


def decades(low: float, high: float) -> list[int]:
    """Whole powers of ten spanning [low, high] (log10 values), for log-axis ticks."""
    first, last = math.floor(low), math.ceil(high)
    step = max(1, math.ceil((last - first) / 5))
    return list(range(first, last + 1, step))


def epoch_ticks(last: int, count: int = 4) -> tuple[list[float], list[str]]:
    """Round tick positions over epochs 0..last, labelled briefly (25k, 1.5M)."""
    if last <= 0:
        return [0.0], ["0"]
    raw = last / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1)  # epochs are whole numbers
    ticks = [i * step for i in range(int(last // step) + 1)]
    return ticks, [short_count(t) for t in ticks]


def short_count(value: float) -> str:
    for limit, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:g}{suffix}"
    return f"{value:g}"


def power_label(exponent: int) -> str:
    return f"1e{exponent}"
