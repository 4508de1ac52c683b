"""The lesson's flow with real keys (what needs focus and rendering; the rules behind
it are unit tests in test_flow_rules.py): the keys come back to the table, enter
hands them back from the parameter panel, and nothing is lost without a question."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from rnn_tui.engine import PRESETS
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.params.panel import ParameterPanel
from rnn_tui.ui.screens.confirm import ConfirmScreen
from rnn_tui.ui.screens.goto import GoToScreen
from rnn_tui.ui.screens.help import HelpScreen
from rnn_tui.ui.table.unrolled import UnrolledTable

from .conftest import QUICK_SEEK, driving, type_into

CLASSROOM = (100, 30)
NAMES = list(PRESETS)


def table(app: RnnTuiApp) -> UnrolledTable:
    return app.query_one(UnrolledTable)


def cursor_row(app: RnnTuiApp) -> int:
    return table(app).cursor_row


@pytest.mark.slow
async def test_closing_any_view_gives_the_arrows_back_to_the_table() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        for key in ("l", "g", "c", "n", "e"):
            before = cursor_row(app)
            await pilot.press(key, key, "down")
            await pilot.pause()
            assert app.focused is table(app), key
            assert cursor_row(app) == before + 1, key
            await pilot.press("up")


async def test_a_big_view_on_a_short_screen_leaves_every_key_to_the_app() -> None:
    """The table is hidden: no widget (a parameter field, a scroll pane) keeps the keys,
    so ← and → still move through epochs."""
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("space", "n", "2", "y")  # the dialog hands focus back on close
        await pilot.pause()
        assert app.preset == NAMES[1] and app.focused is None
        await pilot.press("space", "space", "left", "l", "left")
        assert app.focused is None and app.trainer.epoch == 0


async def test_a_preset_from_the_lessons_view_shows_the_table_from_its_top() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("down", "down", "n", "4", "n")  # exploding: 25 timesteps
        await pilot.pause()
        assert app.preset == NAMES[3]
        assert app.focused is table(app)
        assert cursor_row(app) == 0 and table(app).scroll_offset.y == 0
        await pilot.press("down", "down", "up")
        assert cursor_row(app) == 1


async def test_the_first_shift_right_moves_the_cursor_off_x() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        cell = table(app).cell_ref
        assert cell is not None and cell.column == "x"  # not on the row labels
        await pilot.press("shift+right")
        cell = table(app).cell_ref
        assert cell is not None and cell.column == "a"
        await pilot.press("shift+left", "shift+left")
        cell = table(app).cell_ref
        assert cell is not None and cell.column == "x"


async def test_the_lessons_clip_enter_r_runs_and_converges() -> None:
    """docs/lesson.md §5: `r` diverges; `i`, clip = norm:1, enter, `r` converges."""
    async with driving("exploding", size=CLASSROOM, seek_seconds=QUICK_SEEK) as (app, pilot):
        await pilot.press("r")
        while app.controller.running:
            await pilot.pause(0.05)
        assert app.trainer.diverged
        await pilot.press("i")
        await pilot.pause()
        clip = app.query_one("#param-clip")
        clip.focus()
        await pilot.press("ctrl+a", "ctrl+k", *"norm:1", "enter")
        assert app.focused is table(app)
        assert app.trainer.config.clip == "norm:1" and app.trainer.head == 0
        assert "restarted at epoch 0" in str(app.query_one("#notice").content)
        await pilot.press("r")
        while app.controller.running:
            await pilot.pause(0.05)
        wx, wrec = app.trainer.weights
        assert (round(wx, 5), round(wrec, 5), round(app.trainer.loss, 4)) == (
            0.98458,
            1.00046,
            0.0172,
        )


async def test_a_refused_value_keeps_the_keys_in_its_field() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("i")  # narrow: the panel (and its fields) only when asked for
        field = app.query_one("#param-lr_wx")
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", "-", "1", "enter", "r")
        await pilot.pause()
        assert app.focused is field and not app.controller.running
        await pilot.press("escape", "i")
        await pilot.pause()
        assert app.focused is field  # `i` goes back to the field edited last


async def test_number_keys_load_presets_from_the_main_screen() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("2")  # nothing to lose at epoch 0: no question
        assert app.preset == NAMES[1] and isinstance(app.screen, ConfirmScreen) is False


async def test_reset_preset_and_quit_ask_before_throwing_a_run_away() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("i", "escape")  # the panel's fields made: the picker is checked
        await pilot.press("space", "space", "R")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("space", "n")  # keys of the main screen do nothing meanwhile
        assert app.trainer.head == 2 and app.focused is table(app)
        await pilot.press("R", "y")
        assert app.trainer.head == 0
        await pilot.press("space", "3")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        assert app.preset == NAMES[0] and app.trainer.head == 1
        assert app.query_one(ParameterPanel).query_one("#preset").value == NAMES[0]  # type: ignore[attr-defined]
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("n")
        assert app.is_running
        await pilot.press("q", "enter")
        await pilot.pause()
        assert not app.is_running


async def test_quit_on_an_untouched_run_does_not_ask() -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_go_to_epoch_refuses_bad_input_in_place_then_goes() -> None:
    async with driving(size=CLASSROOM, seek_seconds=QUICK_SEEK) as (app, pilot):
        await pilot.press("space", "space", "space", "colon")
        assert isinstance(app.screen, GoToScreen)
        await pilot.press("x", "enter")
        assert isinstance(app.screen, GoToScreen)
        reason = str(app.screen.query_one("#goto-reason").render())
        assert "not an epoch" in reason
        await type_into(pilot, "#goto-epoch", "99999999")
        assert "past epochs = 50 000" in str(app.screen.query_one("#goto-reason").render())
        await type_into(pilot, "#goto-epoch", "1")
        assert not isinstance(app.screen, GoToScreen)
        assert app.trainer.epoch == 1 and app.focused is table(app)
        await pilot.press("G", *"1000", "enter")
        while app.controller.running:
            await pilot.pause(0.05)
        assert app.trainer.epoch == 1000
        assert "epoch 1 000" in str(app.query_one("#status").render()) or app.trainer.epoch == 1000


async def test_after_a_save_quit_does_not_ask(tmp_path: Path) -> None:
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        await type_into(pilot, "#path-session", str(tmp_path / "run.json"))
        assert app.controller.unsaved() == ""
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_a_served_student_can_answer_the_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialogs' keys are on the served allow-list (a refused key would trap them)."""
    monkeypatch.setenv("RNN_TUI_SERVED", "ssh")
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("space", "space", "G", "1", "enter")
        assert app.trainer.epoch == 1 and not isinstance(app.screen, GoToScreen)
        await pilot.press("down", "shift+right")  # the table's cursor is allowed too
        cell = table(app).cell_ref
        assert cell is not None and (cell.timestep, cell.column) == (2, "a")
        await pilot.press("R")
        assert "ctrl+s" not in str(app.screen.query_one("#confirm-detail").render())
        await pilot.press("y")
        assert app.trainer.head == 0 and not isinstance(app.screen, ConfirmScreen)
        await pilot.press("space", "q", "n")
        assert app.is_running and app.focused is table(app)
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_keys_typed_in_one_burst_after_enter_reach_the_app() -> None:
    """Over SSH or tmux "norm:1", enter, r can arrive in one read: the app hands every
    key to the field focused at that moment, so enter must give the focus away itself."""
    async with driving("exploding", size=CLASSROOM, seek_seconds=QUICK_SEEK) as (app, pilot):
        await pilot.press("i")
        field = app.query_one("#param-clip")
        field.focus()
        await pilot.pause()
        burst = [(c, c) for c in "norm"] + [("colon", ":"), ("1", "1"), ("enter", "\r")]
        for key, character in [*burst, ("r", "r")]:
            app.post_message(events.Key(key, character))  # no pause between keys
        await pilot.pause()
        assert app.trainer.config.clip == "norm:1"
        assert app.controller.running or app.trainer.epoch > 0  # r ran the new config
        assert field.value == "norm:1"  # type: ignore[attr-defined]
        while app.controller.running:  # (leaving mid-run races the frame timer's redraw)
            await pilot.pause(0.05)
        assert app.trainer.epoch == 500


