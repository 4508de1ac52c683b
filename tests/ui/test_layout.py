"""The breakpoint classes the app sets itself at mount, before Textual's first Resize
(which can come after the first frame, drawn in the wide layout until then), and
layout classes that restyle only the widgets their rules select."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from rnn_tui.engine import PRESETS
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.layout import breakpoint_classes, set_layout_classes, styled_by
from rnn_tui.ui.params.panel import ParameterPanel

from .conftest import driving

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


class Restyled:
    """Counts the nodes the app's stylesheet restyles from now on."""

    def __init__(self, app: RnnTuiApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.nodes: list[DOMNode] = []
        stylesheet = app.stylesheet
        update = stylesheet.update_nodes

        def counting(nodes: Iterable[DOMNode], animate: bool = False) -> None:
            nodes = list(nodes)
            self.nodes += nodes
            update(nodes, animate=animate)

        monkeypatch.setattr(stylesheet, "update_nodes", counting)


async def test_the_panel_opens_on_a_narrow_screen_restyling_only_what_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """-show-params on the Screen restyled all ~130 widgets (100 ms on a loaded
    machine); only the five its rules select, plus focus, need it."""
    async with driving("seed-linear", (80, 24)) as (app, pilot):
        await pilot.press("i", "escape")  # the first time makes the fields (and styles them)
        await pilot.pause()
        restyled = Restyled(app, monkeypatch)
        await pilot.press("i")
        await pilot.pause()
        assert app.query_one("#params").display and not app.query_one("#views").display
        assert app.query_one(ParameterPanel).has_focus_within
        assert len(restyled.nodes) < 15
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query_one("#params").display and app.query_one("#views").display


class LaidOut:
    """The widgets asked to lay out again (``refresh(layout=True)``) from now on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.widgets: set[Widget] = set()
        refresh = Widget.refresh

        def counting(
            widget: Widget, *regions: Region, layout: bool = False, **kwargs: bool
        ) -> Widget:
            if layout:
                self.widgets.add(widget)
            return refresh(widget, *regions, layout=layout, **kwargs)

        monkeypatch.setattr(Widget, "refresh", counting)


async def test_the_panel_opens_on_a_narrow_screen_laying_out_only_what_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """#body's layout followed -show-params (vertical while the panel was open): a change
    of layout lays out and repaints every widget inside (~95, a third of the first
    frame). It is vertical whenever the screen is narrow; only display follows `i`."""
    async with driving("seed-linear", (80, 24)) as (app, pilot):
        await pilot.press("i", "escape")  # the first time makes the fields
        await pilot.pause()
        laid_out = LaidOut(monkeypatch)
        await pilot.press("i")
        await pilot.pause()
        assert app.query_one("#params").region.height > 0
        assert len(laid_out.widgets) < 10
        laid_out.widgets.clear()
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one("#views").region.height > 0
        assert len(laid_out.widgets) < 10


async def test_a_big_view_on_a_short_screen_restyles_only_what_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with driving("seed-linear", (80, 24)) as (app, pilot):
        restyled = Restyled(app, monkeypatch)
        await pilot.press("l")
        await pilot.pause()
        assert not app.query_one("#centre").display  # the landscape takes the body
        # #main and what its rules select; the table, for losing the focus
        assert {node.id for node in restyled.nodes} <= {"main", "centre", "samples", "unrolled"}
        await pilot.press("l")
        await pilot.pause()
        assert app.query_one("#centre").display


async def test_layout_classes_restyle_the_nodes_their_rules_select() -> None:
    css = "Screen.-x #a { display: none; } #b.-y .c { display: none; } .-z * { color: red; }"

    class Tiny(App[None]):
        CSS = css

        def compose(self) -> ComposeResult:
            with Vertical(id="b"):
                yield Static(id="a")
                yield Static(classes="c")
                yield Static(id="d")

    app = Tiny()
    async with app.run_test() as pilot:
        screen, box = app.screen, app.query_one("#b")
        assert styled_by(screen, frozenset({"-x"})) == [screen, app.query_one("#a")]
        assert styled_by(box, frozenset({"-y"})) == [box, app.query_one(".c")]
        assert len(styled_by(box, frozenset({"-z"}))) == 4  # `.-z *`: every descendant
        set_layout_classes(screen, {"-x": True})
        set_layout_classes(box, {"-y": True})
        await pilot.pause()
        assert not app.query_one("#a").display and not app.query_one(".c").display
        assert app.query_one("#d").display
        set_layout_classes(screen, {"-x": False})
        await pilot.pause()
        assert app.query_one("#a").display


async def test_startup_styles_each_widget_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The breakpoint classes set in on_mount restyled the whole screen a second time."""
    app = RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear")
    restyled = Restyled(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-narrow", "-short")
        assert len(restyled.nodes) < 2 * len(list(app.screen.walk_children(with_self=True)))


async def test_a_narrow_screen_makes_the_panels_fields_only_when_they_are_asked_for() -> None:
    """Hidden at 80 columns, the panel's ~70 widgets are not made at the start (they were
    most of the start's cost); `i` makes them, and so does widening the screen."""
    async with driving("seed-linear", (80, 24)) as (app, pilot):
        panel = app.query_one(ParameterPanel)
        assert panel.deferred and not panel.children
        await pilot.press("i")
        await pilot.pause()
        assert not panel.deferred and app.focused is app.query_one("#param-wx")
        assert app.query_one("#param-wx", Input).value == "0.2"
    async with driving("seed-linear", (80, 24)) as (app, pilot):
        await pilot.press("space")  # the run moves on before the fields are made
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        panel = app.query_one(ParameterPanel)
        assert not panel.deferred and panel.region.width > 0
        assert app.query_one("#param-wrec", Input).value == "1.5"
        assert app.query_one("#preset", Select).value == "seed-linear"
