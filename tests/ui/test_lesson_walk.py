"""The 45-minute lesson, walked in the real app: each step's keys are pressed and what
the step says the class will see is read from the widgets (issue 9, "Done means")."""

from __future__ import annotations

import time
from typing import TypeVar

import pytest
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.widget import Widget

from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.charts.plots import CostChart
from rnn_tui.ui.lesson import Sight, Step, lesson
from rnn_tui.ui.status.bar import NoticeLine, StatusBar, TextLine
from rnn_tui.ui.switcher import ViewSwitcher
from rnn_tui.ui.table.unrolled import UnrolledTable
from rnn_tui.ui.views import ExplainPanel, GradientsView, LandscapeView
from rnn_tui.ui.views.lesson_guide import LessonGuidePanel
from rnn_tui.ui.views.panes import ExplainPane

from .conftest import QUICK_SEEK, cell, driving

W = TypeVar("W", bound=Widget)

# The guide is read between steps at one size: it doubles the walk's time, and its fit
# at both sizes is tested on its own (test_lesson_guide).
WALKS = [((100, 30), True), ((80, 24), False)]
RUN_TIMEOUT = 120.0  # seconds for one run to its target (50 000 epochs on a busy machine)


def flat(text: str) -> str:
    """Whitespace collapsed: a wrapped equation reads as one line."""
    return " ".join(text.split())


def on_screen(app: RnnTuiApp, widget: W) -> W:
    """``widget``, once checked to be laid out on the screen (not hidden, not cut)."""
    try:
        region = app.screen.find_widget(widget).region
    except NoWidget:
        raise AssertionError(f"{widget!r} is not on the screen") from None
    assert region.area > 0, f"{widget!r} has no room on the screen"
    return widget


def read(app: RnnTuiApp, sight: Sight) -> str:
    """The text of the place a sight names, as the screen shows it now."""
    place = sight.place
    if place == "view":
        return app.query_one(ViewSwitcher).current or ""
    if place == "status":
        return on_screen(app, app.query_one(StatusBar)).plain
    if place == "notice":
        return str(on_screen(app, app.query_one(NoticeLine)).content)
    if place == "summary":
        return on_screen(app, app.query_one("#sample-summary", TextLine)).plain
    if place == "table":
        assert sight.cell is not None
        on_screen(app, app.query_one(UnrolledTable))
        return cell(app, *sight.cell)
    if place == "explain":
        on_screen(app, app.query_one(ExplainPane))
        return visible_explanation(app, sight.text)
    if place == "cost":
        return str(on_screen(app, app.query_one(CostChart)).border_title)
    if place == "landscape":
        return str(on_screen(app, app.query_one(LandscapeView)).render())
    if place == "gradients":
        view = on_screen(app, app.query_one(GradientsView))
        return " ".join(str(getattr(child, "text", "")) for child in view.children)
    raise AssertionError(f"no such place: {place}")


def visible_explanation(app: RnnTuiApp, text: str) -> str:
    """The explain panel's text, once ``text`` is checked to be inside the visible rows."""
    pane = app.query_one(ExplainPane)
    panel = pane.query_one(ExplainPanel)
    lines = panel.lines(panel.content_size.width)
    wanted = flat(text)
    last = next((j for j in range(len(lines)) if wanted in flat(" ".join(lines[: j + 1]))), None)
    if last is not None:
        first = max(i for i in range(last + 1) if wanted in flat(" ".join(lines[i : last + 1])))
        top, rows = round(pane.scroll_y), pane.scrollable_content_region.height
        assert top <= first and last < top + rows, (
            f"below the fold: {text!r} is on lines {first}-{last}, rows {top}-{top + rows - 1} show"
        )
    return "\n".join(lines)


def assert_seen(app: RnnTuiApp, sight: Sight) -> None:
    shown = read(app, sight)
    if sight.value is not None:  # a table cell: the number, to the digits it shows
        number = float(shown.strip().strip("▲▼█▆▃▁ "))
        assert number == pytest.approx(sight.value, rel=1e-3), (sight, shown)
        return
    assert flat(sight.text) in flat(shown), (sight.place, sight.text, shown)


async def settle(app: RnnTuiApp, pilot: Pilot[None]) -> None:
    """Let the keys take effect, and a run reach its target."""
    await pilot.pause()
    deadline = time.monotonic() + RUN_TIMEOUT
    while app.runner.active and time.monotonic() < deadline:
        await pilot.pause(0.05)
    await pilot.pause()


async def read_the_guide(app: RnnTuiApp, pilot: Pilot[None], number: int) -> None:
    """What the teacher does between steps: n, > to step ``number`` (0-based), n."""
    await pilot.press("n")
    guide = app.query_one(LessonGuidePanel)
    while guide.lesson is None:
        await pilot.pause(0.05)
    if guide.index < number:
        await pilot.press("greater_than_sign")
    await pilot.pause()
    assert guide.index == number
    await pilot.press("n")
    await settle(app, pilot)


async def do_step(app: RnnTuiApp, pilot: Pilot[None], step: Step, number: int | None) -> None:
    """Step ``number`` of the lesson (None: without reading the guide first)."""
    if number is not None:
        await read_the_guide(app, pilot, number)
    await pilot.press(*step.key_names)
    await settle(app, pilot)
    for sight in step.sights:
        assert_seen(app, sight)


@pytest.mark.slow
@pytest.mark.parametrize(("size", "guide"), WALKS, ids=["100x30-guide", "80x24"])
async def test_the_whole_lesson_walks(size: tuple[int, int], guide: bool) -> None:
    """Every step, in order, in one session, as a teacher would run it: the guide (n) shows
    the step, its keys are pressed, and what the class should see is on the screen."""
    async with driving("seed-linear", size=size, seek_seconds=QUICK_SEEK) as (app, pilot):
        for number, (_, step) in enumerate(lesson().steps):
            await do_step(app, pilot, step, number if guide else None)
