"""The engine is pure NumPy: importing it must not pull in the UI or serving stack."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["rnn_tui.engine", "rnn_tui.cli", "rnn_tui.classroom.client"])
def test_module_imports_no_ui_libraries(module: str) -> None:
    probe = (
        f"import sys, {module}; "
        "bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] in {'textual', 'plotext', 'textual_plotext', 'asyncssh', 'rich'}); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
