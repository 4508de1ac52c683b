"""How a cell looks while a student micro-steps through an epoch.

The engine's :class:`~rnn_tui.engine.microsteps.MicroCursor` says whether a cell is
done, being computed right now, or still pending; this only turns that into text.
"""

from __future__ import annotations

from rich.text import Text

from rnn_tui.engine import CellState, MicroCursor

PENDING_MARK = "·"  # a pending cell: not computed yet in this epoch
CURRENT_STYLE = "bold reverse"  # reads with and without colour


def pending_cell(width: int) -> Text:
    """A blank cell of ``width`` characters with a dim dot where the number will go."""
    return Text(PENDING_MARK.rjust(width - 1) + " ", style="dim", no_wrap=True, end="")


def in_state(cell: Text, state: CellState, width: int) -> Text:
    """``cell`` as shown for ``state``: as is, highlighted, or blanked."""
    if state == "pending":
        return pending_cell(width)
    if state == "current":
        cell.stylize(CURRENT_STYLE, 1)  # not the leading separator space
    return cell


def cell_state(micro: MicroCursor | None, column: str, t: int) -> CellState:
    return "done" if micro is None else micro.cell_state(column, t)


def quantity_state(micro: MicroCursor | None, name: str | None) -> CellState:
    """``name`` None: data (a target), known from the start."""
    return "done" if micro is None or name is None else micro.quantity_state(name)
