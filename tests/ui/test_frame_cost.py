"""What a frame costs: only what is visible and changed is rendered again.

Counters, not timings (the benchmarks time it): the tables render only visible
rows, once until they change; the charts plot once per change of what they show,
in the frame that shows the step."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from typing import Any

import pytest
from plotext._figure import _figure_class
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual._compositor import ChopsUpdate, Compositor, ReflowResult
from textual.app import App, ComposeResult
from textual.color import Color
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.pilot import Pilot
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.visual import RichVisual
from textual.widget import Widget

from rnn_tui.engine import PRESETS
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.centre import CentreColumn
from rnn_tui.ui.charts import plotext_speedups as fast
from rnn_tui.ui.charts.plots import CostChart, WeightsChart
from rnn_tui.ui.collector import YOUNG_THRESHOLD, QuietCollector
from rnn_tui.ui.footer import KeyFooter
from rnn_tui.ui.params.panel import ParameterPanel
from rnn_tui.ui.partial_screen import ChangedOnlyCompositor, PartialScreen
from rnn_tui.ui.screens.help import HelpScreen, LinesOnce
from rnn_tui.ui.screens.tinted import TintedModal
from rnn_tui.ui.table.grid import GridColumn, GridRow, GridTable
from rnn_tui.ui.views.fitted import FitsItsText
from rnn_tui.ui.views.gradients import GradientsView

from .conftest import driving

ROWS = 1_000


def rows(value: int) -> list[GridRow]:
    return [GridRow(f"r{i}", [Text(f"{i:>5}"), Text(f"{value + i:>8}")]) for i in range(ROWS)]


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield GridTable(id="grid")


async def test_a_long_table_renders_only_its_visible_rows_and_cells_and_when_changed() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(GridTable)
        columns = [GridColumn("i", "i", 5), GridColumn("v", "value", 8)]
        table.show_grid(columns, rows(0))
        await pilot.pause()
        visible = table.size.height  # the header and the rows below it
        first, cells = table.rows_rendered, table.cells_rendered
        assert 0 < first <= visible
        table.show_grid(columns, rows(1))  # every value changes (most off screen), no index
        await pilot.pause()
        assert table.rows_rendered - first <= visible
        assert table.cells_rendered - cells == visible - 1  # the rows' values alone
        before = table.rows_rendered
        table.show_grid(columns, rows(1))  # nothing changes
        table.refresh()
        await pilot.pause()
        assert table.rows_rendered == before
        assert table.cell_text("r999", "v").strip() == "1000"


async def test_charts_plot_once_per_step_and_not_for_other_redraws() -> None:
    async with driving() as (app, pilot):
        charts = [app.query_one(CostChart), app.query_one(WeightsChart)]
        await pilot.press("space")
        await pilot.pause()
        plotted = [chart.plots for chart in charts]
        await pilot.press("right_square_bracket")  # another sample: the charts do not change
        await pilot.pause()
        app.redraw()
        await pilot.pause()
        assert [chart.plots for chart in charts] == plotted
        await pilot.press("space")
        await pilot.pause()
        assert [chart.plots for chart in charts] == [n + 1 for n in plotted]
        cost = charts[0]
        assert "◆" in "".join(cost.render_line(y).text for y in range(cost.size.height))


async def test_a_step_is_plotted_in_the_first_frame_that_shows_it() -> None:
    """No frame shows the new epoch in the table with the last epoch's charts (a
    second frame for the charts made the step wait for it)."""
    async with driving() as (app, pilot):
        charts = [app.query_one(CostChart), app.query_one(WeightsChart)]
        shown: list[tuple[int, list[int]]] = []
        display = app._display

        def recording(*args: object, **kwargs: object) -> None:
            display(*args, **kwargs)  # type: ignore[arg-type]
            shown.append((app.trainer.epoch, [chart.plots for chart in charts]))

        app._display = recording  # type: ignore[method-assign]
        plotted = [chart.plots for chart in charts]
        await pilot.press("space")
        await pilot.pause()
        first = next(plots for epoch, plots in shown if epoch == 1)
        assert first == [n + 1 for n in plotted]


async def test_stepping_through_a_long_history_replots_only_when_the_mark_moves() -> None:
    async with driving() as (app, pilot):
        app.trainer.step(19_999)
        app.trainer.goto(10_000)
        app.redraw()
        await pilot.pause()
        cost = app.query_one(CostChart)
        plotted = cost.plots
        await pilot.press("space", "space", "left")  # within one column's bucket of epochs
        await pilot.pause()
        assert cost.plots == plotted
        await pilot.press("pageup", "pageup")  # 200 epochs: the mark moves a column
        await pilot.pause()
        assert cost.plots == plotted + 1


async def test_the_help_screen_is_built_once_and_opens_again_as_it_was() -> None:
    async with driving() as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, HelpScreen)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert app.screen is first
        assert first.query_one("#help-text").region.height > 0


async def test_the_help_text_is_laid_out_once_per_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen beneath restyles each time the help closes, and the help's text was
    laid out through rich again at each opening."""
    laid_out: list[int] = []
    render_strips = RichVisual.render_strips

    def counting(self: RichVisual, width: int, *args: Any) -> list[Strip]:
        if isinstance(self, LinesOnce):
            laid_out.append(width)
        return render_strips(self, width, *args)

    monkeypatch.setattr(RichVisual, "render_strips", counting)
    async with driving() as (app, pilot):
        for _ in range(3):
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
        assert laid_out and len(laid_out) == len(set(laid_out)) <= 2


