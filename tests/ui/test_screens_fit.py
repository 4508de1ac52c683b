"""What a class reads at 80x24 is whole (issue 9, "Fit the screens a class uses")."""

from __future__ import annotations

import pytest

from rnn_tui.ui.views.microbar import MicroStepBar

from .conftest import driving


@pytest.mark.parametrize("preset", ["seed-linear", "vanishing"])
async def test_the_micro_step_line_keeps_every_word_at_80_columns(preset: str) -> None:
    async with driving(preset, size=(80, 24)) as (app, pilot):
        bar = app.query_one(MicroStepBar)
        await pilot.press("full_stop")
        await pilot.pause()
        assert bar.cursor is not None
        steps = len(bar.cursor.plan)
        for _ in range(steps):
            lines = str(bar.render()).split("\n")
            computed = bar.cursor.describe().partition(": ")[2]
            assert " ".join(lines).endswith(computed)
            assert all(len(line) <= bar.content_size.width for line in lines), lines
            await pilot.press("full_stop")
            await pilot.pause()
