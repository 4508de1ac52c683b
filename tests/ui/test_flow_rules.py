"""The lesson's flow as rules of the run controller (no Textual, milliseconds):
a change after a divergence starts over, a served limit is not a divergence,
"go to epoch N" refuses what it cannot do, and nothing is thrown away unsaid."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rnn_tui.engine import PRESETS, epoch_limit_message, set_run_limits
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.controller import AFTER_DIVERGENCE, Notice, RunController

from .test_controller import controller, run_until_stopped


def diverged_exploding() -> RunController:
    run = controller("exploding")
    run.handle(cmd.RunToTarget())
    run_until_stopped(run)
    assert run.trainer.diverged and run.trainer.head == 1
    return run


def test_set_clip_after_the_divergence_and_run_again_converges_as_the_lesson_says() -> None:
    run = diverged_exploding()
    outcome = run.handle(cmd.ApplyConfig("clip=norm:1", field="clip"))
    assert outcome.restarted and outcome.config_changed
    assert outcome.notice == Notice(f"clip {AFTER_DIVERGENCE}.", "ok")
    trainer = run.trainer
    assert trainer.epoch == trainer.head == 0 and trainer.divergence is None
    assert trainer.timeline == ((0, run.config),) and run.config.clip == "norm:1"
    run.handle(cmd.RunToTarget())
    assert run_until_stopped(run) == Notice("Reached epoch 500.", "ok")
    wx, wrec = trainer.weights
    assert (round(wx, 5), round(wrec, 5), round(trainer.loss, 4)) == (0.98458, 1.00046, 0.0172)


def test_a_change_after_a_divergence_restarts_even_when_rewound() -> None:
    run = diverged_exploding()
    run.handle(cmd.GoStart())
    outcome = run.handle(cmd.ApplyConfig("lr=0.0001"))
    assert outcome.restarted and run.trainer.head == 0
    assert AFTER_DIVERGENCE in outcome.notice.text


def test_raising_epochs_after_a_divergence_keeps_the_run() -> None:
    """`epochs` only moves the goal: nothing to restart for."""
    run = diverged_exploding()
    outcome = run.handle(cmd.ApplyConfig("epochs=900"))
    assert not outcome.restarted and run.trainer.head == 1
    assert run.notice == Notice("epochs changed: continuing from the current weights.", "ok")
    assert outcome.notice.kind == "error"  # standing on the divergence: its message first


def test_without_a_divergence_a_hyperparameter_still_continues() -> None:
    run = controller("exploding")
    run.handle(cmd.Step(1))
    assert run.trainer.divergence is None
    outcome = run.handle(cmd.ApplyConfig("clip=norm:1"))
    assert not outcome.restarted and run.trainer.epoch == 1


@pytest.fixture
def served_limit() -> Iterator[int]:
    set_run_limits(120, None)
    yield 120
    set_run_limits(None, None)


def test_a_served_epoch_limit_stops_a_run_with_its_own_message(served_limit: int) -> None:
    for start in (cmd.RunToTarget(), cmd.ToggleRun(), cmd.GoTo(500)):
        run = controller()
        run.handle(start)
        notice = run_until_stopped(run)
        assert notice == Notice(epoch_limit_message(), "warning"), start
        assert run.trainer.epoch == served_limit and run.trainer.divergence is None
        assert "diverge" not in notice.text


def test_stepping_into_a_served_epoch_limit_says_so(served_limit: int) -> None:
    run = controller()
    run.handle(cmd.GoTo(served_limit))
    run_until_stopped(run)
    assert run.handle(cmd.Step(1)).notice == Notice(epoch_limit_message(), "warning")
    steps = 2 * run.trainer.dataset.t + 2
    for _ in range(steps):
        run.handle(cmd.Micro(1))
    assert run.handle(cmd.Micro(1)).notice == Notice(epoch_limit_message(), "warning")
    assert run.trainer.epoch == served_limit


@pytest.mark.parametrize(
    ("text", "epoch"),
    [("1000", 1000), (" 1 000 ", 1000), ("50_000", 50_000), ("0", 0), ("1,000", 1000)],
)
def test_go_to_epoch_reads_what_a_teacher_types(text: str, epoch: int) -> None:
    assert controller().goto_command(text) == cmd.GoTo(epoch)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not an epoch"),
        ("-3", "not an epoch"),
        ("1e3", "not an epoch"),
        ("١٢", "not an epoch"),  # digits, but not ASCII ones
        ("[b]x[/b]", "not an epoch"),
        ("50001", "past epochs = 50 000"),
        ("9" * 400, "past epochs = 50 000"),
    ],
)
def test_go_to_epoch_refuses_what_it_cannot_do(text: str, reason: str) -> None:
    with pytest.raises(cmd.CommandError, match=reason):
        controller().goto_command(text)


def test_go_to_epoch_reaches_epochs_already_computed_past_the_goal() -> None:
    run = controller(PRESETS["seed-linear"].config.replace(epochs=10))
    run.handle(cmd.Step(30))  # a step may pass the configured epochs
    assert run.goto_command("30") == cmd.GoTo(30)
    with pytest.raises(cmd.CommandError, match="past epochs = 30"):
        run.goto_command("31")


def test_go_to_epoch_1000_is_one_command() -> None:
    run = controller()
    run.handle(run.goto_command("1000"))
    run_until_stopped(run)
    assert run.trainer.epoch == 1000


def test_nothing_is_at_risk_on_a_fresh_or_rewound_unedited_run() -> None:
    run = controller()
    assert run.unsaved() == "" and run.unsaved(keep_config=True) == ""
    run.handle(cmd.OpenView("landscape"))
    run.handle(cmd.SelectSample(1))
    assert run.unsaved() == ""


def test_what_a_reset_or_a_new_run_would_lose_is_named() -> None:
    run = controller()
    run.handle(cmd.ApplyConfig("lr_wx=0.03"))
    assert run.unsaved() == "the edited parameters"
    assert run.unsaved(keep_config=True) == ""  # a reset keeps the config
    run.handle(cmd.Step(1000))
    run.handle(cmd.Step(-800))
    assert run.unsaved() == "the run to epoch 1 000 and the edited parameters"
    assert run.unsaved(keep_config=True) == "the run to epoch 1 000"


def test_a_saved_or_newly_loaded_run_is_safe() -> None:
    run = controller()
    run.handle(cmd.Step(5))
    run.mark_saved()
    assert run.unsaved() == ""
    run.handle(cmd.Step(1))
    assert run.unsaved() == "the run to epoch 6"
    run.handle(cmd.LoadPreset("seed-sigmoid"))
    assert run.unsaved() == ""
