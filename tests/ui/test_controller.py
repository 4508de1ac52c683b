"""The rules of a run, as unit tests of the run controller (no Textual, milliseconds)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from rnn_tui.engine import PRESETS, Config, Trainer, epoch_limit_message, set_run_limits
from rnn_tui.ui import commands as cmd
from rnn_tui.ui.controller import DIVERGED_HERE, Notice, RunController
from rnn_tui.ui.runner import SPEEDS, Runner
from rnn_tui.ui.view_names import VIEWS

EXPLODING = Config.parse("wrec=3,lr_wx=1,lr_wrec=1,data=random:5x20,epochs=1000")


class FakeClock:
    """Time stands still: frames are never cut short by their budget."""

    def __call__(self) -> float:
        return 0.0


def controller(setup: str | Config = "seed-linear") -> RunController:
    runner = Runner(FakeClock())
    if isinstance(setup, Config):
        return RunController(setup, runner=runner)
    return RunController(PRESETS[setup].config, setup, runner=runner)


def run_until_stopped(run: RunController, frames: int = 1000) -> Notice:
    outcome = None
    for _ in range(frames):
        outcome = run.handle(cmd.Tick())
        if not run.running:
            break
    assert outcome is not None and not run.running
    return outcome.notice


def test_stepping_moves_the_trainer_exactly() -> None:
    run = controller()
    for _ in range(5):
        run.handle(cmd.Step(1))
    reference = Trainer(PRESETS["seed-linear"])
    reference.step(5)
    assert run.trainer.epoch == 5 and run.trainer.weights == reference.weights
    assert run.handle(cmd.Step(-2)).notice == Notice()
    assert run.trainer.epoch == 3 and run.trainer.head == 5


def test_stepping_back_from_epoch_0_says_so() -> None:
    run = controller()
    assert run.handle(cmd.Step(-1)).notice == Notice("Already at epoch 0.")
    run.handle(cmd.Step(2))
    assert run.handle(cmd.Step(-100)).notice == Notice()  # it moved: nothing to say
    assert run.trainer.epoch == 0


def test_start_head_and_reset() -> None:
    run = controller()
    run.handle(cmd.Step(100))
    outcome = run.handle(cmd.GoStart())
    assert run.trainer.epoch == 0 and run.trainer.head == 100
    assert outcome.notice.text.startswith("Epoch 0: the initial weights")
    run.handle(cmd.GoHead())
    assert run.trainer.epoch == 100
    outcome = run.handle(cmd.Reset())
    assert outcome.restarted and run.trainer.head == 0
    assert outcome.notice == Notice("Reset: back to epoch 0, history forgotten.")


def test_goto_rewinds_at_once_and_runs_forward_over_frames() -> None:
    run = controller()
    run.handle(cmd.Step(10))
    run.handle(cmd.GoTo(3))
    assert run.trainer.epoch == 3 and not run.running
    run.handle(cmd.GoTo(1_000))
    assert run.running and run.trainer.epoch == 3  # nothing computed before a frame
    run_until_stopped(run)
    assert run.trainer.epoch == 1_000


def test_goto_past_a_divergence_stops_at_the_last_finite_epoch() -> None:
    run = controller("exploding")
    run.handle(cmd.RunToTarget())
    run_until_stopped(run)
    head = run.trainer.head
    run.handle(cmd.GoTo(0))
    outcome = run.handle(cmd.GoTo(head + 10))
    assert run.trainer.epoch == head and not run.running
    assert outcome.notice.kind == "error"  # standing on the divergence: its message
    assert run.notice.text.startswith(f"Epoch {head + 10} cannot be computed")


def test_run_and_pause() -> None:
    run = controller()
    assert run.handle(cmd.ToggleRun()).notice == Notice()
    assert run.running
    run.handle(cmd.Tick())
    assert run.trainer.epoch == SPEEDS[run.runner.speed_index]
    assert run.handle(cmd.ToggleRun()).notice == Notice("Paused.")
    assert not run.running


def test_a_free_run_stops_at_the_configured_epochs() -> None:
    run = controller(Config.parse("epochs=120"))
    run.handle(cmd.ToggleRun())
    assert run_until_stopped(run) == Notice("Reached epoch 120.", "ok")
    assert run.trainer.epoch == 120


def test_run_to_target_and_again() -> None:
    run = controller()
    run.handle(cmd.RunToTarget())
    assert run_until_stopped(run) == Notice("Reached epoch 50 000.", "ok")
    wx, wrec = run.trainer.weights
    assert abs(wx - 1) < 1e-6 and abs(wrec - 1) < 1e-6
    again = run.handle(cmd.RunToTarget())
    assert again.notice.text == "Already at epoch 50 000: raise `epochs` to train further."
    assert not run.running


def test_any_move_stops_a_run() -> None:
    for command in (cmd.Step(1), cmd.Step(-1), cmd.GoStart(), cmd.GoHead(), cmd.Reset()):
        run = controller()
        run.handle(cmd.ToggleRun())
        run.handle(cmd.Tick())
        run.handle(command)
        assert not run.running, command


def test_divergence_stops_explains_and_refuses_to_go_on() -> None:
    run = controller("exploding")
    run.handle(cmd.RunToTarget())
    run_until_stopped(run)
    trainer = run.trainer
    assert trainer.divergence is not None and trainer.diverged
    # the engine's words, then the app's own key hint (the engine names no keys)
    shown = Notice(f"{trainer.divergence.message} ← steps back.", "error")
    assert run.shown_notice == shown
    for command in (cmd.ToggleRun(), cmd.RunToTarget()):
        outcome = run.handle(command)
        assert not run.running
        assert outcome.notice == shown
        assert run.notice == Notice(DIVERGED_HERE, "warning")
    outcome = run.handle(cmd.Step(-1))
    assert trainer.epoch == trainer.head - 1
    assert outcome.notice.kind == "warning"
    assert f"diverged before epoch {trainer.divergence.epoch}" in outcome.notice.text


def test_a_config_that_overflows_at_once_stays_usable() -> None:
    run = controller(EXPLODING)
    for command in (cmd.Step(1), cmd.ToggleRun(), cmd.RunToTarget(), cmd.Step(-1)):
        outcome = run.handle(command)
        assert not run.running and run.trainer.epoch == 0 and run.trainer.diverged
        assert outcome.notice.kind == "error"
    run.handle(cmd.SelectSample(4))
    assert run.sample == 4


def test_micro_steps_through_an_epoch_and_back() -> None:
    run = controller()
    run.handle(cmd.Step(2))
    steps = 2 * run.trainer.dataset.t + 2
    for position in range(1, steps + 1):
        run.handle(cmd.Micro(1))
        assert run.micro is not None and run.micro.position == position
        assert run.trainer.epoch == 2
    run.handle(cmd.Micro(1))  # past the update: the next epoch, nothing computed yet
    assert run.trainer.epoch == 3 and run.micro is not None and run.micro.position == 0
    reference = Trainer(PRESETS["seed-linear"])
    reference.step(3)
    assert run.trainer.weights == reference.weights
    run.handle(cmd.Micro(-1))  # back into the previous epoch's update
    assert run.trainer.epoch == 2 and run.micro is not None and run.micro.position == steps
    run.handle(cmd.Step(1))  # a whole step leaves the micro-steps
    assert run.micro is None and run.trainer.epoch == 3


def test_micro_back_at_the_very_start_stays() -> None:
    run = controller()
    outcome = run.handle(cmd.Micro(-1))
    assert outcome.notice == Notice("Already at the start of epoch 0.")
    assert run.micro is None and run.trainer.epoch == 0


def test_micro_steps_end_when_a_run_starts() -> None:
    run = controller()
    run.handle(cmd.Micro(1))
    run.handle(cmd.ToggleRun())
    assert run.micro is None


def test_micro_step_past_a_divergence_is_refused() -> None:
    run = controller(EXPLODING)
    steps = 2 * run.trainer.dataset.t + 2
    for _ in range(steps):
        run.handle(cmd.Micro(1))
    outcome = run.handle(cmd.Micro(1))
    assert run.notice == Notice(DIVERGED_HERE, "warning")
    assert outcome.notice.kind == "error" and run.trainer.epoch == 0
    assert run.micro is not None and run.micro.position == steps


def test_a_hyperparameter_continues_and_the_timeline_records_it() -> None:
    run = controller()
    run.handle(cmd.Step(4))
    outcome = run.handle(cmd.ApplyConfig("lr_wx=0.05", field="lr_wx"))
    assert not outcome.restarted and outcome.config_changed
    assert outcome.notice == Notice("lr_wx changed: continuing from the current weights.", "ok")
    assert run.trainer.epoch == 4 and run.config.lr_wx == 0.05
    assert [epoch for epoch, _ in run.trainer.timeline] == [0, 4]
    assert run.preset_label == "seed-linear (edited)"


def test_a_start_key_restarts_and_stops_a_run() -> None:
    run = controller()
    run.handle(cmd.ToggleRun())
    run.handle(cmd.Tick())
    outcome = run.handle(cmd.ApplyConfig("wx=0.3"))
    assert outcome.restarted and not run.running and run.trainer.epoch == 0
    assert outcome.notice == Notice("wx changed: restarted at epoch 0.", "ok")
    assert run.trainer.timeline == ((0, run.config),)


def test_applying_the_same_value_says_nothing() -> None:
    run = controller()
    outcome = run.handle(cmd.ApplyConfig("lr_wx=0.02"))
    assert outcome.notice == Notice() and not outcome.restarted


def test_a_whole_config_string_replaces_the_experiment() -> None:
    run = controller()
    run.handle(cmd.ApplyConfig("activation=sigmoid,lr=0.001", whole=True))
    assert run.config == Config.parse("activation=sigmoid,lr=0.001")
    assert run.preset_label == "seed-linear (edited)"


@pytest.mark.parametrize(
    ("text", "field"),
    [("lr_wx=-1", "lr_wx"), ("momentum=1", "momentum"), ("wx", "wx"), ("bogus=3", ""),
     ("lr_wx=1,lr_wx=2", "lr_wx"), ("=", "")],
)  # fmt: skip
def test_a_bad_value_is_refused_and_the_run_is_kept(text: str, field: str) -> None:
    run = controller()
    run.handle(cmd.Step(1))
    before = run.config
    outcome = run.handle(cmd.ApplyConfig(text))
    assert outcome.refused_field == field and outcome.refusal
    assert outcome.notice.kind == "error" and text.split("=")[0] in outcome.notice.text
    assert run.config == before and run.trainer.epoch == 1


def test_a_missing_csv_is_refused_in_the_field_it_was_typed_in() -> None:
    run = controller()
    outcome = run.handle(cmd.ApplyConfig("data=/no/such/file.csv", field="data"))
    assert outcome.refused_field == "data" and "file.csv" in outcome.refusal
    assert run.config.data == "notebook"


def test_loading_a_preset_starts_its_run() -> None:
    run = controller()
    run.handle(cmd.Step(3))
    run.handle(cmd.SelectSample(2))
    outcome = run.handle(cmd.LoadPreset("seed-sigmoid"))
    assert outcome.restarted and outcome.config_changed
    assert outcome.notice == Notice(
        f"{PRESETS['seed-sigmoid'].title}. Press ? for what it shows.", "ok"
    )
    assert run.preset == "seed-sigmoid" and run.preset_label == "seed-sigmoid"
    assert run.trainer.epoch == 0 and run.config == PRESETS["seed-sigmoid"].config
    assert run.sample == 0


def test_samples_are_checked_and_kept_in_range_when_the_data_shrinks() -> None:
    run = controller(Config.parse("data=random:6x4"))
    run.handle(run.next_sample(-1))
    assert run.sample == 5  # wraps round
    run.handle(cmd.ApplyConfig("data=notebook"))
    assert run.sample == 2
    outcome = run.handle(cmd.SelectSample(3))
    assert run.sample == 2
    assert outcome.notice == Notice("There is no sample 4: this data has 3.", "warning")


def test_views_open_and_toggle_home() -> None:
    run = controller()
    run.handle(run.toggled_view("landscape"))
    assert run.view == "landscape"
    run.handle(run.toggled_view("gradients"))
    assert run.view == "gradients"
    run.handle(run.toggled_view("gradients"))
    assert run.view == "charts"


def test_speed_is_bounded() -> None:
    run = controller()
    run.handle(cmd.Speed(-len(SPEEDS)))
    assert run.runner.speed == SPEEDS[0]
    run.handle(cmd.Speed(len(SPEEDS)))
    run.handle(cmd.Speed(1))
    assert run.runner.speed == SPEEDS[-1]


def test_the_change_marks_compare_with_the_epoch_before() -> None:
    run = controller()
    assert run.previous_trace() is None
    run.handle(cmd.Step(2))
    previous = run.previous_trace()
    assert previous is not None
    assert (previous.wx, previous.wrec) == run.trainer.history.row(1)[:2]


LESSON: list[cmd.Command] = [
    cmd.Step(3),
    cmd.Micro(1),
    cmd.Micro(1),
    cmd.ApplyConfig("lr_wx=0.05", field="lr_wx"),
    cmd.Step(10),
    cmd.Step(-4),
    cmd.ApplyConfig("clip=norm:1"),
    cmd.GoTo(400),
    *[cmd.Tick()] * 20,
    cmd.SelectSample(1),
    cmd.OpenView("landscape"),
    cmd.Speed(2),
    cmd.LoadPreset("roelants-rprop"),
    cmd.RunToTarget(),
    *[cmd.Tick()] * 5,
    cmd.ToggleRun(),
    cmd.Micro(-1),
]


def test_commands_sent_as_json_give_the_same_run_bit_for_bit() -> None:
    """What class mode relies on: a follower replaying the wire gets the same numbers."""
    teacher, follower = controller(), controller()
    for command in LESSON:
        teacher.handle(command)
        follower.handle(cmd.from_json(cmd.to_json(command)))
    for run in (teacher, follower):
        assert run.trainer.epoch > 0
    assert teacher.trainer.history.column("loss").tobytes() == (
        follower.trainer.history.column("loss").tobytes()
    )
    assert (teacher.trainer.weights, teacher.sample, teacher.view, teacher.micro) == (
        follower.trainer.weights,
        follower.sample,
        follower.view,
        follower.micro,
    )


def test_adopting_a_run_keeps_the_sample_in_range(tmp_path: Path) -> None:
    run = controller()
    run.adopt(Trainer(Config.parse("data=random:2x3")), None, sample=7)
    assert run.sample == 1 and run.preset is None and run.preset_label == "custom"


EDITS = [
    "wx=0.5", "wx=abc", "wx=1e9", "wrec=1.1", "wrec=nan", "wrec=3", "lr_wx=0.01", "lr_wx=-1",
    "lr_wx=0.5", "lr_wrec=2", "clip=norm:1", "clip=value:0.5", "clip=bogus", "clip=none",
    "epochs=300", "epochs=0", "data=random:4x6", "data=notebook", "data=random:0x1",
    "data=/missing.csv", "data=roelants", "optimizer=adam", "optimizer=rprop", "activation=tanh",
]  # fmt: skip


def random_command(rng: random.Random) -> cmd.Command:
    choices: list[Callable[[], cmd.Command]] = [
        lambda: cmd.Step(rng.choice([1, 1, 1, -1, 100, -100, 0])),
        lambda: cmd.Micro(rng.choice([1, 1, -1])),
        lambda: cmd.GoTo(rng.randrange(0, 500)),
        cmd.GoStart, cmd.GoHead, cmd.Reset, cmd.ToggleRun, cmd.RunToTarget,
        lambda: cmd.Speed(rng.choice([1, -1, -3])),
        lambda: cmd.ApplyConfig(rng.choice(EDITS)),
        lambda: cmd.LoadPreset(rng.choice(list(PRESETS))),
        lambda: cmd.SelectSample(rng.randrange(0, 25)),
        lambda: cmd.OpenView(rng.choice(VIEWS)),
        cmd.Tick,
    ]  # fmt: skip
    return rng.choice(choices)()


def test_random_commands_never_break_a_run() -> None:
    """The controller's soak: thousands of commands, the state always consistent."""
    rng = random.Random(20240601)
    run = controller()
    for _ in range(2000):
        outcome = run.handle(random_command(rng))
        trainer = run.trainer
        assert 0 <= run.sample < trainer.dataset.n
        assert 0 <= trainer.epoch <= trainer.head
        assert trainer.timeline[0][0] == 0 and trainer.timeline[-1][1] == trainer.config
        assert run.micro is None or run.micro.plan.t == trainer.dataset.t
        assert outcome.notice == run.shown_notice and run.view in VIEWS
        if outcome.refused_field:
            assert outcome.notice.kind == "error"


def test_a_served_epoch_limit_stops_steps_runs_and_micro_steps() -> None:
    run = controller(Config.parse("epochs=40"))
    set_run_limits(50, None)  # a served app's limit (process-wide: undone below)
    try:
        run.handle(cmd.GoTo(45))
        run_until_stopped(run)
        run.handle(cmd.ToggleRun())  # started past the configured epochs: on to the limit
        notice = run_until_stopped(run)
        assert run.trainer.epoch == 50
        assert notice == Notice(epoch_limit_message(), "warning")
        assert run.handle(cmd.Step(1)).notice == Notice(epoch_limit_message(), "warning")
        for _ in range(2 * run.trainer.dataset.t + 2):
            run.handle(cmd.Micro(1))
        assert run.handle(cmd.Micro(1)).notice == Notice(epoch_limit_message(), "warning")
        assert run.trainer.epoch == 50 and not run.running
    finally:
        set_run_limits(None, None)
