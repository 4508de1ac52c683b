"""The UI takes the engine through its package surface only (``rnn_tui.engine``), and
the run controller and the commands never import Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rnn_tui

UI = Path(rnn_tui.__file__).parent / "ui"


def engine_submodules_imported(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("rnn_tui.engine.") or (
                node.level > 0 and node.module.startswith("engine.")
            ):
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("rnn_tui.engine.")]
    return found


def test_the_ui_imports_only_the_engine_package() -> None:
    offenders = {
        str(path.relative_to(UI)): modules
        for path in sorted(UI.rglob("*.py"))
        if (modules := engine_submodules_imported(path))
    }
    assert offenders == {}


@pytest.mark.parametrize(
    "module",
    [
        "rnn_tui.ui.controller",
        "rnn_tui.ui.commands",
        "rnn_tui.ui.session",
        "rnn_tui.ui.runner",
        "rnn_tui.ui.class_mode",
    ],
)
def test_the_run_logic_imports_no_textual(module: str) -> None:
    code = f"import sys, {module}; print(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
