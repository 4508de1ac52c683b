"""Editing every parameter in the panel with keys: good values apply (continuing or
restarting, and the notice says which), bad ones are refused in place."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from rnn_tui.engine import PRESETS, RESET_KEYS, ConfigError, parse_value
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.controller import RunController
from rnn_tui.ui.params.panel import ParameterPanel

from .conftest import WIDE, assert_table_matches_engine, driving, status, type_into

GOOD: dict[str, tuple[str, object]] = {
    "wx": ("0.3", 0.3),
    "wrec": ("1.2", 1.2),
    "lr_wx": ("0.01", 0.01),
    "lr_wrec": ("1e-3", 0.001),
    "momentum": ("0.5", 0.5),
    "beta1": ("0.8", 0.8),
    "beta2": ("0.99", 0.99),
    "eps": ("1e-6", 1e-6),
    "eta_plus": ("1.5", 1.5),
    "eta_minus": ("0.4", 0.4),
    "step0": ("0.01", 0.01),
    "clip": ("norm:1", "norm:1"),
    "epochs": ("5e3", 5000),
    "seed": ("3", 3),
    "data": ("random:4x5", "random:4x5"),
}

BAD: dict[str, str] = {
    "wx": "abc",
    "wrec": "nan",
    "lr_wx": "-1",
    "lr_wrec": "11",
    "momentum": "1",
    "beta1": "2",
    "beta2": "-0.1",
    "eps": "0",
    "eta_plus": "0.5",
    "eta_minus": "0",
    "step0": "-1",
    "clip": "sideways",
    "epochs": "0",
    "seed": "-1",
    "data": "random:0x5",
}


@pytest.mark.parametrize("key", GOOD)
def test_every_good_value_applies_and_says_whether_it_restarted(key: str) -> None:
    run = RunController(PRESETS["seed-linear"].config, "seed-linear")
    run.handle(cmd.Step(2))
    raw, value = GOOD[key]
    outcome = run.handle(cmd.ApplyConfig(f"{key}={raw}", field=key))
    assert getattr(run.config, key) == value
    assert not outcome.refused_field and outcome.config_changed
    if key in RESET_KEYS:
        assert run.trainer.epoch == 0 and outcome.restarted
        assert outcome.notice.text == f"{key} changed: restarted at epoch 0."
    else:
        assert run.trainer.epoch == 2 and not outcome.restarted
        assert outcome.notice.text == f"{key} changed: continuing from the current weights."
    assert run.preset_label == "seed-linear (edited)"


@pytest.mark.parametrize("key", BAD)
def test_every_bad_value_is_refused_by_the_panel_with_a_reason(key: str) -> None:
    with pytest.raises(ConfigError, match="must be"):
        parse_value(key, BAD[key])


async def test_good_values_apply_from_the_panel_and_the_screen_follows() -> None:
    async with driving(size=WIDE) as (app, pilot):
        for key in ("lr_wx", "wx"):  # continues, restarts (every key: test_controller.py)
            await pilot.press("escape", "space", "space")
            await pilot.pause()
            await type_into(pilot, f"#param-{key}", GOOD[key][0])
            assert getattr(app.trainer.config, key) == GOOD[key][1], key
            assert "changed:" in str(app.query_one("#notice").content)
            assert "seed-linear (edited)" in status(app)
            assert not app.query_one(f"#field-{key}").has_class("-refused")
            await pilot.press("escape", "space")
            await pilot.pause()
            assert_table_matches_engine(app)


async def test_bad_values_are_refused_in_place_and_the_old_one_stays() -> None:
    async with driving(size=WIDE) as (app, pilot):
        await pilot.press("space")
        await pilot.pause()
        before = app.trainer.config
        panel = app.query_one("#params")
        for key in ("lr_wx", "clip", "epochs"):
            await type_into(pilot, f"#param-{key}", BAD[key])
            assert app.trainer.config == before, key
            assert app.trainer.epoch == 1
            assert panel.query_one(f"#field-{key}").has_class("-refused"), key
            assert "must be" in panel.error_text(key), key  # type: ignore[attr-defined]
            shown = app.query_one(f"#param-{key}").value  # type: ignore[attr-defined]
            assert shown == str(getattr(before, key)) or float(shown) == getattr(before, key)
        # a good value afterwards clears the refusal
        await type_into(pilot, "#param-lr_wx", "0.01")
        assert not panel.query_one("#field-lr_wx").has_class("-refused")


async def test_a_missing_csv_file_is_refused_with_the_reason() -> None:
    async with driving(size=WIDE) as (app, pilot):
        await type_into(pilot, "#param-data", "/no/such/file.csv")
        assert app.trainer.config.data == "notebook"
        panel = app.query_one("#params")
        assert panel.query_one("#field-data").has_class("-refused")
        assert "file.csv" in panel.error_text("data")  # type: ignore[attr-defined]


async def choose_next(pilot: Pilot[None], selector: str) -> None:
    """Open a drop-down with enter and pick the option below the current one."""
    pilot.app.query_one(selector).focus()
    await pilot.pause()
    await pilot.press("enter", "down", "enter")
    await pilot.pause()


async def test_choosing_from_a_drop_down_applies_it() -> None:
    async with driving(size=WIDE) as (app, pilot):
        await pilot.press("space")
        await choose_next(pilot, "#param-optimizer")  # gd -> the next one: continues
        assert app.trainer.config.optimizer != "gd"
        assert app.trainer.epoch == 1
        assert not app.query_one("#field-eta_plus").has_class("-refused")
        await choose_next(pilot, "#param-activation")  # identity -> the next one: restarts
        assert app.trainer.config.activation != "identity"
        assert app.trainer.epoch == 0
        assert "restarted" in str(app.query_one("#notice").content)


async def test_the_preset_picker_loads_a_preset() -> None:
    async with driving(size=WIDE) as (app, pilot):
        await pilot.press("space")
        await choose_next(pilot, "#preset")
        await pilot.press("y")  # epoch 1 would be lost: it asks first
        assert app.preset == "seed-sigmoid"
        assert app.trainer.config == PRESETS["seed-sigmoid"].config
        assert app.trainer.epoch == 0
        assert "seed-sigmoid" in status(app)
        assert app.query_one("#param-activation").value == "sigmoid"  # type: ignore[attr-defined]


async def test_leaving_a_field_without_enter_keeps_the_value_in_force() -> None:
    async with driving(size=WIDE) as (app, pilot):
        field = app.query_one("#param-lr_wx")
        field.focus()
        await pilot.press("home", "ctrl+k", "9", "escape")
        await pilot.pause()
        assert app.trainer.config.lr_wx == 0.02
        assert field.value == "0.02"  # type: ignore[attr-defined]
        assert app.focused is app.query_one("#unrolled")


async def test_i_opens_the_panel_at_80_columns_and_escape_hides_it() -> None:
    async with driving(size=(80, 24)) as (app, pilot):
        assert not app.query_one("#params").display or app.query_one("#params").region.width == 0
        await pilot.press("i")
        await pilot.pause()
        assert app.query_one("#params").region.width > 0
        assert app.focused is app.query_one("#param-wx")
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one("#params").region.width == 0


async def test_the_panel_mounts_a_row_per_key_and_a_reason_line_only_when_refused() -> None:
    """Every widget in the panel is mounted, styled and laid out at startup and each
    time it opens: one row per key, the reason line added by the first refusal."""
    async with driving(size=WIDE) as (app, pilot):
        panel = app.query_one(ParameterPanel)
        assert len(list(panel.walk_children())) <= 75  # was 105: a box, a row, a line each
        assert not panel.query(".error")
        await type_into(pilot, "#param-lr_wx", BAD["lr_wx"])
        line = panel.query_one("#error-lr_wx")
        assert line.display and "must be" in panel.error_text("lr_wx")
        assert (
            panel.children.index(line) == panel.children.index(panel.query_one("#field-lr_wx")) + 1
        )
        await type_into(pilot, "#param-lr_wx", "0.01")
        assert not line.display and panel.error_text("lr_wx") == ""
