"""SVG snapshots of the main screen: the start and after 10 epochs of seed-linear,
at 80x24 and 120x40. Update with `pytest tests/ui/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

from typing import Any

import pytest

from rnn_tui.engine import PRESETS
from rnn_tui.ui.app import RnnTuiApp

SIZES = [(80, 24), (120, 40)]


def notebook_app() -> RnnTuiApp:
    return RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(notebook_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_after_ten_epochs(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(notebook_app(), press=["space"] * 10, terminal_size=size)
