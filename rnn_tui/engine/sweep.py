"""Many gradient-descent runs in lockstep: one vectorised model call per epoch.

A learning-rate sweep answers "which step sizes converge, which explode?" for
the whole range at once. Each run is bit-for-bit the run a :class:`Trainer`
with that config would make (same kernel, same update arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .config import Config
from .datasets import load
from .model import Unrolled

Array = NDArray[np.float64]


@dataclass(frozen=True)
class SweepResult:
    lr_wx: Array  # (B,)
    lr_wrec: Array  # (B,)
    wx: Array  # final weights, (B,); the last finite ones for a diverged run
    wrec: Array
    loss: Array  # loss at the final weights (inf where a run diverged)
    diverged_at: Array  # first epoch whose loss was not finite, or -1


def sweep_learning_rates(
    config: Config, lr_wx: ArrayLike, lr_wrec: ArrayLike, epochs: int | None = None
) -> SweepResult:
    """Train one plain-gradient-descent run per (lr_wx, lr_wrec) pair (broadcast)."""
    lrx, lrr = (a.reshape(-1) for a in np.broadcast_arrays(np.asarray(lr_wx, float), lr_wrec))
    lrx, lrr = lrx.astype(np.float64), lrr.astype(np.float64)
    runs = lrx.shape[0]
    data = load(config.data, config.seed)
    unrolled = Unrolled(data.x, data.y, config.activation, batch=runs)
    wx = np.full((runs, 1), config.wx)
    wrec = np.full((runs, 1), config.wrec)
    diverged_at = np.full(runs, -1)
    total = config.epochs if epochs is None else epochs
    with np.errstate(all="ignore"):
        loss, grads = unrolled.evaluate(wx, wrec)
        for epoch in range(1, total + 1):
            alive = diverged_at < 0
            before = wx.copy(), wrec.copy()
            # w <- w - lr * dL/dw, frozen once a run has diverged
            wx[:, 0] = np.where(alive, wx[:, 0] - lrx * grads[:, 0], wx[:, 0])
            wrec[:, 0] = np.where(alive, wrec[:, 0] - lrr * grads[:, 1], wrec[:, 0])
            loss, grads = unrolled.evaluate(wx, wrec)
            finite = np.isfinite(loss) & np.isfinite(grads).all(axis=1)
            failed = alive & ~finite
            diverged_at[failed] = epoch
            # like the trainer, a diverged run keeps its last finite weights
            wx[failed], wrec[failed] = before[0][failed], before[1][failed]
            if not alive.any():
                break
    return SweepResult(
        lrx,
        lrr,
        wx[:, 0].copy(),
        wrec[:, 0].copy(),
        np.where(diverged_at < 0, loss, np.inf),
        diverged_at,
    )
