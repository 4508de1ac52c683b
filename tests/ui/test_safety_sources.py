"""A guard against the next slip: no widget in rnn_tui/ui is given an interpolated str.

Static, Label, ``update``, ``notify`` and tooltips parse a str as markup; text built
with an f-string or ``format`` usually carries something from outside (a typed value,
a path, an error). Such text goes in as ``rich.text.Text`` or ``Content``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import rnn_tui.ui

MARKUP_TAKERS = {
    "Static",
    "Label",
    "update",
    "notify",
    "with_tooltip",
}  # not NoticeLine.say: it builds Text


def interpolated(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.FormattedValue) for part in node.values)
    if isinstance(node, ast.BinOp):  # "…" + name, "…" % name
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def markup_slips(source: str) -> list[int]:
    slips = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in MARKUP_TAKERS and node.args and interpolated(node.args[0]):
            slips.append(node.lineno)
    return slips


def test_the_check_finds_the_bug_of_issue_8() -> None:
    assert markup_slips('static.update(f"✗ {reason}")') == [1]
    assert markup_slips('static.update(Text(f"✗ {reason}"))') == []


def test_no_widget_gets_an_interpolated_str() -> None:
    package = Path(rnn_tui.ui.__file__).parent
    found = {
        str(path.relative_to(package)): lines
        for path in sorted(package.rglob("*.py"))
        if (lines := markup_slips(path.read_text(encoding="utf-8")))
    }
    assert found == {}
