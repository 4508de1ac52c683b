""" "Go to epoch N": one field. A number the run controller refuses is refused here,
in place, with its reason; escape leaves without moving."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..commands import CommandError, GoTo
from .tinted import TintedModal


class GoToScreen(TintedModal[GoTo | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Cancel")]

    def __init__(self, parse: Callable[[str], GoTo], head: int, goal: int) -> None:
        super().__init__()
        self._parse = parse
        self._hint = f"computed up to {head:,}; epochs = {goal:,}".replace(",", " ")

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-body") as body:
            body.border_title = "Go to epoch · enter goes · escape cancels"
            yield Input(
                placeholder="epoch, e.g. 1000", max_length=24, compact=True, id="goto-epoch"
            )
            yield Static(Text(self._hint), id="goto-reason")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _go(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            command = self._parse(event.value)
        except CommandError as error:
            self.query_one("#goto-reason", Static).update(Text(f"✗ {error}"))
            self.query_one("#goto-body").add_class("-refused")
            return
        self.dismiss(command)
