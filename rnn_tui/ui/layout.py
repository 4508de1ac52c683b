"""Layout classes: the breakpoint classes for a terminal size, as Textual computes
them on a resize, and setting a layout class without restyling every widget."""

from __future__ import annotations

from collections.abc import Mapping

from textual.css.model import SelectorType
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
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


def rule_targets(stylesheet: Stylesheet, class_names: frozenset[str]) -> frozenset[str]:
    """What the rules naming one of ``class_names`` select, by the name in their last
    part (``#params`` in ``Screen.-show-params #params``; ``*`` for anything)."""
    targets: set[str] = set()
    for rule in stylesheet.rules:
        if any(
            part.type is SelectorType.CLASS and part.name in class_names
            for selectors in rule.selector_set
            for part in selectors.selectors
        ):
            targets |= rule.selector_names
    return frozenset(targets)


def selector_names(node: DOMNode) -> set[str]:
    """The names a rule's last part can select ``node`` by: its id, classes and types."""
    names = {f".{name}" for name in node.classes} | {kind.__name__ for kind in type(node).__mro__}
    if node.id is not None:
        names.add(f"#{node.id}")
    return names


def styled_by(node: DOMNode, class_names: frozenset[str]) -> list[DOMNode]:
    """``node`` and the nodes under it that a rule naming one of ``class_names`` can
    select."""
    targets = rule_targets(node.app.stylesheet, class_names)
    return [
        found
        for found in node.walk_children(with_self=True)
        if found is node or "*" in targets or not targets.isdisjoint(selector_names(found))
    ]


def set_layout_classes(node: DOMNode, classes: Mapping[str, bool]) -> None:
    """Set (True) or remove (False) ``classes`` on ``node``, restyling only the
    widgets a rule naming a changed class selects. Textual restyles the whole
    subtree (on the Screen, ~130 widgets: 100 ms on a loaded machine); the rules
    these classes appear in set layout (display, size, borders), which no
    descendant inherits."""
    changed = frozenset(name for name, on in classes.items() if node.has_class(name) != on)
    if not changed:
        return
    node.update_classes(classes, update=False)
    node.app.stylesheet.update_nodes(styled_by(node, changed))
