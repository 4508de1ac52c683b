"""The class hub inside the SSH server: roles from sign-in, one channel per app, seats.

Real server on 127.0.0.1, real asyncssh clients, the stand-in app (it shows the
hub's welcome: `class: ROLE NAME`). The real app following the teacher is in
tests/serve/test_class_mode.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from rnn_tui.cli import build_parser
from rnn_tui.experiment import UsageError
from rnn_tui.serve.auth import AuthPolicy
from rnn_tui.serve.commands import _serve_settings
from rnn_tui.serve.ssh_server import ClassroomServer

from .conftest import StartServer
from .helpers import PASSWORD, Screen, connect, until, wait_gone

TEACHER_PASSWORD = "teacher's own"
WITH_TEACHER = {"teacher": AuthPolicy(password=TEACHER_PASSWORD)}
SLOW = 10.0  # seconds: apps end and connections close on a loaded machine


class Seat:
    """One signed-in user's session of the stand-in app."""

    def __init__(self, conn: asyncssh.SSHClientConnection, process: Any) -> None:
        self.conn = conn
        self.process = process
        self.screen = Screen(process.stdout)

    @classmethod
    async def take(cls, server: ClassroomServer, user: str, password: str = PASSWORD) -> Seat:
        conn = await connect(server, username=user, password=password)
        process = await conn.create_process(term_type="xterm", term_size=(80, 24), encoding=None)
        seat = cls(conn, process)
        await seat.screen.wait_for(r"class: \S+")
        return seat

    async def who(self) -> str:
        return (await self.screen.wait_for(r"class: (\S+(?: \S+)?)")).group(1)

    def close(self) -> None:
        self.conn.close()


async def test_sign_in_gives_the_role_and_the_app_its_channel(start_server: StartServer) -> None:
    server = await start_server(**WITH_TEACHER)
    assert server.hub is not None
    teacher = await Seat.take(server, "teacher", TEACHER_PASSWORD)
    alice = await Seat.take(server, "alice")
    alice2 = await Seat.take(server, "alice")
    assert await teacher.who() == "teacher teacher"
    assert await alice.who() == "student alice"
    assert await alice2.who() == "student alice#2"
    # Every follower waits on the teacher's frames: the teacher's app is not niced.
    assert (await teacher.screen.wait_for(r"nice=(\d+)")).group(1) == "0"
    assert (await alice.screen.wait_for(r"nice=(\d+)")).group(1) == "10"
    assert server.hub.snapshot().teacher
    assert set(server.hub.names) == {"teacher", "alice", "alice#2"}
    for seat in (teacher, alice, alice2):
        seat.close()
    await until(lambda: not server.hub.names, SLOW)  # type: ignore[union-attr]
    assert not server.hub.snapshot().teacher


async def test_teacher_needs_the_teacher_password(start_server: StartServer) -> None:
    server = await start_server(**WITH_TEACHER)
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server, username="teacher", password=PASSWORD)  # the class's
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server, username="alice", password=TEACHER_PASSWORD)
    assert server.hub is not None and server.hub.names == ()


async def test_without_teacher_credentials_nobody_is_teacher(start_server: StartServer) -> None:
    server = await start_server()
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server, username="teacher", password=PASSWORD)


async def test_without_authentication_anyone_may_be_teacher(start_server: StartServer) -> None:
    server = await start_server(auth=AuthPolicy())
    teacher = await Seat.take(server, "teacher", "")
    assert await teacher.who() == "teacher teacher"
    teacher.close()


async def test_a_teacher_key_signs_in_the_teacher_only(
    start_server: StartServer, tmp_path: Path
) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "teacher_keys"
    keys.write_bytes(key.export_public_key())
    server = await start_server(teacher=AuthPolicy(authorized_keys=keys))
    conn = await connect(server, username="teacher", password=None, client_keys=[key])
    process = await conn.create_process(term_type="xterm", term_size=(80, 24), encoding=None)
    assert (await Screen(process.stdout).wait_for(r"class: (\w+)")).group(1) == "teacher"
    conn.close()
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server, username="alice", password=None, client_keys=[key])


