"""The loss over a (wx, wrec) grid, in one vectorised call of the model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .model import loss_only

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Landscape:
    wx: Array  # (cols,) grid coordinates
    wrec: Array  # (rows,)
    loss: Array  # (rows, cols): loss[i, j] at (wx[j], wrec[i]); inf where it overflows

    @property
    def minimum(self) -> tuple[float, float, float]:
        """(wx, wrec, loss) of the lowest grid point."""
        finite = np.where(np.isfinite(self.loss), self.loss, np.inf)
        i, j = np.unravel_index(int(np.argmin(finite)), finite.shape)
        return float(self.wx[j]), float(self.wrec[i]), float(self.loss[i, j])


def landscape(
    x: ArrayLike,
    y: ArrayLike,
    activation: str = "identity",
    wx_range: tuple[float, float] = (-3.0, 3.0),
    wrec_range: tuple[float, float] = (-3.0, 3.0),
    shape: tuple[int, int] = (200, 200),
) -> Landscape:
    """Loss on a ``shape = (rows, cols)`` grid; NaN becomes inf (off the chart)."""
    rows, cols = shape
    wx = np.linspace(*wx_range, cols)
    wrec = np.linspace(*wrec_range, rows)
    loss = loss_only(wx[np.newaxis, :], wrec[:, np.newaxis], x, y, activation)
    loss = np.where(np.isnan(loss), np.inf, loss)
    return Landscape(wx, wrec, loss)