async def test_the_screen_beneath_the_help_is_tinted_once_per_style(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual tinted each of the ~900 segments of the screen beneath a modal (both
    colours converted and blended, a fifth of the frame at 200x60); each distinct
    style now is, and the help looks exactly as Textual draws it."""
    tinted: list[Segment] = []
    tint = BackgroundScreen.process_segments.__func__  # type: ignore[attr-defined]

    def counting(cls: type[BackgroundScreen], segments: Iterable[Segment], color: Color) -> Any:
        for segment in tint(cls, segments, color):
            tinted.append(segment)
            yield segment

    monkeypatch.setattr(BackgroundScreen, "process_segments", classmethod(counting))
    async with driving(size=(120, 40)) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        del tinted[:]
        app.screen.refresh()  # one frame, the screen beneath included
        await pilot.pause()
        beneath = [
            segment for line in app.screen_stack[0]._compositor.render_strips() for segment in line
        ]
        assert 0 < len(tinted) < len(beneath) // 4
        await assert_drawn_as_textual_draws(pilot, monkeypatch)


async def assert_drawn_as_textual_draws(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog on screen looks exactly as with Textual's own modal background."""
    ours = pilot.app.export_screenshot()
    monkeypatch.setattr(TintedModal, "render", ModalScreen.render)
    pilot.app.screen.refresh()
    await pilot.pause()
    assert pilot.app.export_screenshot() == ours


async def test_i_restyles_nothing_where_the_panel_is_always_shown() -> None:
    async with driving(size=(120, 40)) as (app, pilot):
        restyled = count_restyles(app)
        await pilot.press("i")
        await pilot.pause()
        assert app.focused is app.query_one("#param-wx")
        # focus restyles the widgets it leaves and enters; the class restyled the whole
        # screen (~250 nodes) before, though nothing it styles is shown at 120 columns
        assert max(restyled) < 20
        await pilot.press("escape")
        await pilot.pause()
        assert max(restyled) < 20
        await pilot.press("i")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)  # narrow: the panel opens above the table
        await pilot.pause(0.1)
        assert app.query_one("#params").region.width > 0
        assert not app.query_one("#views").display


def count_restyles(app: App[object]) -> list[int]:
    """A list that gets the number of nodes each restyle touches."""
    restyled: list[int] = []
    update_nodes = app.stylesheet.update_nodes

    def counting(nodes: Iterable[DOMNode], animate: bool = False) -> None:
        nodes = list(nodes)
        restyled.append(len(nodes))
        update_nodes(nodes, animate)

    app.stylesheet.update_nodes = counting  # type: ignore[method-assign]
    return restyled


