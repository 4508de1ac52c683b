"""The headless CLI: its output and exit codes, from ``main`` and from a real process."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rnn_tui.cli import main
from rnn_tui.engine.model import Trace


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``rnn-tui`` in a process of its own, as a shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "rnn_tui", *args], capture_output=True, text=True, timeout=120
    )


@dataclasses.dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_here(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """``main`` in this process (a process each costs 0.2 s of CPU; the process contract is
    tested with ``run``): argparse's exits are caught as the shell would see them."""
    try:
        code = main(list(args))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    out, err = capsys.readouterr()
    return Ran(code, out, err)


def test_train_prints_the_notebooks_log() -> None:
    result = run("train", "--preset", "seed-sigmoid", "--print-every", "1000")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Current iter :  0  Current cost:  5.847872199212813"
    assert lines[1] == "Current iter :  1000  Current cost:  0.9951704943204343"
    assert sum(line.startswith("Current iter") for line in lines) == 15
    assert "Final output Raw:      [1.36735465 1.61291427 3.01809184]" in result.stdout


def test_train_json_is_one_machine_readable_object() -> None:
    result = run("train", "--preset", "roelants-rprop", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["epoch"] == 500
    assert data["wx"] == pytest.approx(1.001355547207059, rel=1e-9)
    assert data["wrec"] == pytest.approx(0.9996744737846419, rel=1e-9)
    assert len(data["predictions"]) == 20 and data["stopped"] is None
    assert {"loss", "dwx", "dwrec", "config", "targets"} <= data.keys()


def test_train_with_config_and_epochs_overrides(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "--config", "lr_wx=0.05", "--epochs", "30", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["epoch"] == 30 and "lr_wx=0.05" in data["config"]
    assert data["preset"] == "seed-linear (modified)"


def test_diverging_run_reports_why_with_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "--preset", "exploding", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["stopped"] == "diverged" and "wrec" in data["divergence"]


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["train", "--config", "lr_wx=abc"], "lr_wx: must be a number in [0, 10]; got 'abc'"),
        (["train", "--preset", "nope"], "unknown preset 'nope'"),
        (["train", "--epochs", "0"], "--epochs must be a whole number"),
        (["train", "--epochs", "many"], "invalid int value"),
        (["train", "--config", "data=/no/such.csv"], "/no/such.csv: no such file"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["gradcheck", "--epoch", "-3"], "--epoch must be a whole number in [0, 10000000]"),
        (["gradcheck", "--epoch", "99999999999"], "--epoch must be a whole number in [0, "),
        (["train", "--config", "data=" + "a" * 300], "cannot be read (File name too long)"),
        (
            ["--config", "lr=0.5", "train", "--config", "lr=0.1"],
            "--config given twice, 'lr=0.5' before train and 'lr=0.1' after it",
        ),
        (["--preset", "nope", "gradcheck"], "unknown preset 'nope'"),
        (["train", "--config", "data=/no/a\nb\x1b[31m"], "/no/a\\nb\\x1b[31m: no such file"),
        (["--config", "activation=swish"], "activation: must be one of"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_here(capsys, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rnn-tui: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--bogus"], "unrecognized arguments: --bogus"),  # argparse's own exit
        (["train", "--config", "lr_wx=abc"], "lr_wx: must be a number"),  # ours
    ],
)
def test_a_process_given_bad_input_exits_2_with_one_line(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("rnn-tui: error: ")
    assert fragment in result.stderr


def test_bad_csv_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("1,0,1\n1,1\n")
    result = run_here(capsys, "train", "--config", f"data={path}")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"rnn-tui: error: {path}:2: row has 2 values, earlier rows have 3"
    )


def test_presets_lists_every_preset_with_its_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    for name in ("seed-linear", "seed-sigmoid", "roelants-rprop", "exploding", "vanishing"):
        assert f"{name}: " in out
    assert 'rnn-tui --config "wx=0.2,wrec=1.5' in out


def test_gradcheck_prints_a_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gradcheck", "--preset", "seed-sigmoid", "--epoch", "10"]) == 0
    out = capsys.readouterr().out
    assert "Gradient check at epoch 10" in out
    assert "numerical: complex step" in out
    assert out.count(" good") == 2


def test_gradcheck_at_convergence_is_good_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    # Central differences called these 1e-12 gradients wrong (rel. error 0.99, exit 1).
    result = run_here(capsys, "gradcheck", "--preset", "seed-linear", "--epoch", "50000")
    assert result.returncode == 0, result.stdout
    assert "wrong" not in result.stdout and result.stdout.count(" good") == 2


def test_gradcheck_exits_1_when_bptt_is_wrong(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rnn_tui.engine import gradcheck

    real_trace = gradcheck.trace

    def bptt_with_a_bug(*args: Any) -> Trace:
        result = real_trace(*args)
        return dataclasses.replace(result, dwx=-result.dwx)

    monkeypatch.setattr(gradcheck, "trace", bptt_with_a_bug)
    assert main(["gradcheck", "--preset", "seed-sigmoid", "--epoch", "10"]) == 1
    assert "  wrong" in capsys.readouterr().out


def test_top_level_config_reaches_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", "lr_wx=0.05,epochs=30", "train", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["epoch"] == 30 and "lr_wx=0.05" in data["config"]
    assert main(["--preset", "seed-sigmoid", "train", "--preset", "seed-sigmoid", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["preset"] == "seed-sigmoid"


def test_csv_with_a_byte_order_mark_keeps_its_first_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeff1,0,0,1\n1,1,0,2\n1,1,1,3\n".encode())
    assert main(["train", "--config", f"data={path},epochs=1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["targets"] == [1.0, 2.0, 3.0]


def test_sweep_tabulates_which_rates_converge(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["sweep", "--rate", "lr_wrec", "--values", "1e-4:1:5", "--epochs", "500"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == "5 runs of 500 epochs from wx = 0.2, wrec = 1.5"
    assert len(out) == 7
    assert out[-1].endswith("diverged at epoch 5") and out[2].endswith("finite")


def test_sweep_refuses_bad_ranges(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_here(capsys, "sweep", "--values", "1:0.1:3")
    assert result.returncode == 2 and "0 < LO <= HI <= 10" in result.stderr
