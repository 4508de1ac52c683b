"""The real app in a real terminal (tmux): keys go in, the epoch comes out."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "tmux-smoke.sh"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("size", [("100", "30"), ("80", "24")])
def test_tmux_smoke(size: tuple[str, str]) -> None:
    result = subprocess.run(
        ["bash", str(SCRIPT), *size],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable, "TERM": "xterm-256color"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "passed" in result.stdout