async def test_a_view_or_run_changed_from_elsewhere_leaves_a_field_being_typed() -> None:
    """Class mode moves a student's run and views: their half-typed value stays theirs."""
    async with driving(size=(120, 40)) as (app, pilot):
        field = app.query_one("#param-lr_wx")
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", "0", ".")
        app.do(cmd.OpenView("landscape"))
        app.do(cmd.LoadPreset(NAMES[1]))
        await pilot.pause()
        assert app.focused is field
        await pilot.press("escape")
        assert app.focused is table(app)


async def test_opening_a_session_over_an_unsaved_run_asks_first(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    async with driving(size=CLASSROOM) as (app, pilot):
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        await type_into(pilot, "#path-session", str(path))
        await pilot.press("space", "space", "ctrl+o")
        await pilot.pause()
        await type_into(pilot, "#path-session", str(path))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.trainer.head == 3 and "not opened" in str(app.query_one("#notice").content)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_into(pilot, "#path-session", str(path))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")
        assert app.trainer.head == 1 and app.controller.unsaved() == ""


async def test_giving_the_table_its_keys_back_never_takes_them_from_a_dialog() -> None:
    # A run or a class push that hands the keys back while a dialog is open focused the
    # table behind it: escape then reached the table and the dialog could not be closed.
    async with driving() as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        app.focus_table(top=True)
        await pilot.pause()
        assert not isinstance(app.focused, UnrolledTable)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert isinstance(app.focused, UnrolledTable)  # remembered for when it closed
