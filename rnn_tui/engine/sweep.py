"""Many training runs in lockstep: one vectorised model call per epoch.

A learning-rate sweep answers "which step sizes converge, which explode?" for
the whole range at once. Each run is bit for bit the run a :class:`Trainer`
with that config would make: the same kernel, and the same optimizer and
clipping code (:mod:`~rnn_tui.engine.optimizers` works on a float or on an array
of runs alike). Rprop has no learning rate and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .config import Config
from .datasets import load
from .model import Unrolled
from .rules import rate_optimizer

Array = NDArray[np.float64]


@dataclass(frozen=True)
class SweepResult:
    lr_wx: Array
    """Each run's learning rate of wx, shape (B,)."""
    lr_wrec: Array
    wx: Array
    """Final weights, shape (B,); the last finite ones for a diverged run."""
    wrec: Array
    loss: Array
    """Loss at the final weights (inf where a run diverged)."""
    diverged_at: Array
    """The first epoch that could not be computed (as ``Trainer.divergence.epoch``), or -1."""


def sweep_learning_rates(
    config: Config, lr_wx: ArrayLike, lr_wrec: ArrayLike, epochs: int | None = None
) -> SweepResult:
    """Train one run of ``config`` per (lr_wx, lr_wrec) pair (broadcast), with the
    config's optimizer and clipping. Raises ConfigError for rprop."""
    lrx, lrr = (a.reshape(-1) for a in np.broadcast_arrays(np.asarray(lr_wx, float), lr_wrec))
    lrx, lrr = lrx.astype(np.float64), lrr.astype(np.float64)
    optimizer = rate_optimizer(config, (lrx, lrr))
    clip = config.clip_rule
    runs = lrx.shape[0]
    data = load(config.data, config.seed)
    unrolled = Unrolled(data.x, data.y, config.activation, batch=runs)
    wx = np.full(runs, config.wx)
    wrec = np.full(runs, config.wrec)
    state = [np.full(runs, value) for value in optimizer.initial_state()]
    diverged_at = np.full(runs, -1)
    total = config.epochs if epochs is None else epochs
    with np.errstate(all="ignore"):
        loss, grads = _evaluate(unrolled, wx, wrec)
        diverged_at[~_finite(loss, grads)] = 1  # as the Trainer: the first epoch fails
        for epoch in range(1, total + 1):
            alive = diverged_at < 0
            if not alive.any():
                break
            # A diverged run's weights stay frozen; its state is never read again.
            gradient = clip.apply(grads[:, 0].copy(), grads[:, 1].copy())
            new_wx, new_wrec = optimizer.step((wx, wrec), gradient, state)
            loss, grads = _evaluate(unrolled, new_wx, new_wrec)
            moved = alive & _finite(loss, grads)
            diverged_at[alive & ~moved] = epoch
            wx = np.where(moved, new_wx, wx)
            wrec = np.where(moved, new_wrec, wrec)
    return SweepResult(lrx, lrr, wx, wrec, np.where(diverged_at < 0, loss, np.inf), diverged_at)


def _evaluate(unrolled: Unrolled, wx: Array, wrec: Array) -> tuple[Array, Array]:
    loss, grads = unrolled.evaluate(wx[:, None], wrec[:, None])
    return loss.copy(), grads.copy()


def _finite(loss: Array, grads: Array) -> NDArray[np.bool_]:
    finite: NDArray[np.bool_] = np.isfinite(loss) & np.isfinite(grads).all(axis=1)
    return finite