async def test_a_full_class_keeps_its_teacher_in(start_server: StartServer) -> None:
    server = await start_server(max_sessions=1, **WITH_TEACHER)
    alice = await Seat.take(server, "alice")
    async with connect(server, username="bob") as conn:
        refused = await conn.run(term_type="xterm", encoding=None)
        assert b"class is full" in (refused.stderr or b"")
    teacher = await Seat.take(server, "teacher", TEACHER_PASSWORD)
    assert await teacher.who() == "teacher teacher"
    alice.close()
    teacher.close()


async def test_a_student_leaves_and_comes_back_under_the_same_name(
    start_server: StartServer,
) -> None:
    server = await start_server(**WITH_TEACHER)
    hub = server.hub
    assert hub is not None
    fds_before = len(os.listdir("/proc/self/fd"))
    alice = await Seat.take(server, "alice")
    alice.process.stdin.write(b"q")  # the app ends: the hub sees its channel close
    await alice.process.wait(timeout=10)
    await until(lambda: "alice" not in hub.names, SLOW)
    alice.close()
    again = await Seat.take(server, "alice")
    assert await again.who() == "student alice"
    again.close()
    await until(lambda: not hub.names, SLOW)
    assert await wait_gone(server.spawned) == []
    await until(lambda: len(os.listdir("/proc/self/fd")) <= fds_before, SLOW)  # no channel left


async def test_garbage_on_the_channel_cuts_off_the_class_link_not_the_session(
    start_server: StartServer,
) -> None:
    server = await start_server(**WITH_TEACHER)
    hub = server.hub
    assert hub is not None
    teacher = await Seat.take(server, "teacher", TEACHER_PASSWORD)
    mallory = await Seat.take(server, "mallory")
    mallory.process.stdin.write(b"g")
    await until(lambda: "mallory" not in hub.names, SLOW)
    assert [name for name, _ in hub.cut_off] == ["mallory"] and hub.snapshot().teacher
    mallory.screen.mark()
    mallory.process.stdin.write(b" ")  # the student's own app goes on, alone
    await mallory.screen.wait_for(r"Epoch 1")
    teacher.close()
    mallory.close()


async def test_no_class_mode_runs_every_app_alone(start_server: StartServer) -> None:
    server = await start_server(classroom=None)
    assert server.hub is None
    alice = await Seat.take(server, "alice")
    assert await alice.who() == "none"
    alice.close()


# -- the serve command's class options -------------------------------------------------------


def serve_settings(tmp_path: Path, *flags: str) -> Any:
    args = build_parser().parse_args(["serve", "--host-key", str(tmp_path / "key"), *flags])
    return _serve_settings(args)


def private_file(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_serve_options_give_the_teacher_credentials_and_the_epoch_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RNN_TUI_PASSWORD", PASSWORD)
    teacher = private_file(tmp_path / "teacher", TEACHER_PASSWORD + "\n")
    settings = serve_settings(
        tmp_path, "--teacher-password-file", str(teacher), "--max-epochs", "5000"
    )
    assert settings.teacher.password == TEACHER_PASSWORD
    assert settings.hub_settings().max_student_epoch == 5000
    assert serve_settings(tmp_path, "--no-class").hub_settings() is None


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--teacher-password-file", "{class}"), "every student could lead"),
        (("--no-class", "--teacher-password-file", "{teacher}"), "--no-class has no teacher"),
        (("--teacher-keys", "{garbage}"), "holds no usable key"),
    ],
)
def test_unsafe_class_options_are_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...], message: str
) -> None:
    monkeypatch.setenv("RNN_TUI_PASSWORD", PASSWORD)
    files = {
        "class": private_file(tmp_path / "class", PASSWORD),
        "teacher": private_file(tmp_path / "teacher", TEACHER_PASSWORD),
        "garbage": private_file(tmp_path / "keys", "not a key\n"),
    }
    with pytest.raises(UsageError, match=message):
        serve_settings(tmp_path, *(flag.format(**files) for flag in flags))
