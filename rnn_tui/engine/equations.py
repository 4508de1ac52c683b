"""How an explanation is written: numbers, equations and the whole explanation.

The text types the cell explanations (:mod:`.explain`) and the update
explanations (:mod:`.explain_update`) both build.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass


def num(value: float) -> str:
    """A number as shown in equations: 4 decimals, scientific when tiny or huge."""
    if not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if magnitude == 0.0:
        return "0"
    if magnitude < 1e5 and float(value).is_integer():
        return f"{value:.0f}"
    if 1e-3 <= magnitude < 1e5:
        return f"{value:.4f}"
    return f"{value:.3e}"


def factor(value: float) -> str:
    """A number inside a product: negative ones in parentheses."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True)
class Equation:
    """``segments`` joined by `` = ``: the rule, the substituted numbers, the result."""

    segments: tuple[str, ...]

    def __str__(self) -> str:
        return " = ".join(self.segments)

    def lines(self, width: int) -> list[str]:
        """Fit in ``width`` columns, breaking before each ``=`` and then at spaces."""
        if len(str(self)) <= width:
            return [str(self)]
        out: list[str] = []
        for i, segment in enumerate(self.segments):
            text = segment if i == 0 else f"  = {segment}"
            out.extend(textwrap.wrap(text, width, subsequent_indent="    ") or [""])
        return out


@dataclass(frozen=True)
class Explanation:
    title: str
    """What is explained, e.g. "a_2, sequence 1"."""
    equations: tuple[Equation, ...]
    value: float
    """The engine's number for this cell (the last equation's result)."""
    why: str
    notebook: str = ""
    """The matching line of the notebook, where there is one."""

    def lines(self, width: int) -> list[str]:
        """The whole explanation wrapped to ``width`` columns."""
        out = textwrap.wrap(self.title, width)
        for equation in self.equations:
            out.extend(equation.lines(width))
        out.append("")
        out.extend(textwrap.wrap(self.why, width))
        if self.notebook:
            out.append("")
            out.extend(textwrap.wrap(f"notebook: {self.notebook}", width, subsequent_indent="  "))
        return out