async def test_a_step_renders_none_of_the_parameter_panel_and_writes_what_textual_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The main screen renders only the widgets that show in the changed regions (not
    the panel beside them, nor the containers under them); a partial update draws what
    Textual's own compositor draws, whatever changed."""
    writes: list[tuple[str, str]] = []
    console = Console(force_terminal=True, color_system="truecolor")
    panel_renders: list[int] = []
    behind: list[int] = []  # renders of what the changed widgets cover, and the footer

    def both_ways(compositor: ChangedOnlyCompositor) -> ChopsUpdate | None:
        changed = set(compositor._dirty_regions)
        renders, renders_behind = len(panel_renders), len(behind)
        textuals = Compositor.render_partial_update(compositor)
        del panel_renders[renders:]  # Textual's renders every widget in the changed box
        del behind[renders_behind:]
        compositor._dirty_regions.update(changed)
        ours = only_changed(compositor)
        if textuals is not None and ours is not None:
            writes.append(
                (drawn(textuals.render_segments(console)), drawn(ours.render_segments(console)))
            )
        assert (textuals is None) == (ours is None)
        return ours

    only_changed = ChangedOnlyCompositor.render_partial_update
    monkeypatch.setattr(ChangedOnlyCompositor, "render_partial_update", both_ways)
    async with driving(size=(120, 40)) as (app, pilot):
        count_renders(app.query_one(ParameterPanel).query("*"), panel_renders)
        count_renders([app.screen, app.query_one(CentreColumn), app.query_one(KeyFooter)], behind)
        await pilot.press("space", "space")
        await pilot.pause()
        assert not panel_renders
        assert not behind
        await pilot.press("i", "down")  # focus moves in the panel: it repaints
        await pilot.pause()
        assert panel_renders
        for keys in (["escape", "l"], ["l", "g", "space"], ["g", "question_mark"]):
            await pilot.press(*keys)
            await pilot.pause()
        await pilot.press("escape", "p")
        await pilot.pause(0.3)
    assert len(writes) > 10
    assert all(textuals == ours for textuals, ours in writes)


NO_OP_MOVE = re.compile(r"\x1b\[\d+;\d+H(?=\x1b\[\d+;\d+H|\n|$)")


def drawn(written: str) -> str:
    """What a terminal draws from ``written``: the same without cursor moves followed
    by nothing to write (Textual's compositor moves to a piece of line that starts where
    a changed span ends and writes none of it, when the widget behind is rendered)."""
    return NO_OP_MOVE.sub("", written)


def count_renders(widgets: Iterable[Widget], renders: list[int]) -> None:
    """Append a 1 to ``renders`` each time one of ``widgets`` renders its lines."""
    for widget in widgets:
        render_lines = widget.render_lines

        def counting(crop: Region, render_lines: Any = render_lines) -> list[Strip]:
            renders.append(1)
            return render_lines(crop)  # type: ignore[no-any-return]

        widget.render_lines = counting  # type: ignore[method-assign]


class Note(FitsItsText):
    DEFAULT_CSS = "Note { height: auto; }"
    text = "one line"

    def render(self) -> RenderableType:
        return Text(self.text)


class NoteApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Note()


@pytest.fixture
def layout_requests(monkeypatch: pytest.MonkeyPatch) -> list[type[Widget]]:
    """A list that gets the type of each widget that asks for the screen to be laid out."""
    requests: list[type[Widget]] = []
    widget_refresh = Widget.refresh

    def refresh(widget: Widget, *regions: Region, layout: bool = False, **kwargs: Any) -> Widget:
        if layout:
            requests.append(type(widget))
        return widget_refresh(widget, *regions, layout=layout, **kwargs)

    monkeypatch.setattr(Widget, "refresh", refresh)
    return requests


async def test_a_fitted_panel_is_laid_out_again_only_when_its_text_needs_other_lines(
    layout_requests: list[type[Widget]],
) -> None:
    app = NoteApp()
    async with app.run_test(size=(30, 10)) as pilot:
        note = app.query_one(Note)
        await pilot.pause()

        async def show(text: str) -> bool:
            """Whether the note asked for a layout to show ``text``."""
            asked = len(layout_requests)
            note.text = text
            note.refit()
            asked_now = len(layout_requests) > asked
            await pilot.pause()
            return asked_now

        assert await show("a\nb\nc")
        assert note.size.height == 3
        assert not await show("d\ne\nf")
        assert await show("x" * 40)  # wrapped on two lines
        assert note.size.height == 2
        assert await show("g")
        assert not await show("x" * 29)
        assert note.size.height == 1
        await pilot.resize_terminal(20, 10)
        await pilot.pause()
        assert await show("y" * 29)  # two lines at the new width
        assert note.size.height == 2


