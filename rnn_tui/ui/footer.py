"""The footer: the keys that work here, as many as the width holds.

Textual's Footer cuts the line at the right edge, so at 80 columns a class never saw
`n c r i`. This footer writes shorter labels when the full ones do not fit, then
leaves out the least needed keys (every key stays in `?` and the palette). The
fitting is a pure function, :func:`fit`, tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.widget import Widget

from .keys import KEYS

# The footer's words for the main screen's actions: (short label, rank). Rank 0 keys
# are always shown, rank 1 keys while they fit, the rest (rank 2) on wide screens.
NARROW: dict[str, tuple[str, int]] = {
    "step(1)": ("step", 0),
    "micro(1)": ("micro", 0),
    "toggle_run": ("run", 0),
    "help": ("help", 0),
    "view('explain')": ("expl", 1),
    "view('landscape')": ("land", 1),
    "view('gradients')": ("grad", 1),
    "view('lessons')": ("lesson", 1),
    "view('gradcheck')": ("check", 1),
    "run_to_target": ("end", 1),
    "edit_parameters": ("edit", 1),
    "landscape('zoom', 0.5)": ("zoom", 1),
    "landscape('zoom', 2.0)": ("out", 1),
    "landscape('centre')": ("centre", 1),
    "landscape('fit')": ("fit", 1),
    "preset(1)": ("preset", 1),
}
DEFAULT_RANK = 2


@dataclass(frozen=True)
class Entry:
    """One key as the footer may write it."""

    key: str  # the Textual key name pressed when the entry is clicked
    display: str
    label: str
    short: str
    rank: int


@dataclass(frozen=True)
class Fitted:
    entries: tuple[Entry, ...]
    short: bool
    gap: int

    def label(self, entry: Entry) -> str:
        return entry.short if self.short else entry.label

    @property
    def width(self) -> int:
        return line_width(self.entries, self.short, self.gap)


def line_width(entries: Sequence[Entry], short: bool, gap: int) -> int:
    words = sum(cell_len(e.display) + 1 + cell_len(e.short if short else e.label) for e in entries)
    return words + gap * max(len(entries) - 1, 0)


def fit(entries: Sequence[Entry], width: int) -> Fitted:
    """Full labels if they fit, else short ones; then fewer keys, highest rank first
    (the last of that rank first), until the line fits in ``width``."""
    for short, gap in ((False, 2), (False, 1), (True, 2), (True, 1)):
        if line_width(entries, short, gap) <= width:
            return Fitted(tuple(entries), short, gap)
    kept = list(entries)
    while len(kept) > 1 and line_width(kept, True, 1) > width:
        worst = max(e.rank for e in kept)
        del kept[max(i for i, e in enumerate(kept) if e.rank == worst)]
    return Fitted(tuple(kept), True, 1)


# Keys that work only while their view is open: what a student needs in that view.
VIEW_ACTIONS = frozenset(key.action for key in KEYS if key.view)


def entry_for(binding: Binding, display: str) -> Entry:
    if binding.action in NARROW:
        short, rank = NARROW[binding.action]
    elif binding.action in VIEW_ACTIONS:  # a view's own key keeps its words, and its place
        short, rank = binding.description, 1
    else:  # lower case, so a narrow line does not mix "Back" and "step"
        short, rank = binding.description.lower(), DEFAULT_RANK
    return Entry(binding.key, display, binding.description, short, rank)


class KeyFooter(Widget):
    """The screen's active, shown bindings on one line that fits the width."""

    COMPONENT_CLASSES = {"key-footer--key"}  # noqa: RUF012 (Textual reads a class attribute)
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def entries(self) -> list[Entry]:
        """The keys that work now and are meant to be shown, one per action."""
        seen: set[str] = set()
        found: list[Entry] = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and enabled and binding.action not in seen:
                seen.add(binding.action)
                found.append(entry_for(binding, self.app.get_key_display(binding)))
        if self.app.ENABLE_COMMAND_PALETTE:
            found.append(Entry("ctrl+p", "^p", "palette", "palette", DEFAULT_RANK))
        return found

    def fitted(self) -> Fitted:
        return fit(self.entries(), self.content_size.width - 1)

    def render(self) -> RenderResult:
        fitted = self.fitted()
        key_style = self.get_component_rich_style("key-footer--key")
        text = Text(" ", no_wrap=True, overflow="ellipsis", end="")
        for i, entry in enumerate(fitted.entries):
            if i:
                text.append(" " * fitted.gap)
            text.append(entry.display, style=key_style)
            text.append(f" {fitted.label(entry)}")
        return text

    @property
    def plain(self) -> str:
        return str(self.render())

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (the web route has a mouse)."""
        fitted, column = self.fitted(), 1
        for entry in fitted.entries:
            end = column + cell_len(entry.display) + 1 + cell_len(fitted.label(entry))
            if column <= event.x < end:
                self.app.simulate_key(entry.key)
                return
            column = end + fitted.gap
