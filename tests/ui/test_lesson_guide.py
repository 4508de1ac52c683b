"""The lesson's data: one source for docs/lesson.md, the guide in the app and the walk."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot

from rnn_tui.engine import PRESETS
from rnn_tui.engine.checkpoint import check_reached
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.lesson import PLACES, lesson
from rnn_tui.ui.lesson.__main__ import main
from rnn_tui.ui.lesson.guide import tabs_to
from rnn_tui.ui.lesson.keys import press, typed
from rnn_tui.ui.lesson.markdown import lesson_markdown
from rnn_tui.ui.lesson.wording import FINISHED, computed_to_target, finished
from rnn_tui.ui.views.lesson_guide import LessonGuidePanel

from .conftest import driving

DOC = Path(__file__).resolve().parents[2] / "docs" / "lesson.md"


def test_docs_lesson_md_is_generated_from_the_lesson() -> None:
    expected = lesson_markdown(lesson())
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/lesson.md differs from the lesson's data: run "
        "`python -m rnn_tui.ui.lesson --markdown > docs/lesson.md`"
    )


def test_the_module_prints_the_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--markdown"])
    assert capsys.readouterr().out == lesson_markdown(lesson())


def test_the_lesson_imports_no_textual() -> None:
    code = "import sys, rnn_tui.ui.lesson; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_sight_names_a_place_the_walk_can_read() -> None:
    for section, step in lesson().steps:
        assert step.say and step.see, section.title
        for sight in step.sights:
            assert sight.place in PLACES
            assert (sight.cell is not None) == (sight.place == "table")


def test_the_numbers_are_the_engines() -> None:
    """A few of the figures the issue quotes, as the lesson computed them."""
    text = lesson_markdown(lesson())
    for figure in (
        "a_2 = x_2·wx + s_1·wrec = 0 × 0.2000 + 0.2000 × 1.5000 = 0.3000",
        "wx ← wx − lr·dL/dwx = 0.2000 − 0.0200 × (-10.4417) = 0.4088",
        "wx 0.98458361, wrec 1.0004642, loss 0.0172039",
        "|δ_1|/|δ_25| = 212",
        "|δ_1|/|δ_30| = 9.18e-30",
    ):
        assert figure in text


@pytest.mark.parametrize("name", sorted(FINISHED))
def test_the_stored_ends_of_the_lessons_long_runs_are_the_engines_bit_for_bit(name: str) -> None:
    """The guide resumes these runs at their stored end; computed from epoch 0 they end
    on the same bits (or the stored figures are stale: print them from this run)."""
    end = computed_to_target(PRESETS[name]).checkpoint()
    stored = finished(PRESETS[name]).checkpoint()
    assert stored.epoch == end.epoch
    check_reached(stored, end)  # the timeline, both weights and the state, to the bit


def test_keys_are_written_as_the_footer_writes_them() -> None:
    assert str(press("full_stop", 3)) == ". ×3"
    assert press("shift+right").markdown() == "`shift+→`"
    assert typed("norm:1").names == ("home", "ctrl+k", "n", "o", "r", "m", ":", "1")
    assert typed("norm:1").markdown() == "type `norm:1`"


# -- the guide in the app ---------------------------------------------------------------


def screen_text(app: RnnTuiApp) -> str:
    """What the terminal shows now, whitespace collapsed (wrapped lines read as one)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return " ".join(console.export_text().split())


def plain(words: str) -> str:
    """A guide sentence as the screen shows it: code spans are a style, not backticks."""
    return " ".join(words.replace("`", "").split())


async def open_guide(app: RnnTuiApp, pilot: Pilot[None]) -> LessonGuidePanel:
    await pilot.press("n")
    guide = app.query_one(LessonGuidePanel)
    while guide.lesson is None:  # the numbers are computed off the UI thread
        await pilot.pause(0.05)
    await pilot.pause()
    return guide


async def test_the_guide_steps_through_the_lesson_with_its_keys() -> None:
    steps = lesson().steps
    async with driving(size=(100, 30)) as (app, pilot):  # the view takes the whole body
        await pilot.press("greater_than_sign")  # the lessons view is closed: no guide key
        assert "Next step" not in screen_text(app)
        guide = await open_guide(app, pilot)
        assert guide.index == 0
        assert f"step 1 of {len(steps)}" in screen_text(app)
        assert "> Next step" in screen_text(app)  # the footer, while the view is open
        await pilot.press("greater_than_sign")
        await pilot.pause()
        text = screen_text(app)
        assert f"step 2 of {len(steps)}" in text
        assert "press e, ↓, shift+→" in text
        assert plain(steps[1][1].see) in text
        await pilot.press("less_than_sign", "less_than_sign")  # and no further than step 1
        await pilot.pause()
        assert guide.index == 0 and f"step 1 of {len(steps)}" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert "Next step" not in screen_text(app)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_every_step_and_the_preset_list_fit_the_screen(size: tuple[int, int]) -> None:
    steps = lesson().steps
    async with driving(size=size) as (app, pilot):
        await open_guide(app, pilot)
        for index, (section, step) in enumerate(steps):
            text = screen_text(app)
            assert f"{section.title} · {section.minutes} min · step {index + 1}" in text
            # Without spaces: a config string has none, so it breaks anywhere.
            squeezed = text.replace(" ", "")
            for words in (step.say, step.see):
                assert plain(words).replace(" ", "") in squeezed, (size, index)
            assert f"{len(PRESETS)} {list(PRESETS)[-1]}" in text  # the last preset
            await pilot.press("greater_than_sign")
            await pilot.pause()


async def test_the_lessons_tabs_reach_the_clip_field() -> None:
    async with driving("exploding") as (app, pilot):
        await pilot.press("i", *["tab"] * tabs_to("clip"))
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "param-clip"
