"""The SSH server, end to end over loopback with a real asyncssh client.

These use a stand-in app (tests/serve/stand_in_app.py) that starts in
milliseconds, so they test the server itself: pty, keys, window size,
authentication, refusals, limits and the end of every child process.
`test_ssh_app.py` does the same journey with the real app.
"""

from __future__ import annotations

import asyncio
import os
import pwd
from pathlib import Path

import asyncssh
import pytest

from rnn_tui.serve.auth import AuthPolicy
from rnn_tui.serve.child import RunAs
from rnn_tui.serve.session_args import Experiment

from .conftest import StartServer
from .helpers import Screen, connect, lingering, stand_in, text_of, wait_gone

TERM = ("xterm-256color", (80, 24))


async def open_app(conn: asyncssh.SSHClientConnection, command: str | None = None):  # type: ignore[no-untyped-def]
    process = await conn.create_process(
        command, term_type=TERM[0], term_size=TERM[1], encoding=None
    )
    screen = Screen(process.stdout)
    await screen.wait_for(r"Epoch 0")
    return process, screen


async def test_first_frame_key_and_window_change(start_server: StartServer) -> None:
    server = await start_server()
    async with connect(server) as conn:
        process, screen = await open_app(conn)
        assert "80x24" in text_of(screen.raw)
        process.stdin.write(b" ")
        await screen.wait_for(r"Epoch 1  80x24")
        process.change_terminal_size(100, 30)
        await screen.wait_for(r"Epoch 1  100x30")
        process.stdin.write(b"q")
        await process.wait(timeout=10)
        assert process.exit_status == 0
    assert await wait_gone(server.spawned) == []


async def test_app_environment_is_small_and_keeps_secrets(
    start_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RNN_TUI_PASSWORD", "secret")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    server = await start_server(fps=7)
    async with connect(server) as conn:
        _, screen = await open_app(conn)
        env = (await screen.wait_for(r"env: (.*) TERM=(\S+)")).groups()
    names = env[0].split()
    assert "RNN_TUI_PASSWORD" not in names and "AWS_SECRET_ACCESS_KEY" not in names
    assert {"TERM", "TEXTUAL_FPS", "RNN_TUI_SERVED", "OPENBLAS_NUM_THREADS"} <= set(names)
    assert env[1] == "xterm-256color"


async def test_student_picks_a_preset(start_server: StartServer) -> None:
    server = await start_server(default=Experiment(preset="seed-linear"))
    async with connect(server) as conn:
        _, screen = await open_app(conn, "--preset seed-sigmoid --config 'lr=0.01'")
        assert "'--preset', 'seed-sigmoid', '--config', 'lr=0.01'" in text_of(screen.raw)
    async with connect(server) as conn:
        _, screen = await open_app(conn)
        assert "'--preset', 'seed-linear'" in text_of(screen.raw)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("ls -la /", "refused 'ls'"),
        ("--preset seed-linear; sh", "refused 'sh'"),
        ("--preset 'seed-linear; sh'", "unknown preset"),
        ("--preset $(id)", "unknown preset"),
        ("--config data=/etc/passwd", "is a file path"),
        ("--config wx=banana", "bad --config"),
        ("--preset", "needs a value"),
    ],
)
async def test_other_commands_are_refused(
    start_server: StartServer, command: str, message: str
) -> None:
    server = await start_server()
    async with connect(server) as conn:
        result = await conn.run(command, term_type=TERM[0], check=False)
    assert message in str(result.stderr)
    assert result.exit_status == 2
    assert server.spawned == []


async def test_session_without_pty_is_refused_with_a_message(start_server: StartServer) -> None:
    server = await start_server()
    async with connect(server) as conn:
        result = await conn.run(check=False)  # a shell without a pty, like `ssh -T`
    assert "needs a terminal" in str(result.stderr) and "ssh -t" in str(result.stderr)
    assert result.exit_status == 1
    assert server.spawned == []


async def test_wrong_password_is_refused(start_server: StartServer) -> None:
    server = await start_server()
    with pytest.raises(asyncssh.PermissionDenied):
        async with connect(server, password="guess"):
            pass


