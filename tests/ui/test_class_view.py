"""The class keys and the teacher's class view in the real app (Pilot), with a fake link."""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Select

from rnn_tui.classroom.protocol import RosterEntry
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.class_mode import ClassMode
from rnn_tui.ui.class_state import lesson_state
from rnn_tui.ui.screens.classroom import ClassScreen

from .conftest import WIDE, driving, status
from .test_class_mode import FakeLink, controller

ENTRIES = (
    RosterEntry("bob", "exploring", "wx=9", 3, None, "diverged"),
    RosterEntry("[red]mallory", "following", "wx=0.2", 3, 0.5, "running"),
    RosterEntry("carol", "following", "wx=0.2", 3, 0.5, "running"),
)


async def test_the_teacher_acts_on_the_student_selected_in_the_class_view() -> None:
    async with driving() as (app, pilot):
        link = FakeLink(role="teacher", name="teacher", students=ENTRIES)
        link.change(teacher=True)
        app.classroom = ClassMode(link, app.controller)
        app._class_tick()
        await pilot.pause()
        assert "class: 3 students (2 following / 1 exploring)" in status(app)
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClassScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        name = table.get_cell_at(Coordinate(1, 0))
        assert isinstance(name, Text) and name.plain == "[red]mallory"  # text, not markup
        await pilot.press("down", "s")
        assert link.actions[-1] == ("spotlight", "[red]mallory")
        await pilot.press("b", "h", "P")
        assert link.actions[-3:] == [("spotlight", None), ("pause", True), ("push", None)]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ClassScreen)


async def test_a_following_student_explores_with_x_and_rejoins_with_j() -> None:
    async with driving() as (app, pilot):
        link = FakeLink()
        app.classroom = ClassMode(link, app.controller)
        link.lead(lesson_state(app.controller))
        app._class_tick()
        await pilot.pause()
        assert "following teacher" in status(app)
        await pilot.press("space")  # the class's run: refused, with the way out
        await pilot.pause()
        assert app.trainer.epoch == 0
        await pilot.press("v")  # the teacher's key does nothing for a student
        assert not isinstance(app.screen, ClassScreen)
        await pilot.press("x", "space")
        await pilot.pause()
        assert app.trainer.epoch == 1 and "exploring" in status(app)
        await pilot.press("j")
        await pilot.pause()
        assert app.trainer.epoch == 0 and "following teacher" in status(app)


async def test_a_followers_parameter_panel_shows_the_leaders_config() -> None:
    """A mid-run change and a pushed experiment reach the panel, not only the numbers
    (the panel showed lr_wx 0.02 while the run used the teacher's 0.0777)."""
    async with driving(size=WIDE) as (app, pilot):
        link = FakeLink()
        app.classroom = ClassMode(link, app.controller)
        teacher = controller()
        teacher.handle(cmd.Step(5))
        teacher.handle(cmd.ApplyConfig("lr_wx=0.0777"))
        teacher.handle(cmd.Step(1))
        link.lead(lesson_state(teacher))
        app._class_tick()
        await pilot.pause()
        assert app.trainer.config.lr_wx == 0.0777
        assert app.query_one("#param-lr_wx", Input).value == "0.0777"
        pushed = controller("exploding")
        link.lead(lesson_state(pushed), pushes=1)
        app._class_tick()
        await pilot.pause()
        assert app.query_one("#param-wrec", Input).value == "1.25"
        assert app.query_one("#preset", Select).value == "exploding"
