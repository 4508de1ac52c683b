"""The App side of the served policy: the one hook every action passes through.

Key bindings, ``@click`` links in any widget's content, the command palette's key
commands and ``Widget.run_action`` all end in ``App.run_action``; refusing there
covers every namespace (``app.``, ``screen.``, a widget's own). The methods that
write a file, the clipboard or open a URL are refused too, for the paths that call
them directly (Textual's palette "Screenshot", ``Input``'s copy, the session dialog).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual import actions
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen

from .served import SERVED_REFUSAL, ServedPolicy

# Textual's palette commands that would write a file when served.
FILE_COMMANDS = frozenset({"Screenshot"})


def action_name(action: str | ActionParseResult) -> str:
    """The bare action name of ``app.screenshot('a', 'b')`` (``screenshot``)."""
    if isinstance(action, str):
        _namespace, name, _params = actions.parse(action)
        return name
    return action[1]


class ActionGuard(App[None]):
    """An App that consults :class:`ServedPolicy` before anything reaches a file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.served = ServedPolicy.from_env()

    def refused(self, what: str) -> None:
        """Say that ``what`` is off in a served class."""
        self.bell()
        self.notify(SERVED_REFUSAL, title=what, severity="warning", markup=False)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        try:
            name = action_name(action)
        except actions.ActionError:
            return False
        if not self.served.allows_action(name):
            self.refused(name)
            return False
        return await super().run_action(action, default_namespace, namespaces)

    def copy_to_clipboard(self, text: str) -> None:
        if self.served.allows_files:
            super().copy_to_clipboard(text)
        else:
            self.refused("copy")

    def save_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str:
        if not self.served.allows_files:
            self.refused("screenshot")
            return ""
        return super().save_screenshot(filename, path, time_format)

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        if not self.served.allows_files:
            self.refused("screenshot")
            return None
        return super().deliver_screenshot(filename, path, time_format)

    def deliver_text(self, *args: Any, **kwargs: Any) -> str | None:
        if not self.served.allows_files:
            self.refused("save")
            return None
        return super().deliver_text(*args, **kwargs)

    def deliver_binary(self, *args: Any, **kwargs: Any) -> str | None:
        if not self.served.allows_files:
            self.refused("save")
            return None
        return super().deliver_binary(*args, **kwargs)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        if self.served.allows_files:
            super().open_url(url, new_tab=new_tab)
        else:
            self.refused("open link")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if self.served.allows_files or command.title not in FILE_COMMANDS:
                yield command
