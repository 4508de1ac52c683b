"""Exports for an offline classroom (issue 9): files go to a stated folder, and an
exported SVG loads nothing from the network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rnn_tui.ui.exports import EXPORTS_ENV, resolve, self_contained_svg, shown_folder

from .conftest import driving, type_into


@pytest.fixture
def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "exports"
    monkeypatch.setenv(EXPORTS_ENV, str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def test_a_bare_name_lands_in_the_exports_folder(exports: Path) -> None:
    assert resolve("screen.svg") == exports / "screen.svg" and exports.is_dir()
    assert resolve("/elsewhere/screen.svg") == Path("/elsewhere/screen.svg")
    assert resolve("~/x.csv") == Path.home() / "x.csv"


def test_the_default_folder_is_shown_from_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EXPORTS_ENV, raising=False)
    assert shown_folder() == str(Path("~") / "rnn-tui-exports")


async def test_the_dialog_states_the_folder_and_files_land_there(exports: Path) -> None:
    async with driving() as (app, pilot):
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        stated = str(app.screen.query_one("#export-folder").content)  # type: ignore[attr-defined]
        assert str(exports) in stated
        await type_into(pilot, "#path-svg", "screen.svg")
        await pilot.pause()
        notice = str(app.controller.shown_notice.text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_into(pilot, "#path-csv", "history.csv")
    assert sorted(p.name for p in exports.iterdir()) == ["history.csv", "screen.svg"]
    assert str(exports / "screen.svg") in notice
    assert not list(exports.parent.glob("*.svg"))  # nothing in the current directory
    svg = (exports / "screen.svg").read_text()
    assert svg.startswith("<svg") and "url(#" in svg  # its own clip paths are kept
    assert "https://" not in svg and not re.search(r"url\(['\"]?https?:", svg)


def test_font_urls_go_and_local_fonts_stay() -> None:
    svg = (
        "<svg><!-- Generated with Rich https://www.textualize.io --><style>@font-face {"
        ' src: local("FiraCode-Regular"),\n url("https://cdn/x.woff2") format("woff2"),'
        '\n url("https://cdn/x.woff") format("woff"); }</style>'
        '<g clip-path="url(#clip)"></g></svg>'
    )
    out = self_contained_svg(svg)
    assert "https" not in out
    assert 'src: local("FiraCode-Regular");' in out and 'clip-path="url(#clip)"' in out