async def test_stepping_with_a_teaching_panel_open_does_not_lay_the_screen_out(
    layout_requests: list[type[Widget]],
) -> None:
    async with driving() as (app, pilot):
        for view in ("g", "c", "n", "e"):
            await pilot.press(view, "space")
            await pilot.pause()
            layout_requests.clear()
            await pilot.press("space", "space", "space")
            await pilot.pause()
            assert layout_requests == [], view
            if view == "g":  # the summary still says where the run is
                summary = app.query_one(GradientsView).query_one(FitsItsText)
                assert "Epoch 4:" in str(summary.render())


async def test_the_app_keeps_the_collector_out_of_its_frames_and_gives_it_back() -> None:
    thresholds = gc.get_threshold()
    async with driving() as (_, pilot):
        await pilot.pause()
        assert gc.get_freeze_count() > 10_000  # the app's own objects, out of full collections
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD
        await pilot.press("space")
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


async def test_a_layout_arranges_the_screen_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual arranged it a second time when next asked where a widget is, for every
    layout that showed a widget (the panel, a view)."""
    reflows: list[int] = []
    arrangements: list[int] = []
    reflow, arrange = ChangedOnlyCompositor.reflow, Compositor._arrange_root

    def counting_reflow(compositor: Compositor, parent: Widget, size: Size) -> ReflowResult:
        reflows.append(1)
        return reflow(compositor, parent, size)  # type: ignore[arg-type]

    def counting_arrange(compositor: Compositor, *args: Any, **kwargs: Any) -> Any:
        arrangements.append(1)
        return arrange(compositor, *args, **kwargs)

    monkeypatch.setattr(ChangedOnlyCompositor, "reflow", counting_reflow)
    monkeypatch.setattr(Compositor, "_arrange_root", counting_arrange)
    async with driving(size=(80, 24)) as (app, pilot):
        await pilot.pause()
        reflows.clear()
        arrangements.clear()
        for keys in (["i"], ["escape"], ["l"], ["l"]):
            await pilot.press(*keys)
            await pilot.pause()
            _ = [widget.region for widget in app.screen.query("*")]  # where is everything?
        assert app.focused is not None
    assert len(reflows) >= 4
    assert len(arrangements) == len(reflows)


@pytest.mark.parametrize("key", ["colon", "R"])  # go to an epoch; restart (asks: work is lost)
async def test_every_dialog_draws_the_screen_beneath_as_textual_does(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with driving(size=(100, 30)) as (app, pilot):
        await pilot.press("space", "space", key)
        await pilot.pause()
        assert isinstance(app.screen, TintedModal)
        await assert_drawn_as_textual_draws(pilot, monkeypatch)


async def test_an_app_that_ends_before_its_first_frame_leaves_the_collector_alone() -> None:
    thresholds = gc.get_threshold()
    app = RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear")
    async with app.run_test(size=(80, 24)):
        pass
    app._quiet_collector()  # the callback after the first refresh, come late
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_apps_sharing_a_process_give_the_collector_back_when_the_last_ends() -> None:
    thresholds = gc.get_threshold()
    first, second = QuietCollector(), QuietCollector()
    first.start()
    second.start()
    first.stop()
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the second app still runs
    second.stop()
    second.stop()  # twice: no harm
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


async def test_a_steps_frame_clears_no_chart_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The charts' figures are cleared once their frame is drawn, ready for the next
    plot: clearing is off the path from the key to the frame that shows the step."""
    drawing = [False]
    cleared_while_drawing: list[int] = []
    refresh, clear = PartialScreen._compositor_refresh, fast.clear_figure

    def drawn(screen: PartialScreen) -> None:
        drawing[0] = True
        try:
            refresh(screen)
        finally:
            drawing[0] = False

    def clearing(figure: Any) -> None:
        if drawing[0]:
            cleared_while_drawing.append(1)
        clear(figure)

    monkeypatch.setattr(PartialScreen, "_compositor_refresh", drawn)
    monkeypatch.setattr(_figure_class, "clear_figure", clearing)
    async with driving(size=(120, 40)) as (app, pilot):
        cost, weights = app.query_one(CostChart), app.query_one(WeightsChart)
        await pilot.press("space")
        await pilot.pause()
        plots = cost.plots, weights.plots
        cleared_while_drawing.clear()
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
        assert (cost.plots, weights.plots) == (plots[0] + 3, plots[1] + 3)
        assert not cleared_while_drawing
        assert cost._blank and weights._blank  # ready for the next step