async def test_keys_unknown_refused_known_accepted(
    start_server: StartServer, tmp_path: Path
) -> None:
    student = asyncssh.generate_private_key("ssh-ed25519")
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "authorized_keys"
    keys.write_bytes(student.export_public_key())
    server = await start_server(auth=AuthPolicy(authorized_keys=keys))
    with pytest.raises(asyncssh.PermissionDenied):
        async with connect(server, client_keys=[stranger], password=None):
            pass
    async with connect(server, client_keys=[student], password=None) as conn:
        await open_app(conn)


async def test_forwarding_and_subsystems_are_refused(start_server: StartServer) -> None:
    server = await start_server()
    async with connect(server) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("127.0.0.1", server.port)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", server.port)
        with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):
            await conn.start_sftp_client()
        # After all that the connection still serves the app, and only the app.
        await open_app(conn)
    assert len(server.spawned) == 1


async def test_session_limit_holds(start_server: StartServer) -> None:
    server = await start_server(max_sessions=2)
    async with connect(server) as first, connect(server) as second:
        await open_app(first)
        process, _ = await open_app(second)
        async with connect(server) as third:
            result = await third.run(term_type=TERM[0], check=False)
            assert "class is full" in str(result.stderr)
            assert result.exit_status == 1
            assert len(server.children) == 2
            process.stdin.write(b"q")  # one student leaves: a seat frees up
            await process.wait(timeout=10)
            await open_app(third)


async def test_idle_session_is_closed_with_a_message(start_server: StartServer) -> None:
    server = await start_server(idle_timeout=0.5)
    async with connect(server) as conn:
        # Not open_app: on a loaded machine the app may take longer than 0.5 s to draw.
        process = await conn.create_process(term_type=TERM[0], term_size=TERM[1], encoding=None)
        screen = Screen(process.stdout)
        await screen.wait_for(r"closed after 0\.5 s without a key press", timeout=10)
        await process.wait(timeout=10)
    assert await wait_gone(server.spawned) == []


async def test_twenty_abrupt_drops_leave_no_process(start_server: StartServer) -> None:
    server = await start_server()

    async def start_and_drop() -> None:
        conn = await connect(server)
        await open_app(conn)
        conn.abort()  # no SSH goodbye: the TCP connection just ends, like a closed lid

    await asyncio.gather(*(start_and_drop() for _ in range(20)))
    assert len(server.spawned) == 20
    assert await wait_gone(server.spawned) == []
    await asyncio.sleep(0.2)
    assert server.children == {}


async def test_app_that_ignores_hangup_is_killed(start_server: StartServer) -> None:
    server = await start_server(command=stand_in("--ignore-hangup"), hangup_grace=0.3)
    conn = await connect(server)
    await open_app(conn)
    conn.abort()
    assert await wait_gone(server.spawned, timeout=5) == []


async def test_closing_the_server_ends_every_app(start_server: StartServer) -> None:
    server = await start_server()
    conns = [await connect(server) for _ in range(3)]
    for conn in conns:
        await open_app(conn)
    await server.close()
    assert lingering(server.spawned) == []
    for conn in conns:
        conn.abort()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can run apps as another account")
async def test_root_server_runs_apps_as_another_account(start_server: StartServer) -> None:
    nobody = pwd.getpwnam("nobody")
    run_as = RunAs("nobody", nobody.pw_uid, nobody.pw_gid, nobody.pw_dir)
    # /bin/sh stands in for the app: this machine's Python may be unreadable for nobody.
    show_ids = ["/bin/sh", "-c", 'echo "Epoch 0 uid=$(id -u) home=$HOME"; read line']
    server = await start_server(run_as=run_as, command=lambda _: show_ids)
    async with connect(server) as conn:
        _, screen = await open_app(conn)
        found = await screen.wait_for(r"uid=(\d+) home=(\S+)")
    assert found.groups() == (str(nobody.pw_uid), nobody.pw_dir)
