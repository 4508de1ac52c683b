"""The help screen: the experiment in a paragraph, every key, every column."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult, RenderResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual
from textual.widget import Widget
from textual.widgets import Static

from rnn_tui.engine import COLUMNS, QUANTITIES, Preset

from ..keys import KEYS
from ..table.columns import CHANGE_HELP, MAGNITUDE_HELP, ROW_HELP
from ..table.samples import SAMPLE_COLUMNS
from .tinted import TintedModal

KEY_NAMES = {
    "space": "space",
    "question_mark": "?",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "full_stop": ".",
    "comma": ",",
    "colon": ":",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
}


def key_names(keys: str) -> str:
    return " ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def two_columns(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        show_header=False,
        box=None,
        expand=True,
    )
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for left, right in rows:
        table.add_row(Text(left), Text(right))  # a str would be parsed as markup
    return table


def help_content(preset: Preset | None) -> RenderableType:
    parts: list[RenderableType] = []
    if preset is not None:
        parts += [Text(preset.title, style="bold"), Text(preset.note), Text("")]
    keys = [(k.help_keys or key_names(k.keys), k.help) for k in KEYS if k.help_keys != ""]
    keys += [
        (
            "arrows (landscape)",
            "Tab to the landscape to pan it with the arrows; tab again gives the arrows back "
            "to stepping through epochs.",
        ),
        ("tab / shift+tab", "Move between the table, the parameters and the other panels."),
        (
            "up down shift+← shift+→",
            "Move the cursor in the table (the arrows alone move through epochs).",
        ),
        ("escape", "Leave a parameter field without applying it; close this screen."),
        ("ctrl+p", "Command palette: every action by name, and every preset."),
    ]
    parts += [two_columns("Keys", keys), Text("")]
    columns = [("t", "the timestep; rows " + ", ".join(f"{r}: {h}" for r, h in ROW_HELP))]
    columns += [(QUANTITIES[key].heading, QUANTITIES[key].help) for key in COLUMNS]
    columns += [("marks", CHANGE_HELP), ("", MAGNITUDE_HELP)]
    parts += [two_columns("Unrolled table (the selected sample)", columns), Text("")]
    samples = [("n", "the sample; ▸ marks the one in the unrolled table"), ("x", "the sequence")]
    samples += [(heading, help) for _, heading, help in SAMPLE_COLUMNS]
    parts += [two_columns("All samples", samples), Text("")]
    parts.append(
        Text(
            "Status line: preset, epoch / configured epochs, loss (mean squared error), the "
            "weights and the run state: ‖ paused (with the speed as epochs per second, or "
            "'computed to N' when later epochs are kept: end goes there), ▶ running (the "
            "measured epochs per second), » running to a target, ◦ micro-step, ✓ converged "
            "(gradient below 1e-9, loss at its floor ~0), ■ stalled (gradient too small to "
            "move the weights, loss still above its floor), ✗ diverged (numbers overflowed). "
            "It is always one line: narrower terminals show fewer digits, then leave out the "
            "configured epochs and the preset's name. The footer likewise shortens its labels "
            "and leaves out keys; every key is listed here and in the palette (ctrl+p)."
        )
    )
    return Group(*parts)


class LinesOnce(RichVisual):
    """A rich renderable laid out once per width: Textual lays a ``Static``'s rich
    renderable out again on every restyle, and the screen beneath restyles each
    time this one opens (~60 table rows through rich: tens of ms a time)."""

    def __init__(self, widget: Widget, renderable: RenderableType) -> None:
        super().__init__(widget, renderable)
        self._heights: dict[int, int] = {}
        self._strips: dict[tuple[int, int | None, Style], list[Strip]] = {}

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width not in self._heights:
            self._heights[width] = super().get_height(rules, width)
        return self._heights[width]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (width, height, style)
        if key not in self._strips:
            self._strips[key] = super().render_strips(width, height, style, options)
        return self._strips[key]


class HelpText(Static):
    """The help's text, laid out once per width."""

    def __init__(self, renderable: RenderableType, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = LinesOnce(self, renderable)

    def render(self) -> RenderResult:
        return self._lines


class HelpScreen(TintedModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]

    def __init__(self, preset: Preset | None) -> None:
        super().__init__()
        self._preset = preset

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help · escape closes"
            yield HelpText(help_content(self._preset), id="help-text")


def help_screen(app: App[Any], preset: Preset | None) -> str:
    """The name of the help screen for ``preset``, installed on ``app`` the first
    time: built and laid out once, it opens again at the cost of one frame."""
    name = f"help:{preset.name if preset is not None else ''}"
    if not app.is_screen_installed(name):
        app.install_screen(HelpScreen(preset), name)
    return name
