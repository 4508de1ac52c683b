"""After a micro-step the explain pane shows what the step is about, even on a short screen:
the loss below the prediction, the update below the gradients (issue 9, 100x30)."""

from __future__ import annotations

import pytest

from rnn_tui.ui.views import ExplainPanel
from rnn_tui.ui.views.panes import ExplainPane

from .conftest import driving


def visible_lines(pane: ExplainPane) -> list[str]:
    panel = pane.query_one(ExplainPanel)
    top, rows = round(pane.scroll_y), pane.scrollable_content_region.height
    return panel.lines(panel.content_size.width)[top : top + rows]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
async def test_the_pane_scrolls_to_the_loss_and_the_update(size: tuple[int, int]) -> None:
    async with driving(size=size) as (app, pilot):
        pane = app.query_one(ExplainPane)
        await pilot.press("e", *["full_stop"] * 4)  # forward t = 1, 2, 3, then the loss
        await pilot.pause()
        assert any(line.startswith("loss (mean squared error)") for line in visible_lines(pane))
        await pilot.press(*["full_stop"] * 3)  # backward: back to the top
        await pilot.pause()
        assert pane.scroll_y == 0
        await pilot.press("full_stop")  # the update
        await pilot.pause()
        shown = visible_lines(pane)
        assert any(line.startswith("update of wx") for line in shown)
        assert any(line.startswith("wx ← wx − lr·dL/dwx") for line in shown)
