"""Per-epoch record of a run, in NumPy arrays that grow by doubling."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

COLUMNS = ("wx", "wrec", "loss", "dwx", "dwrec")


class History:
    """Row ``k`` holds the weights at the start of epoch ``k``, the loss there and
    the gradients there (before clipping). Row 0 is the initial weights."""

    def __init__(self, capacity: int = 1024) -> None:
        self._rows = np.empty((capacity, len(COLUMNS)))
        self.length = 0
        # Counts every change (appends and truncations), so views can cache what they derive.
        self.version = 0

    def append(self, row: tuple[float, float, float, float, float]) -> None:
        if self.length == self._rows.shape[0]:
            grown = np.empty((2 * self._rows.shape[0], len(COLUMNS)))
            grown[: self.length] = self._rows[: self.length]
            self._rows = grown
        self._rows[self.length] = row
        self.length += 1
        self.version += 1

    @classmethod
    def unknown(cls, length: int) -> History:
        """``length`` rows not known yet (NaN): a run resumed at epoch ``length`` fills them
        later (:meth:`fill_prefix`)."""
        history = cls(max(1024, 1 << max(0, length).bit_length()))
        history._rows[:length] = np.nan
        history.length = length
        return history

    def fill_prefix(self, source: History, length: int) -> None:
        """Rows ``0 .. length-1`` copied from ``source`` (a run's earlier history, computed
        later than the rest)."""
        if not 0 <= length <= min(self.length, source.length):
            raise IndexError(f"cannot fill {length} rows of {self.length} from {source.length}")
        self._rows[:length] = source._rows[:length]
        self.version += 1

    def truncate(self, length: int) -> None:
        """Forget every row from ``length`` on."""
        self.length = min(self.length, length)
        self.version += 1

    def row(self, epoch: int) -> tuple[float, float, float, float, float]:
        if not 0 <= epoch < self.length:
            raise IndexError(f"epoch {epoch} is not in the history (0..{self.length - 1})")
        wx, wrec, loss, dwx, dwrec = (float(v) for v in self._rows[epoch])
        return wx, wrec, loss, dwx, dwrec

    def column(self, name: str) -> Array:
        """A read-only view of one column over all recorded epochs."""
        view = self._rows[: self.length, COLUMNS.index(name)]
        view.flags.writeable = False
        return view

    @property
    def nbytes(self) -> int:
        return int(self._rows.nbytes)

    def __len__(self) -> int:
        return self.length
