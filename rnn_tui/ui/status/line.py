"""The status line's layout: what fits on one line at a given width.

Pure functions with no Textual import. The line never wraps: at each width the
richest layout whose *reserved* width fits is chosen. Reserved widths depend on
the preset's name and the configured epochs only, never on the numbers of the
moment, so the layout does not flip as digits come and go while a run moves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from rich.text import Text

from ..formatting import fmt_count, fmt_short

GAP = "  "


@dataclass(frozen=True)
class RunState:
    """The run state in words (``words`` for wide lines, ``short`` for narrow ones)
    and a glyph that reads without colour."""

    glyph: str
    words: str
    style: str
    short: str = ""

    def text(self, kind: Literal["words", "short", "glyph"]) -> str:
        if kind == "glyph":
            return self.glyph
        words = self.words if kind == "words" else (self.short or self.words)
        return f"{self.glyph} {words}"


@dataclass(frozen=True)
class StatusFacts:
    """Everything the status line says, read from the run by the app."""

    preset: str
    epoch: int
    target: int
    head: int
    loss: float
    wx: float
    wrec: float
    state: RunState
    classroom: str = ""  # following / exploring / the class's counts, in class mode
    classroom_short: tuple[str, ...] = ()  # shorter forms of it, longest first


@dataclass(frozen=True)
class Layout:
    """One way to write the line; :data:`LAYOUTS` runs from the richest to the barest."""

    preset: bool
    target: bool
    loss_digits: int
    loss_width: int
    weight_digits: int
    weight_width: int
    state: Literal["words", "short", "glyph"]
    state_width: int  # reserved for the run state, the longest it usually gets
    roomy: bool = False  # spaces around the preset's name and the epochs' slash


LAYOUTS: tuple[Layout, ...] = (
    Layout(True, True, 6, 11, 8, 11, "words", 42, roomy=True),
    Layout(True, True, 6, 11, 6, 9, "short", 20),
    Layout(True, True, 4, 9, 5, 8, "short", 20),
    Layout(False, True, 4, 9, 5, 8, "short", 20),
    Layout(False, False, 4, 9, 4, 7, "short", 20),
    Layout(False, False, 4, 9, 4, 7, "glyph", 1),
)
FEWER_DIGITS = 2
"""Index of the first layout a projector uses: fewer digits, read from the back row."""


def _preset_text(facts: StatusFacts, layout: Layout) -> str:
    return f" {facts.preset} " if layout.roomy else facts.preset


def _epoch_text(facts: StatusFacts, layout: Layout) -> tuple[str, int]:
    """The epoch and, if it fits, the configured epochs; with the width to reserve."""
    target = fmt_count(facts.target)
    if layout.target:
        slash = " / " if layout.roomy else "/"
        return f"{fmt_count(facts.epoch)}{slash}{target}", 2 * len(target) + len(slash)
    return fmt_count(facts.epoch), len(target)


def reserved_width(facts: StatusFacts, layout: Layout) -> int:
    """How wide the line can get in ``layout`` whatever the numbers of the moment."""
    parts = [
        6 + _epoch_text(facts, layout)[1],
        5 + layout.loss_width,
        3 + layout.weight_width,
        5 + layout.weight_width,
        layout.state_width,
    ]
    if facts.classroom:
        parts.append(2 + len(facts.classroom))
    if layout.preset:
        parts.insert(0, len(_preset_text(facts, layout)))
    return 1 + sum(parts) + len(GAP) * (len(parts) - 1)


def choose_layout(facts: StatusFacts, width: int, first: int = 0) -> Layout:
    """The richest layout (from ``LAYOUTS[first]`` on) that fits in ``width``."""
    return _fit(facts, width, first)[0]


def _fit(facts: StatusFacts, width: int, first: int) -> tuple[Layout, StatusFacts]:
    """A layout and a form of the class words that fit together: one step down in
    either costs the same, and a tie keeps the longer words (the teacher's class
    counts matter as much as a digit or the run state's words)."""
    forms = (facts.classroom, *facts.classroom_short)
    layouts = LAYOUTS[first:]
    for rank in range(len(layouts) + len(forms) - 1):
        for form in range(min(rank, len(forms) - 1) + 1):
            if rank - form >= len(layouts):
                continue
            shown = replace(facts, classroom=forms[form])
            if reserved_width(shown, layouts[rank - form]) <= width:
                return layouts[rank - form], shown
    return LAYOUTS[-1], replace(facts, classroom=forms[-1])


def status_line(facts: StatusFacts, width: int, first: int = 0) -> Text:
    """The status line for a terminal ``width`` columns wide: always one line
    (starting with a space: the widget has no padding, the line is its own margin)."""
    layout, facts = _fit(facts, width, first)

    # Numbers are padded to a steady width so nothing after them jitters.
    def field(label: str, value: str, pad: int) -> Text:
        return Text.assemble((f"{label} ", "dim"), (value.ljust(pad), "bold"))

    epoch, epoch_width = _epoch_text(facts, layout)
    chunks = [
        field("epoch", epoch, epoch_width),
        field(
            "loss", fmt_short(facts.loss, layout.loss_digits, layout.loss_width), layout.loss_width
        ),
        field(
            "wx",
            fmt_short(facts.wx, layout.weight_digits, layout.weight_width),
            layout.weight_width,
        ),
        field(
            "wrec",
            fmt_short(facts.wrec, layout.weight_digits, layout.weight_width),
            layout.weight_width,
        ),
        Text(facts.state.text(layout.state), style=facts.state.style),
    ]
    if facts.classroom:
        chunks.append(Text(f"◈ {facts.classroom}", style="bold blue"))
    if layout.preset:
        chunks.insert(0, Text(_preset_text(facts, layout), style="bold reverse"))
    line = Text(" ") + Text(GAP).join(chunks)
    line.rstrip()
    line.no_wrap, line.overflow, line.end = True, "ellipsis", ""
    line.truncate(max(width, 1), overflow="ellipsis")
    return line
