"""The engine's package is the surface: every name the UI and serve take from an
engine submodule is also exported by ``rnn_tui.engine``, as the same object."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import rnn_tui
import rnn_tui.engine

PACKAGE = Path(rnn_tui.__file__).parent
# Exported under another name where two submodules use the same one.
RENAMED = {("rnn_tui.engine.history", "COLUMNS"): "HISTORY_COLUMNS"}


def _names_taken_from_engine_submodules() -> set[tuple[str, str]]:
    """(submodule, name) of every ``from ...engine.X import name`` outside the engine."""
    taken: set[tuple[str, str]] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.is_relative_to(PACKAGE / "engine"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            if node.module.startswith("rnn_tui.engine."):
                module = node.module
            elif node.level > 0 and node.module.startswith("engine."):
                module = f"rnn_tui.{node.module}"
            else:
                continue
            taken |= {(module, alias.name) for alias in node.names}
    return taken


def test_every_name_the_ui_and_serve_import_is_on_the_surface() -> None:
    taken = _names_taken_from_engine_submodules()
    missing = []
    for module, name in taken:
        surface = RENAMED.get((module, name), name)
        obj = getattr(importlib.import_module(module), name)
        if surface not in rnn_tui.engine.__all__ or getattr(rnn_tui.engine, surface) is not obj:
            missing.append(f"{module}.{name}")
    assert not missing


def test_the_surface_names_exist() -> None:
    assert all(hasattr(rnn_tui.engine, name) for name in rnn_tui.engine.__all__)
    assert {"MicroCursor", "QUANTITIES", "explain", "explain_update"} <= set(rnn_tui.engine.__all__)
