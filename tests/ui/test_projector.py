"""Projector mode (issue 9): a light high-contrast theme and fewer digits, by key and flag."""

from __future__ import annotations

import re

import pytest

from rnn_tui.cli import build_parser
from rnn_tui.engine import PRESETS
from rnn_tui.ui import formatting
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.formatting import fmt, set_significant_digits
from rnn_tui.ui.projector import NAME
from rnn_tui.ui.status.bar import StatusBar

from .conftest import cell, driving


def digits_in(text: str) -> int:
    """Significant digits of the number in a cell (its mantissa, without marks)."""
    mantissa = re.sub(r"[^0-9.e+-]", "", text).split("e")[0].lstrip("+-").replace(".", "")
    return len(mantissa.lstrip("0"))


def test_fmt_keeps_at_most_the_projector_digits() -> None:
    try:
        set_significant_digits(4)
        assert fmt(0.20000000, 10).strip() == "+0.2000"
        assert fmt(-744.78564, 10).strip() == "-744.8"
        assert fmt(4.62253e-9, 10).strip() == "+4.623e-9"
        assert formatting.fmt_short(0.131554) == "0.1316"
    finally:
        set_significant_digits(None)
    assert fmt(0.2, 10).strip() == "+0.2000000"


async def test_t_switches_the_theme_and_the_digits_and_back() -> None:
    async with driving("seed-linear", size=(100, 30)) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        theme = app.theme
        assert digits_in(cell(app, "t1", "a")) > 4
        await pilot.press("T")
        await pilot.pause()
        assert app.theme == NAME and not app.current_theme.dark
        assert digits_in(cell(app, "t1", "a")) <= 4
        assert "wx 0.4088 " in app.query_one(StatusBar).shown
        assert "Projector mode on" in str(app.controller.shown_notice.text)
        await pilot.press("T")
        await pilot.pause()
        assert app.theme == theme and digits_in(cell(app, "t1", "a")) > 4


async def test_the_flag_starts_the_app_projecting() -> None:
    assert build_parser().parse_args(["--projector"]).projector
    app = RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear", projector=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == NAME and app.query_one(StatusBar).fewer_digits
    # a later app starts with every digit again
    assert RnnTuiApp(PRESETS["seed-linear"].config).projector.on is False
    assert fmt(0.2, 10).strip() == "+0.2000000"


@pytest.fixture(autouse=True)
def _all_digits_after() -> object:
    yield
    set_significant_digits(None)
