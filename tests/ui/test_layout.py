"""The breakpoint classes the app sets itself at mount, before Textual's first Resize
(which can come after the first frame, drawn in the wide layout until then)."""

from __future__ import annotations

import pytest
from textual.geometry import Size

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.layout import breakpoint_classes

H, V = RnnTuiApp.HORIZONTAL_BREAKPOINTS, RnnTuiApp.VERTICAL_BREAKPOINTS


@pytest.mark.parametrize(
    ("size", "on"),
    [
        ((80, 24), {"-narrow", "-short"}),
        ((109, 31), {"-narrow", "-short"}),
        ((110, 32), {"-medium", "-tall"}),
        ((169, 40), {"-medium", "-tall"}),
        ((170, 60), {"-wide", "-tall"}),
    ],
)
def test_one_class_per_direction_as_textual_picks_them(size: tuple[int, int], on: set[str]) -> None:
    classes = breakpoint_classes(Size(*size), H, V)
    assert {name for name, set_ in classes.items() if set_} == on
    assert set(classes) == {name for _, name in (*H, *V)}  # the others are taken off
