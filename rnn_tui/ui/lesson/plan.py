"""What a lesson is made of: sections of steps, each with the sights the class should see."""

from __future__ import annotations

from dataclasses import dataclass

from .keys import Keys

# Where the class looks, and how the guide names it.
PLACES = {
    "status": "the status line",
    "notice": "the message line",
    "summary": "the line under the table",
    "table": "the table",
    "explain": "the explain panel",
    "cost": "the cost chart's title",
    "landscape": "the landscape's legend",
    "gradients": "the gradients view",
    "view": "the open view",
}


@dataclass(frozen=True)
class Sight:
    """``text`` appears in ``place`` (a table cell: ``cell`` = (row, column) holds ``value``)."""

    place: str
    text: str
    cell: tuple[str, str] | None = None
    value: float | None = None


@dataclass(frozen=True)
class Step:
    press: tuple[Keys, ...]
    say: str
    """What the teacher says or asks."""
    see: str
    """What the class should see after the keys, numbers included."""
    sights: tuple[Sight, ...] = ()

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(name for group in self.press for name in group.names)

    @property
    def keys_label(self) -> str:
        return ", ".join(str(group) for group in self.press)


@dataclass(frozen=True)
class Section:
    title: str
    minutes: int
    preset: str
    intro: str
    steps: tuple[Step, ...]
    command: str = ""


@dataclass(frozen=True)
class Lesson:
    title: str
    intro: str
    sections: tuple[Section, ...]
    homework: tuple[str, ...]

    @property
    def steps(self) -> tuple[tuple[Section, Step], ...]:
        """Every step in order, with its section."""
        return tuple((section, step) for section in self.sections for step in section.steps)
