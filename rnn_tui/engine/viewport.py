"""The window of (wx, wrec) that the loss-landscape view shows, and its shading.

A :class:`Viewport` is an immutable rectangle of weight space: zooming, panning
and re-centring return a new one, so a view can use it as part of a cache key
and recompute the landscape only when it really changes. Row 0 of a grid is the
*top* of the picture, the largest wrec, as on a blackboard.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .datasets import Dataset

Array = NDArray[np.float64]
IntArray = NDArray[np.int_]

MIN_SPAN = 1e-6  # never zoom in below this width: the grid would be all one value


@dataclass(frozen=True)
class Viewport:
    wx: tuple[float, float] = (-3.0, 3.0)
    wrec: tuple[float, float] = (-3.0, 3.0)

    @property
    def centre(self) -> tuple[float, float]:
        return (self.wx[0] + self.wx[1]) / 2, (self.wrec[0] + self.wrec[1]) / 2

    @property
    def span(self) -> tuple[float, float]:
        return self.wx[1] - self.wx[0], self.wrec[1] - self.wrec[0]

    def zoom(self, factor: float) -> Viewport:
        """Scale both spans by ``factor`` about the centre (< 1 zooms in)."""
        cx, cy = self.centre
        sx, sy = (max(MIN_SPAN, s * factor) / 2 for s in self.span)
        return Viewport((cx - sx, cx + sx), (cy - sy, cy + sy))

    def centred_on(self, wx: float, wrec: float) -> Viewport:
        sx, sy = (s / 2 for s in self.span)
        return Viewport((wx - sx, wx + sx), (wrec - sy, wrec + sy))

    def pan(self, dx: float, dy: float) -> Viewport:
        """Move by fractions of the span (dy > 0 moves towards larger wrec)."""
        cx, cy = self.centre
        sx, sy = self.span
        return self.centred_on(cx + dx * sx, cy + dy * sy)

    @classmethod
    def around(cls, wx: Array, wrec: Array, margin: float = 0.25) -> Viewport:
        """The smallest window holding every finite point, plus ``margin`` of its span."""
        keep = np.isfinite(wx) & np.isfinite(wrec)
        if not keep.any():
            return cls()
        lo = np.array([wx[keep].min(), wrec[keep].min()])
        hi = np.array([wx[keep].max(), wrec[keep].max()])
        pad = np.maximum((hi - lo) * margin, 0.5)
        return cls((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))

    def cell(self, wx: float, wrec: float, rows: int, cols: int) -> tuple[int, int] | None:
        """The (row, col) of the grid point nearest (wx, wrec); None when outside."""
        if not (np.isfinite(wx) and np.isfinite(wrec)):
            return None
        fx = (wx - self.wx[0]) / self.span[0]
        fy = (wrec - self.wrec[0]) / self.span[1]
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            return None
        col = round(fx * (cols - 1))
        row = rows - 1 - round(fy * (rows - 1))
        return row, col


def band_edges(loss: Array, bands: int) -> Array:
    """``bands - 1`` loss values splitting the finite grid evenly in log10 space:
    equal steps of log-loss read as contour lines."""
    finite = loss[np.isfinite(loss) & (loss > 0)]
    if finite.size == 0:
        return np.ones(bands - 1)
    lo, hi = np.log10(finite.min()), np.log10(finite.max())
    if hi - lo < 1e-12:
        hi = lo + 1.0
    edges: Array = 10.0 ** np.linspace(lo, hi, bands + 1)[1:-1]
    return edges


def bands_of(loss: Array, edges: Array) -> IntArray:
    """Band index 0..len(edges) of each loss (0 = lowest); infinite loss is the top band."""
    index: IntArray = np.searchsorted(edges, np.where(np.isfinite(loss), loss, np.inf), "right")
    return index


def known_optimum(dataset: Dataset, activation: str) -> tuple[float, float] | None:
    """(1, 1) for a linear network counting ones, where it gives the exact answer
    (y_hat = sum x_t); None when no closed-form optimum is known."""
    if activation == "identity" and np.array_equal(dataset.y, dataset.x.sum(axis=1)):
        return 1.0, 1.0
    return None
