"""A table drawn from one epoch's Trace, with numbers as wide as its width allows."""

from __future__ import annotations

from typing import ClassVar

from textual.reactive import reactive

from rnn_tui.engine import MicroCursor, Trace

from .grid import CursorType, GridTable

MIN_NUMBER_WIDTH = 7
MAX_NUMBER_WIDTH = 12


def fit_number_width(available: int, fixed: int, columns: int) -> int:
    """The widest number that lets ``columns`` number columns fit in ``available``."""
    if columns <= 0:
        return MAX_NUMBER_WIDTH
    return max(MIN_NUMBER_WIDTH, min(MAX_NUMBER_WIDTH, (available - fixed) // columns))


class TraceTable(GridTable):
    """Subclasses say how many number columns they have and how many other
    characters a row takes, and draw the rows in :meth:`draw`."""

    NUMBER_COLUMNS: ClassVar[int] = 1
    FIXED_WIDTH: ClassVar[int] = 0

    number_width: reactive[int] = reactive(10)

    def __init__(
        self, *, id: str | None = None, cursor_type: CursorType = "cell", fixed_columns: int = 0
    ) -> None:
        super().__init__(id=id, cursor_type=cursor_type, fixed_columns=fixed_columns)
        self._shown: tuple[Trace, Trace | None, int, MicroCursor | None] | None = None

    @property
    def shown_sample(self) -> int | None:
        return None if self._shown is None else self._shown[2]

    def show(
        self,
        trace: Trace,
        previous: Trace | None,
        sample: int,
        micro: MicroCursor | None = None,
    ) -> None:
        """Draw ``sample`` of ``trace``; ``previous`` (the epoch before) marks changes;
        ``micro``, when stepping inside the epoch, blanks what is not computed yet."""
        if previous is not None and previous.x.shape != trace.x.shape:
            previous = None
        self._shown = (trace, previous, sample, micro)
        self.draw(trace, previous, sample, micro)

    def draw(
        self, trace: Trace, previous: Trace | None, sample: int, micro: MicroCursor | None
    ) -> None:
        raise NotImplementedError

    def watch_number_width(self) -> None:
        if self._shown is not None:
            self.draw(*self._shown)

    def before_painting(self) -> None:
        # Fitted where the rows are painted, not on Resize: the first frame is painted
        # before the Resize message is handled, and would show the numbers at the
        # default width with the last columns cut off.
        available = self.size.width - 1  # room for a vertical scrollbar
        fitted = fit_number_width(available, self.FIXED_WIDTH, self.NUMBER_COLUMNS)
        if fitted != self.number_width:
            self.number_width = fitted
