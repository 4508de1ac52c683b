"""Per-student bounds of a served app: the engine's run limits and the child's own limits."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from rnn_tui.engine import Config, ConfigError, DataError, Trainer
from rnn_tui.engine.config import parse_value
from rnn_tui.engine.datasets import load
from rnn_tui.engine.limits import epoch_limit_message, set_run_limits
from rnn_tui.serve.limits import AUTOGROUP, ChildLimits


@pytest.fixture
def served() -> Iterator[None]:
    set_run_limits(max_epochs=1000, max_cells=500)
    try:
        yield
    finally:
        set_run_limits(None, None)


def test_panel_refuses_values_beyond_the_served_limits(served: None) -> None:
    with pytest.raises(ConfigError, match="at most 1,000 epochs in a served session"):
        parse_value("epochs", "10000000")
    with pytest.raises(ConfigError, match="N×T is at most 500 in a served session"):
        parse_value("data", "random:100000x20")
    assert parse_value("epochs", "1000") == 1000
    assert parse_value("data", "random:20x25") == "random:20x25"


def test_config_strings_and_data_loading_are_bounded(served: None) -> None:
    with pytest.raises(ConfigError, match="served"):
        Config.parse("epochs=5000")
    with pytest.raises(DataError, match="served"):
        load("random:100x100")


def test_a_run_stops_at_the_epoch_limit(served: None) -> None:
    trainer = Trainer(Config(epochs=1000))
    report = trainer.step(5000)
    assert (report.advanced, report.stopped) == (1000, "limit")
    assert trainer.history.length == 1001
    assert trainer.step(1).stopped == "limit" and trainer.epoch == 1000
    assert "1,000" in epoch_limit_message()


def test_local_apps_have_no_served_limits() -> None:
    assert parse_value("epochs", "10000000") == 10_000_000
    assert Trainer(Config(epochs=50)).step(2000).stopped is None


def test_child_limits_round_trip_through_the_environment() -> None:
    limits = ChildLimits(memory_mb=512, nice=5, max_epochs=10, max_cells=20)
    assert ChildLimits.from_env(limits.env()) == limits
    assert ChildLimits.from_env({}) is None


def test_served_app_gets_memory_nice_and_run_limits() -> None:
    """app_entry applies what the server put in the environment, before the app runs."""
    code = (
        "import os, resource, sys\n"
        "from rnn_tui.serve.app_entry import main\n"
        "from rnn_tui.serve.limits import AUTOGROUP, ChildLimits\n"
        "ChildLimits.from_env(os.environ).apply()\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] >> 20, os.nice(0))\n"
        "from rnn_tui.engine.config import parse_value\n"
        "parse_value('epochs', '100000')\n"
    )
    env = ChildLimits(memory_mb=768, nice=7, max_epochs=50_000, max_cells=1000).env()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env | _python_env(), capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    first = result.stdout.split()
    assert first[0] == "768" and int(first[1]) >= 7
    assert "at most 50,000 epochs in a served session" in result.stderr


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="no scheduler autogroup on this kernel")
def test_a_served_apps_session_gets_the_lower_priority_too() -> None:
    """Each app is a session of its own: with autogroup, only the session's niceness
    ranks it against the teacher's (a process's own nice 10 changed nothing)."""
    code = (
        "import os\n"
        "from rnn_tui.serve.limits import AUTOGROUP, ChildLimits\n"
        "ChildLimits.from_env(os.environ).apply()\n"
        "print(open('/proc/self/autogroup').read())\n"
    )
    env = ChildLimits(nice=7).env() | _python_env()
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60,
        start_new_session=True,  # as the server starts every app, on its own pty
    )  # fmt: skip
    assert result.stdout.split()[-2:] == ["nice", "7"], result.stdout + result.stderr
    teacher = ChildLimits(nice=0).env() | _python_env()
    result = subprocess.run(
        [sys.executable, "-c", code], env=teacher, capture_output=True, text=True,
        timeout=60, start_new_session=True,
    )  # fmt: skip
    assert result.stdout.split()[-2:] == ["nice", "0"], result.stdout + result.stderr
    # An app in a shared session (here, the test runner's) leaves the session alone:
    # the runner and everything else in it would slow down.
    before = AUTOGROUP.read_text()
    result = subprocess.run(
        [sys.executable, "-c", code], env=ChildLimits(nice=7).env() | _python_env(),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert AUTOGROUP.read_text() == before


def test_served_app_refuses_huge_data_in_one_line() -> None:
    env = ChildLimits(max_cells=1000).env() | _python_env()
    result = subprocess.run(
        [sys.executable, "-m", "rnn_tui.serve.app_entry", "train", "--config",
         "data=random:100000x20"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "N×T is at most 1,000 in a served session" in result.stderr
    assert "Traceback" not in result.stderr


def _python_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k in ("PATH", "PYTHONPATH", "HOME")}


def test_presets_still_load_under_a_limit_below_their_epochs(served: None) -> None:
    # A teacher's `serve --max-epochs 1000` once refused every config: the default
    # (50 000 epochs) was checked against the limit before anything was typed.
    trainer = Trainer(Config.parse("lr_wx=0.01"))
    assert trainer.config.epochs == 50_000
    report = trainer.step(5000)
    assert trainer.epoch == 1000 and report.stopped == "limit"
