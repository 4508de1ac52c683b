"""Ask before throwing work away: one question, y/enter confirms, n/escape cancels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from .tinted import TintedModal


class ConfirmScreen(TintedModal[bool]):
    # Textual's own dismiss: a served app allows it (see served.py), so a student can answer.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "dismiss(True)", "Yes"),
        Binding("n,escape", "dismiss(False)", "No"),
    ]

    def __init__(self, question: str, detail: str) -> None:
        super().__init__()
        self._question = question
        self._detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body") as body:
            body.border_title = "y / enter: yes · n / escape: no"
            # Plain Text: the detail may quote a config string or a path.
            yield Static(Text(self._question, style="bold"), id="confirm-question")
            yield Static(Text(self._detail), id="confirm-detail")
