"""What the teacher presses: Textual key names, and how the guide writes them."""

from __future__ import annotations

from dataclasses import dataclass

# How a key name reads on a slide: the footer's glyphs where it has them.
LABELS = {
    "full_stop": ".",
    "comma": ",",
    "space": "space",
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "shift+left": "shift+←",
    "shift+right": "shift+→",
    "pagedown": "pgdn",
    "pageup": "pgup",
    "question_mark": "?",
    "colon": ":",
}


def label(name: str) -> str:
    return LABELS.get(name, name)


@dataclass(frozen=True)
class Keys:
    """Key names pressed in order, and how the guide writes them: ``before``, the
    ``shown`` key or text (set as code), ``after`` (``tab`` ×8, type ``norm:1``)."""

    names: tuple[str, ...]
    shown: str
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        return f"{self.before}{self.shown}{self.after}"

    def markdown(self) -> str:
        return f"{self.before}`{self.shown}`{self.after}"


def press(name: str, times: int = 1) -> Keys:
    """One key, ``times`` times over."""
    return Keys((name,) * times, label(name), after="" if times == 1 else f" ×{times}")


def typed(text: str) -> Keys:
    """``text`` typed over a focused field's value (home, ctrl+k clear it first; Pilot
    presses a character by itself)."""
    return Keys(("home", "ctrl+k", *text), text, before="type ")


def tab_to(field: str, tabs: int) -> Keys:
    """``tabs`` presses of tab, which the guide writes as "tab to ``field``"."""
    return Keys(("tab",) * tabs, "tab", after=f" to {field}")


def keys(*names: str) -> tuple[Keys, ...]:
    """Several single keys, each written on its own."""
    return tuple(press(name) for name in names)
