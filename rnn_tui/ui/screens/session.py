"""The session dialog: the config string to share, and the files a session
writes or reads. The dialog only asks; the app does the work and reports.

Served (a student's app under `rnn-tui serve` / `rnn-tui web`) it offers no path,
no save, no export and no clipboard; it says so, and lists the sessions the teacher
shares by name, if any."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ..exports import shown_folder
from ..served import SERVED_REFUSAL, ServedPolicy
from ..session_files import shared_session_names
from .tinted import TintedModal

Action = Literal["save", "open", "csv", "svg", "copy"]

DEFAULT_PATHS: dict[str, str] = {
    "session": "rnn-tui-session.json",
    "csv": "rnn-tui-history.csv",
    "svg": "rnn-tui-screen.svg",
}


@dataclass(frozen=True)
class SessionRequest:
    action: Action
    path: str


class SessionScreen(TintedModal[SessionRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close")]

    def __init__(
        self,
        config_text: str,
        epoch: int,
        mode: Literal["save", "open"],
        served: ServedPolicy | None = None,
    ) -> None:
        super().__init__()
        self._config_text = config_text
        self._epoch = epoch
        self._mode = mode
        self._served = served or ServedPolicy()

    def compose(self) -> ComposeResult:
        with Vertical(id="session-body") as body:
            body.border_title = "Session · escape closes"
            yield Label("Config string (what `rnn-tui --config` accepts):", classes="caption")
            # The config string may hold a file name: shown as text, never as markup.
            yield Static(Text(self._config_text), id="config-string")
            yield Label(
                Text(f"A session also keeps the epoch ({self._epoch}) and mid-run changes."),
                classes="caption",
            )
            if self._served.served:
                yield from self._served_rows()
                return
            yield Static(  # wraps on a narrow screen (a Label would cut it)
                Text(f"Files are saved in {shown_folder()} (or give a full path)."),
                id="export-folder",
                classes="caption",
            )
            with Horizontal(classes="file-row"):
                yield Input(DEFAULT_PATHS["session"], id="path-session", compact=True)
                yield Button("Save", id="save", compact=True)
                yield Button("Open", id="open", compact=True)
            with Horizontal(classes="file-row"):
                yield Input(DEFAULT_PATHS["csv"], id="path-csv", compact=True)
                yield Button("Export CSV", id="csv", compact=True)
            with Horizontal(classes="file-row"):
                yield Input(DEFAULT_PATHS["svg"], id="path-svg", compact=True)
                yield Button("Export SVG", id="svg", compact=True)
            with Horizontal(classes="file-row"):
                yield Button("Copy config string", id="copy", compact=True)

    def _served_rows(self) -> ComposeResult:
        yield Static(Text(SERVED_REFUSAL), id="served-line", classes="caption")  # wraps
        folder = self._served.sessions_dir
        names = shared_session_names(folder) if folder is not None else []
        if not names:
            yield Label("The teacher shares no sessions to open.", classes="caption")
            return
        yield Label("Sessions the teacher shares:", classes="caption")
        with Horizontal(classes="file-row"):
            options = [(Text(name), name) for name in names]
            yield Select(options, allow_blank=False, compact=True, id="shared-session")
            yield Button("Open", id="open-shared", compact=True)

    def on_mount(self) -> None:
        for editor in self.query("#path-session, #shared-session"):
            editor.focus()

    def _path(self, name: str) -> str:
        return self.query_one(f"#path-{name}", Input).value.strip()

    def _request(self, action: Action) -> None:
        name = {
            "save": "session",
            "open": "session",
            "csv": "csv",
            "svg": "svg",
            "copy": "session",
        }[action]
        path = self._path(name)
        if not path and action != "copy":
            self.query_one(f"#path-{name}", Input).add_class("-refused")
            return
        self.dismiss(SessionRequest(action, path))

    @on(Button.Pressed, "#open-shared")
    def _open_shared(self, event: Button.Pressed) -> None:
        event.stop()
        name = self.query_one("#shared-session", Select).value
        if isinstance(name, str):
            self.dismiss(SessionRequest("open", name))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("save", "open", "csv", "svg", "copy"):
            self._request(event.button.id)  # type: ignore[arg-type]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        target = {"path-session": self._mode, "path-csv": "csv", "path-svg": "svg"}
        action = target.get(event.input.id or "")
        if action:
            self._request(action)  # type: ignore[arg-type]
