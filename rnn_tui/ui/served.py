"""What a served app (one student's process under `rnn-tui serve` or `rnn-tui web`) may do.

The server sets ``RNN_TUI_SERVED`` to ``ssh`` or ``web`` and, when the teacher hands
out sessions, ``RNN_TUI_SESSIONS_DIR`` to a read-only folder of named session files.
A served app touches no file and no clipboard: its actions are an allow-list, so a
future slip (say, markup from a student turned into an ``@click`` link) cannot reach
the disk. No Textual import: the App consults this policy (see ``action_guard``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .keys import CLASS_VIEW_KEYS, KEYS

SERVED_ENV = "RNN_TUI_SERVED"
SESSIONS_DIR_ENV = "RNN_TUI_SESSIONS_DIR"

ServedMode = Literal["ssh", "web"]

# Textual's own actions that the app's widgets and screens bind and that touch
# nothing outside the process: moving, scrolling, editing a field, closing a dialog.
NAVIGATION_ACTIONS = frozenset(
    {
        # app, screens, the command palette
        "quit",
        "help_quit",
        "bell",
        "command_palette",
        "command_list",
        "escape",
        "change_theme",
        "focus_next",
        "focus_previous",
        "show_help_panel",
        "hide_help_panel",
        "dismiss",
        "maximize",
        "minimize",
        # scrolling containers, tables, lists, selects, buttons
        "scroll_up",
        "scroll_down",
        "scroll_left",
        "scroll_right",
        "scroll_home",
        "scroll_end",
        "page_up",
        "page_down",
        "page_left",
        "page_right",
        "cursor",  # the unrolled and samples tables (GridTable): cursor(rows, columns)
        "cursor_up",
        "cursor_down",
        "cursor_left",
        "cursor_right",
        "first",
        "last",
        "select",
        "select_cursor",
        "show_overlay",
        "dismiss_overlay",
        "press",
        # the landscape view's own keys
        "pan",
        "zoom",
        "centre",
        "fit",
        # editing a one-line input (paste reads the app's own copy, not the system's)
        "cursor_left_word",
        "cursor_right_word",
        "delete_left",
        "delete_right",
        "delete_left_word",
        "delete_right_word",
        "delete_left_all",
        "delete_right_all",
        "select_all",
        "home",
        "end",
        "submit",
        "paste",
    }
)

# Bound by Textual's widgets and refused when served: they write a file or the clipboard.
FILE_ACTIONS = frozenset({"screenshot", "copy", "cut", "copy_text", "copy_config"})

# The app's own keys (ui/keys.py) and palette commands. The session dialog opens when
# served, but it offers only what the policy allows (no path, no save, no export, no
# clipboard); the palette's "copy config" is refused with the clipboard.
APP_ACTIONS = frozenset(key.action.split("(")[0] for key in (*KEYS, *CLASS_VIEW_KEYS)) | {
    "leave_parameters",
    "load_preset",
}

SERVED_ACTIONS = (APP_ACTIONS | NAVIGATION_ACTIONS) - FILE_ACTIONS

SERVED_REFUSAL = "Saving, exporting, opening files and the clipboard are off in a served class."


@dataclass(frozen=True)
class ServedPolicy:
    """``mode`` is None for a local app (everything allowed)."""

    mode: ServedMode | None = None
    sessions_dir: Path | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ServedPolicy:
        # Anything set but unknown counts as served: failing closed costs a teacher nothing.
        raw = environ.get(SERVED_ENV, "")
        mode: ServedMode | None = None
        if raw:
            mode = "web" if raw == "web" else "ssh"
        folder = environ.get(SESSIONS_DIR_ENV, "")
        return cls(mode, Path(folder) if mode and folder else None)

    @property
    def served(self) -> bool:
        return self.mode is not None

    def allows_action(self, name: str) -> bool:
        """``name`` without namespace or arguments, as Textual dispatches it."""
        return not self.served or name in SERVED_ACTIONS

    def allows_session_action(self, action: str) -> bool:
        """Served: only "open", and only by name from the teacher's folder."""
        return not self.served or (action == "open" and self.sessions_dir is not None)

    @property
    def allows_files(self) -> bool:
        """Save, export, open by path, copy to the clipboard."""
        return not self.served
