"""The status line fits the screens a class uses (issue 9): one line at 80 and 100
columns, a layout that does not flip as the numbers change, a rate that is true."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from rnn_tui.engine import PRESETS, MicroCursor, Trainer
from rnn_tui.ui.runner import FRAMES_PER_SECOND, SPEEDS, Runner
from rnn_tui.ui.status.bar import StatusBar, micro_state, run_state
from rnn_tui.ui.status.line import RunState, StatusFacts, choose_layout, status_line

from .conftest import driving


class Clock:
    """Time that moves only when the test says so (one frame at a time)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def states(target: int = 50_000) -> list[RunState]:
    """Every run state, with the longest numbers a preset gives them."""
    runner = Runner(Clock())
    trainer = Trainer(PRESETS["seed-linear"])
    found = [
        run_state(True, False, runner),
        run_state(False, True, runner),
        run_state(False, False, runner, stalled=True),
        run_state(False, False, runner),
        run_state(False, False, runner, computed_to=target),
        micro_state(MicroCursor.start(30).forward()[0]),
    ]
    runner.seek(target, trainer)
    found.append(run_state(False, False, runner))
    runner.pause()
    runner.start(trainer)
    runner.epochs_per_second = 123_456.0
    found.append(run_state(False, False, runner))
    runner.speed_index = 0
    runner.epochs_per_second = 1.875
    found.append(run_state(False, False, runner))
    return found


def target_of(preset: str) -> int:
    return PRESETS[preset.split(" ")[0]].config.epochs


def facts(
    preset: str, state: RunState, epoch: int = 12_345, loss: float = 0.000702124
) -> StatusFacts:
    target = target_of(preset)
    epoch = min(epoch, target)
    return StatusFacts(preset, epoch, target, epoch, loss, -744.78564123, -12104.49812, state)


PRESET_LABELS = [*PRESETS, "seed-sigmoid (edited)"]


@pytest.mark.parametrize("width", [80, 100, 160])
def test_one_line_at_every_width_a_class_uses(width: int) -> None:
    for preset in PRESET_LABELS:
        for state in states(target_of(preset)):
            line = status_line(facts(preset, state), width)
            assert "\n" not in line.plain
            assert line.cell_len <= width
            assert "…" not in line.plain, (preset, state, line.plain)
            assert line.plain.lstrip().startswith(
                ("seed", "roelants", "exploding", "vanishing", "epoch")
            )
            assert "loss " in line.plain and "wx " in line.plain and "wrec " in line.plain


def test_the_layout_does_not_flip_as_the_numbers_change() -> None:
    """The reserved widths depend on the preset and the target only."""
    for preset, width in itertools.product(PRESET_LABELS, range(60, 200)):
        chosen = {
            choose_layout(facts(preset, state, epoch, loss), width)
            for state, epoch, loss in itertools.product(
                states(target_of(preset)), (0, 7, 50_000), (2.0225, 1e-23, float("inf"))
            )
        }
        assert len(chosen) == 1, (preset, width)


def test_wide_screens_keep_every_digit_and_the_target() -> None:
    line = status_line(facts("seed-linear", states()[3]), 160).plain
    assert "seed-linear   epoch 12 345 / 50 000" in line and "wx -744.78564" in line
    assert "paused · speed 50/frame" in line


def test_the_notebook_run_keeps_its_preset_and_target_at_100_columns() -> None:
    for preset in PRESETS:
        assert choose_layout(facts(preset, states()[3]), 100).preset
        assert choose_layout(facts(preset, states()[3]), 100).target


def test_a_projector_gets_fewer_digits_even_when_wide() -> None:
    line = status_line(facts("seed-linear", states()[3]), 160, first=2).plain
    assert "loss 0.0007021 " in line and "wx -744.79 " in line


def test_the_slowest_speed_shows_the_rate_it_really_runs_at() -> None:
    """One epoch every 16 frames at 30 frames/s is 1.9 epochs/s, never "0 epochs/s"."""
    clock = Clock()
    runner = Runner(clock)
    runner.speed_index = 0
    assert SPEEDS[0] * FRAMES_PER_SECOND == pytest.approx(1.875)
    trainer = Trainer(PRESETS["seed-linear"])
    runner.start(trainer)
    words = []
    for _ in range(5 * FRAMES_PER_SECOND):
        clock.now += 1 / FRAMES_PER_SECOND
        runner.advance(trainer)
        words.append(run_state(False, False, runner).text("short"))
    assert trainer.epoch == 9
    assert runner.epochs_per_second == pytest.approx(1.875)
    assert all(w == "▶ 1.9 epochs/s" for w in words[2 * FRAMES_PER_SECOND :]), set(words)


def test_the_fastest_rate_is_measured_too() -> None:
    clock = Clock()
    runner = Runner(clock)
    trainer = Trainer(PRESETS["seed-linear"])
    runner.start(trainer)
    for _ in range(FRAMES_PER_SECOND):
        clock.now += 1 / FRAMES_PER_SECOND
        runner.advance(trainer)
    assert runner.epochs_per_second == pytest.approx(50 * FRAMES_PER_SECOND)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_status_line_is_one_line_in_the_app(size: tuple[int, int]) -> None:
    async with driving("seed-linear", size=size) as (app, pilot):
        bar = app.query_one("#status")
        for keys in (
            ("space",),
            ("space", "space", "left"),
            ("full_stop",),
            ("p",),
            ("p", "l"),
        ):  # p again pauses
            await pilot.press(*keys)
            await pilot.pause()
            assert bar.size.height == 1
            assert "…" not in bar.shown  # type: ignore[attr-defined]


async def test_the_preset_stays_on_screen_where_the_status_line_leaves_it_out() -> None:
    async with driving("seed-sigmoid", size=(80, 24)) as (app, _):
        assert "seed-sigmoid" not in app.query_one(StatusBar).shown
        title = str(app.query_one("#unrolled-panel").border_title)
        assert title.startswith("seed-sigmoid · unrolled through time · sample 1 of 3")


@pytest.mark.parametrize("width", [80, 100, 160])
def test_a_diverged_runs_numbers_fit_the_room_kept_for_them(width: int) -> None:
    """At 80 columns with the class words, exploding's loss 2.65712e+201 took one column
    more than the line keeps for it, and the end of the line was cut."""
    state = run_state(True, False, Runner(Clock()))
    for preset in PRESET_LABELS:
        calm = facts(preset, state)
        wild = StatusFacts(
            preset, 12, target_of(preset), 12, 2.657123e201, -1.234567e101, -9.87654e-300, state
        )
        for classroom in ("", "class: 30 students (27 following / 3 exploring)"):
            calm_line = status_line(replace(calm, classroom=classroom), width)
            wild_line = status_line(replace(wild, classroom=classroom), width)
            assert wild_line.cell_len <= width, wild_line.plain
            assert wild_line.cell_len == calm_line.cell_len, (calm_line.plain, wild_line.plain)
            assert "e+201" in wild_line.plain and "e+101" in wild_line.plain
