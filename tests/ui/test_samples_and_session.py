"""Sample switching, the session dialog (save, open, CSV, SVG) and resizing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from rnn_tui.engine import PRESETS, Config, Trainer
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.keys import KEYS
from rnn_tui.ui.screens.help import help_content
from rnn_tui.ui.table.columns import COLUMNS

from .conftest import WIDE, assert_table_matches_engine, cell, driving, status, type_into


async def test_brackets_switch_the_sample_in_both_tables() -> None:
    async with driving(size=WIDE) as (app, pilot):
        samples = app.query_one("#samples")
        assert "x = 100" in app.query_one("#sample-summary").plain  # type: ignore[attr-defined]
        assert samples.cell_text("n0", "n").strip() == "▸1"  # type: ignore[attr-defined]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.sample == 1
        assert "sample 2 of 3" in str(app.query_one("#unrolled-panel").border_title)
        assert "x = 110" in app.query_one("#sample-summary").plain  # type: ignore[attr-defined]
        assert cell(app, "t2", "x").strip() == "+1.000000"
        assert samples.cell_text("n1", "n").strip() == "▸2"  # type: ignore[attr-defined]
        assert samples.cell_text("n1", "target").strip().startswith("+2.0")  # type: ignore[attr-defined]
        assert_table_matches_engine(app)
        await pilot.press("left_square_bracket", "left_square_bracket")  # wraps round
        await pilot.pause()
        assert app.sample == 2
        assert_table_matches_engine(app)
        await pilot.press("a")
        await pilot.pause()
        assert not samples.display


@pytest.mark.slow
async def test_save_then_open_replays_the_same_numbers(tmp_path: Path) -> None:
    path = tmp_path / "lesson.json"
    async with driving(size=WIDE) as (app, pilot):
        await pilot.press(*["space"] * 4)
        await type_into(pilot, "#param-lr_wx", "0.05")  # a mid-run change at epoch 4
        await pilot.press("escape", *["space"] * 3, "right_square_bracket")
        await pilot.pause()
        saved_weights, saved_epoch = app.trainer.weights, app.trainer.epoch
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_into(pilot, "#path-session", str(path))
        assert path.exists()
        assert not list(tmp_path.glob(".lesson.json.*"))  # the temporary file is gone
        data = json.loads(path.read_text())
        assert data["epoch"] == 7 and data["timeline"][1]["epoch"] == 4
        assert "Saved the session" in str(app.query_one("#notice").content)

    async with driving("seed-sigmoid", size=WIDE) as (app, pilot):
        await pilot.press("ctrl+o")
        await pilot.pause()
        await type_into(pilot, "#path-session", str(path))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.trainer.epoch == saved_epoch
        assert app.trainer.weights == saved_weights
        assert app.trainer.config.lr_wx == 0.05
        assert app.sample == 1
        assert "Opened" in str(app.query_one("#notice").content)
        assert app.query_one("#param-lr_wx").value == "0.05"  # type: ignore[attr-defined]
        assert_table_matches_engine(app)


async def test_opening_a_bad_file_says_why_and_keeps_the_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    async with driving() as (app, pilot):
        await pilot.press("space")
        for path in (bad, tmp_path / "missing.json"):
            await pilot.press("ctrl+o")
            await pilot.pause()
            await type_into(pilot, "#path-session", str(path))
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "Could not open" in str(app.query_one("#notice").content)
            assert app.trainer.epoch == 1


async def test_export_history_csv_and_svg(tmp_path: Path) -> None:
    csv_path, svg_path = tmp_path / "history.csv", tmp_path / "screen.svg"
    async with driving() as (app, pilot):
        await pilot.press(*["space"] * 3)
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = str(app.screen.query_one("#config-string").content)
        assert Config.parse(shown) == app.trainer.config
        await type_into(pilot, "#path-csv", str(csv_path))
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_into(pilot, "#path-svg", str(svg_path))
        await pilot.pause()
    lines = csv_path.read_text().splitlines()
    assert lines[0] == "epoch,wx,wrec,loss,dwx,dwrec"
    assert len(lines) == 5
    reference = Trainer(PRESETS["seed-linear"])
    reference.step(3)
    assert float(lines[4].split(",")[1]) == reference.weights[0]
    assert svg_path.read_text().startswith("<svg")


@pytest.mark.parametrize("small", [(40, 12)])
async def test_resizing_down_and_back_keeps_working(small: tuple[int, int]) -> None:
    async with driving(size=(120, 40)) as (app, pilot):
        await pilot.press("space")
        await pilot.resize_terminal(*small)
        await pilot.pause()
        await pilot.press("space", "y", "right_square_bracket")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.trainer.epoch == 2
        assert "epoch 2 / 50 000" in status(app)
        assert_table_matches_engine(app)


def test_help_lists_every_key_and_column() -> None:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(help_content(PRESETS["seed-linear"]))
    text = " ".join(console.export_text().split())
    for key in KEYS:
        assert " ".join(key.help.split()) in text, key.keys
    for column in COLUMNS:
        assert column.heading in text
    assert PRESETS["seed-linear"].title in text


def test_run_app_is_importable_with_the_cli_contract() -> None:
    from rnn_tui.ui.app import run_app

    app = RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear")
    assert app.preset == "seed-linear"
    assert callable(run_app)
