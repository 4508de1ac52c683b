"""The teacher's class view: every student, live, those in trouble on top.

The screen only shows the roster the hub sent and asks the app to act (spotlight
the selected student, take it back, push, hold); the app does the work. Names and
config strings come from students: they are shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from rnn_tui.classroom.protocol import RosterEntry

from ..formatting import fmt_count, fmt_short
from ..keys import CLASS_VIEW_KEYS
from .tinted import TintedModal

COLUMNS = ("name", "mode", "state", "epoch", "loss", "config")
TROUBLE_STYLE = {"diverged": "bold red", "stalled": "bold yellow"}


def roster_row(entry: RosterEntry) -> tuple[Text, ...]:
    loss = "—" if entry.loss is None else fmt_short(entry.loss, 6)
    return (
        Text(entry.name),
        Text(entry.mode, style="dim" if entry.mode == "following" else "bold"),
        Text(entry.state, style=TROUBLE_STYLE.get(entry.state, "")),
        Text(fmt_count(entry.epoch), justify="right"),
        Text(loss, justify="right"),
        Text(entry.config, no_wrap=True, overflow="ellipsis"),
    )


class ClassScreen(TintedModal[None]):
    """Push with the roster and the class line; the app calls :meth:`show` on news."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key.keys, f"app.{key.action}" if key.action != "close" else "close", key.label)
        for key in CLASS_VIEW_KEYS
    ]
    DEFAULT_CSS = """
    ClassScreen { align: center middle; }
    #class-body { width: 95%; height: 90%; border: round $accent; background: $surface; }
    #class-line { height: 1; padding: 0 1; }
    #class-table { height: 1fr; }
    """

    def __init__(self, roster: Sequence[RosterEntry], line: str) -> None:
        super().__init__()
        self._roster = tuple(roster)
        self._line = line

    def compose(self) -> ComposeResult:
        with Vertical(id="class-body") as body:
            body.border_title = "Class"
            yield Static(Text(self._line), id="class-line")
            table: DataTable[Text] = DataTable(
                id="class-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns(*COLUMNS)
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.show(self._roster, self._line)

    @property
    def selected(self) -> str | None:
        """The name of the student under the cursor, if any."""
        table = self.query_one(DataTable)
        if not self._roster or table.cursor_row >= len(self._roster):
            return None
        return self._roster[max(table.cursor_row, 0)].name

    def show(self, roster: Sequence[RosterEntry], line: str) -> None:
        """The latest roster (the cursor stays on the same student where it can)."""
        chosen = self.selected if self.is_mounted else None
        self._roster, self._line = tuple(roster), line
        self.query_one("#class-line", Static).update(Text(line))
        table = self.query_one(DataTable)
        table.clear()
        for entry in self._roster:
            table.add_row(*roster_row(entry), key=entry.name)
        names = [entry.name for entry in self._roster]
        if chosen in names:
            table.move_cursor(row=names.index(chosen))

    def action_close(self) -> None:
        self.dismiss(None)
