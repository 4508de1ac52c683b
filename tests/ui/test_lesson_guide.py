"""The lesson's data: one source for docs/lesson.md, the guide in the app and the walk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rnn_tui.ui.lesson import PLACES, lesson
from rnn_tui.ui.lesson.__main__ import main
from rnn_tui.ui.lesson.keys import press, typed
from rnn_tui.ui.lesson.markdown import lesson_markdown

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


def test_keys_are_written_as_the_footer_writes_them() -> None:
    assert str(press("full_stop", 3)) == ". ×3"
    assert press("shift+right").markdown() == "`shift+→`"
    assert typed("norm:1").names == ("n", "o", "r", "m", ":", "1")
    assert typed("norm:1").markdown() == "type `norm:1`"
