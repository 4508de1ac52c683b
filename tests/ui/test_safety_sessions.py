"""Issue 8: opening a session reads only a small regular file, and replays a bounded run.

Before: ctrl+o on /dev/zero grew the app by ~300 MB/s, a FIFO hung it (and the process
outlived q), and ``"epoch": 10**12`` in a file ran without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from pathlib import Path

import pytest

from rnn_tui.engine.limits import set_run_limits
from rnn_tui.ui.session import MAX_CHANGES, Session, SessionError
from rnn_tui.ui.session_files import (
    MAX_SESSION_BYTES,
    SessionFileError,
    read_session_file,
    read_shared_session,
    shared_session_names,
)

from .conftest import driving
from .safety import submit

GOOD = Session(((0, "wx=0.2,wrec=1.5,epochs=100"),), 3).to_json()


def read_within(path: Path, seconds: float = 5.0) -> str | SessionFileError:
    """``read_session_file`` in a thread that must finish in time (a hang is a failure)."""
    result: list[str | SessionFileError] = []

    def read() -> None:
        try:
            result.append(read_session_file(path))
        except SessionFileError as error:
            result.append(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"reading {path} blocked"
    return result[0]


def test_a_device_is_refused_without_reading_it() -> None:
    outcome = read_within(Path("/dev/zero"))
    assert isinstance(outcome, SessionFileError) and str(outcome) == "not a regular file"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    outcome = read_within(fifo)
    assert isinstance(outcome, SessionFileError) and str(outcome) == "not a regular file"


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_SESSION_BYTES + 1))
    outcome = read_within(big)
    assert isinstance(outcome, SessionFileError) and "larger than" in str(outcome)
    exact = tmp_path / "exact.json"
    exact.write_bytes(b" " * MAX_SESSION_BYTES)
    assert read_within(exact) == " " * MAX_SESSION_BYTES


def test_a_missing_file_and_a_binary_file_say_why(tmp_path: Path) -> None:
    assert str(read_within(tmp_path / "nope.json")) == "No such file or directory"
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe")
    assert "UTF-8" in str(read_within(binary))


def test_shared_sessions_are_named_json_files_never_paths(tmp_path: Path) -> None:
    (tmp_path / "lesson.json").write_text(GOOD)
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / ".hidden.json").write_text(GOOD)
    (tmp_path / "dir.json").mkdir()
    (tmp_path / "link.json").symlink_to(tmp_path / "lesson.json")
    os.mkfifo(tmp_path / "fifo.json")
    assert shared_session_names(tmp_path) == ["lesson.json"]
    assert read_shared_session(tmp_path, "lesson.json") == GOOD
    for name in ("link.json", "../lesson.json", "/etc/passwd", "fifo.json", ".hidden.json"):
        with pytest.raises(SessionFileError, match="no shared session"):
            read_shared_session(tmp_path, name)
    assert shared_session_names(tmp_path / "missing") == []


def session_text(**fields: object) -> str:
    data: dict[str, object] = {"format": "rnn-tui-session", "config": "wx=0.2", "epoch": 1}
    data.update(fields)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (session_text(epoch=10**12), "epoch 1000000000000"),
        (session_text(changes=[{"epoch": 10**12, "config": "lr_wx=0.1"}]), "epoch"),
        (session_text(changes=[{"epoch": 1, "config": "x"}] * (MAX_CHANGES + 1)), "at most"),
        (session_text(changes=[{"epoch": 5, "config": "x"}, {"epoch": 2, "config": "x"}]), "order"),
        (session_text(changes={"epoch": 1}), "list"),
        (session_text(changes=[3]), "object"),
        (session_text(epoch=True), "epoch must be int"),
        (session_text(epoch=1.5), "epoch must be int"),
        (session_text(config=["a"]), "config must be str"),
        (session_text(sample="0"), "sample must be int"),
        ('{"format": "rnn-tui-session", "config": "wx=1", "epoch": 1e400}', "epoch must be int"),
        ('{"format": "rnn-tui-session", "epoch": ' + "9" * 5000 + "}", "too large"),
        ("[" * 100_000 + "]" * 100_000, "too large"),
    ],
)
def test_hostile_session_files_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(SessionError, match=reason):
        Session.from_json(text)


def test_a_fair_session_still_opens() -> None:
    text = session_text(epoch=50_000, changes=[{"epoch": 10, "config": "lr_wx=0.1"}], sample=2)
    session = Session.from_json(text)
    assert session.epoch == 50_000 and session.timeline[1:] == ((10, "lr_wx=0.1"),)


async def test_opening_a_fifo_leaves_the_app_working(tmp_path: Path) -> None:
    fifo = tmp_path / "session.json"
    os.mkfifo(fifo)
    try:
        async with driving() as (app, pilot):
            await pilot.press("space", "ctrl+o")
            await pilot.pause()
            await submit(pilot, "#path-session", str(fifo))
            await asyncio.wait_for(app.workers.wait_for_complete(), timeout=10)
            await pilot.pause()
            assert "not a regular file" in str(app.query_one("#notice").content)
            assert app.trainer.epoch == 1
    finally:
        _release_reader(fifo)


def _release_reader(fifo: Path) -> None:
    """A reader blocked on the FIFO (the bug) gets its end of file, so the test ends."""
    with contextlib.suppress(OSError):  # no reader: nothing blocked
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_a_served_app_bounds_a_session_by_its_epoch_limit() -> None:
    text = session_text(epoch=5_000)
    set_run_limits(1_000, None)
    try:
        with pytest.raises(SessionError, match="at most 1,000 epochs in a served session"):
            Session.from_json(text)
    finally:
        set_run_limits(None, None)
    assert Session.from_json(text).epoch == 5_000
