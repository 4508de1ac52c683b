"""The lesson guide is read between steps: closing it gives back the view it covered."""

from __future__ import annotations

from rnn_tui.engine import PRESETS
from rnn_tui.ui.controller import RunController


def test_closing_the_lessons_view_uncovers_the_view_under_it() -> None:
    run = RunController(PRESETS["seed-linear"].config, "seed-linear")
    run.handle(run.toggled_view("explain"))
    run.handle(run.toggled_view("lessons"))
    assert run.view == "lessons"
    run.handle(run.toggled_view("lessons"))
    assert run.view == "explain"  # the micro-steps go on explaining
    run.handle(run.toggled_view("explain"))
    run.handle(run.toggled_view("lessons"))
    run.handle(run.toggled_view("lessons"))
    assert run.view == "charts"


def test_other_views_still_close_to_the_charts() -> None:
    run = RunController(PRESETS["seed-linear"].config, "seed-linear")
    run.handle(run.toggled_view("explain"))
    run.handle(run.toggled_view("landscape"))
    run.handle(run.toggled_view("landscape"))
    assert run.view == "charts"
    run.handle(run.toggled_view("lessons"))
    run.handle(run.toggled_view("gradients"))  # another view replaces the guide
    run.handle(run.toggled_view("gradients"))
    assert run.view == "charts"
