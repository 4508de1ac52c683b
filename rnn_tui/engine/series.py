"""Per-epoch series for the views, thinned so drawing cost does not grow with history."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .trainer import Trainer

Array = NDArray[np.float64]
IntArray = NDArray[np.int_]


def thin(length: int, max_points: int) -> IntArray:
    """At most ``max_points`` evenly spread indices into ``range(length)``,
    always keeping the first and the last."""
    if length <= max_points:
        return np.arange(length)
    picked: IntArray = np.unique(np.linspace(0, length - 1, max_points).round().astype(np.int_))
    return picked


def known_epochs(trainer: Trainer, max_points: int) -> IntArray:
    """At most ``max_points`` epochs from the first known one (0, or where a resumed run
    started while its earlier history is computed) up to the cursor."""
    start = min(trainer.known_from, trainer.epoch)
    return start + thin(trainer.epoch + 1 - start, max_points)


def weight_path(trainer: Trainer, max_points: int = 400) -> tuple[Array, Array]:
    """(wx, wrec) from epoch 0 (or the first known one) up to the cursor: the path drawn
    on the landscape."""
    keep = known_epochs(trainer, max_points)
    wx: Array = trainer.history.column("wx")[keep]
    wrec: Array = trainer.history.column("wrec")[keep]
    return wx, wrec


def gradient_norms(trainer: Trainer, max_points: int = 400) -> tuple[IntArray, Array]:
    """(epochs, |(dL/dwx, dL/dwrec)|) from epoch 0 (or the first known one) up to the cursor."""
    keep = known_epochs(trainer, max_points)
    norms: Array = np.hypot(
        trainer.history.column("dwx")[keep], trainer.history.column("dwrec")[keep]
    )
    return keep, norms
