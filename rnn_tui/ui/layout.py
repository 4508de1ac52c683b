"""The breakpoint classes for a terminal size, as Textual computes them on a resize."""

from __future__ import annotations

from textual.geometry import Size


def breakpoint_classes(
    size: Size, horizontal: list[tuple[int, str]], vertical: list[tuple[int, str]]
) -> dict[str, bool]:
    """Each breakpoint class and whether ``size`` puts it on: the widest (tallest)
    breakpoint the size reaches, in each direction."""
    classes = {name: False for _, name in (*horizontal, *vertical)}
    for breakpoints, extent in ((horizontal, size.width), (vertical, size.height)):
        reached = [(limit, name) for limit, name in breakpoints if extent >= limit]
        if reached:
            classes[max(reached)[1]] = True
    return classes
