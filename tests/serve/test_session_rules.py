"""What a student may ask for, and what a served app may read: unit-sized checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_tui.serve.auth import AuthSetupError, build_policy, is_loopback, read_password
from rnn_tui.serve.session_args import (
    Experiment,
    RefusedArgs,
    parse_command,
    session_experiment,
)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (None, Experiment()),
        ("", Experiment()),
        ("--preset seed-sigmoid", Experiment("seed-sigmoid")),
        ("--preset=seed-sigmoid", Experiment("seed-sigmoid")),
        ("rnn-tui --config 'wx=0.5, lr=0.01'", Experiment(None, "wx=0.5, lr=0.01")),
        ("--config lr=0.1 --preset exploding", Experiment("exploding", "lr=0.1")),
    ],
)
def test_allowed_commands(command: str | None, expected: Experiment) -> None:
    assert parse_command(command) == expected


@pytest.mark.parametrize(
    "command",
    [
        "bash",
        "--preset x --preset y",
        "--help",
        "--config",
        "'unterminated",
        "--preset seed-linear && id",
        "x" * 2000,
    ],
)
def test_refused_commands(command: str) -> None:
    with pytest.raises(RefusedArgs):
        session_experiment(command, Experiment())


def test_student_options_replace_the_servers_one_by_one() -> None:
    server = Experiment("seed-sigmoid", "lr=0.01")
    assert session_experiment("--preset exploding", server) == Experiment("exploding", "lr=0.01")
    assert session_experiment("", server) == server
    assert session_experiment("--config lr=0.5", server).argv() == [
        "--preset", "seed-sigmoid", "--config", "lr=0.5",
    ]  # fmt: skip


@pytest.mark.parametrize("data", ["/etc/passwd", "../secret.csv", "notes.csv"])
def test_data_files_are_refused_on_the_command_line(data: str) -> None:
    with pytest.raises(RefusedArgs, match="file path"):
        session_experiment(f"--config data={data}", Experiment())


@pytest.mark.parametrize(
    "data", ["notebook/../../x", "roelants.csv", "notebookx", "random:20x10/../../x"]
)
def test_data_names_match_built_in_names_exactly(data: str) -> None:
    """A prefix check let these through: each would name a file on the teacher's machine."""
    with pytest.raises(RefusedArgs):
        session_experiment(f"--config data={data}", Experiment())


@pytest.mark.parametrize("data", ["notebook", "roelants", "random:20x10"])
def test_built_in_data_is_allowed(data: str) -> None:
    session_experiment(f"--config data={data}", Experiment())


def test_served_app_cannot_read_data_files() -> None:
    """Over SSH the app's own data field must not open files on the teacher's machine."""
    command = [sys.executable, "-m", "rnn_tui.serve.app_entry", "train", "--config"]
    env = os.environ | {"RNN_TUI_NO_FILES": "1"}
    result = subprocess.run(
        [*command, "data=/etc/passwd"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "data files are turned off in served sessions" in result.stderr
    assert "root" not in result.stderr


def test_served_app_cannot_write_files(tmp_path: Path) -> None:
    target = tmp_path / "teachers-notes.txt"
    target.write_text("precious")
    code = (
        "from rnn_tui.serve.app_entry import forbid_files; forbid_files(); "
        f"file = open({str(target)!r}, 'a'); file.write('overwritten'); file.close()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert "File too large" in result.stderr
    assert target.read_text() == "precious"


def test_no_auth_only_on_loopback() -> None:
    assert build_policy("127.0.0.1", None, None, no_auth=True).is_open
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("0.0.0.0")
    with pytest.raises(AuthSetupError, match="loopback"):
        build_policy("0.0.0.0", None, None, no_auth=True)
    with pytest.raises(AuthSetupError, match="no authentication"):
        build_policy("127.0.0.1", None, None, no_auth=False)


def test_password_from_env_or_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLASS_PW", "from-env")
    assert read_password("CLASS_PW", None) == "from-env"
    file = tmp_path / "pw"
    file.write_text("from-file\n")
    file.chmod(0o600)
    assert read_password("CLASS_PW", file) == "from-file"
    file.write_text("\n")
    with pytest.raises(AuthSetupError, match="empty"):
        read_password("CLASS_PW", file)
    monkeypatch.delenv("CLASS_PW")
    assert read_password("CLASS_PW", None) is None
