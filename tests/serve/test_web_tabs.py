"""A tab's app process under `rnn-tui web`: its size, its environment, its end."""

from __future__ import annotations

import asyncio
import os
import time

import aiohttp
import pytest

from rnn_tui.serve.web import ClassroomWeb

from .helpers import wait_gone
from .web_support import (
    StartWeb,
    address_of,
    open_tab,
    read_until,
    signed_in,
    stand_in_web,
    start_web,
    tab,
)

__all__ = ["start_web"]  # the fixture, used by name


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (a killed grandchild may linger as a zombie
    until init reaps it: it holds no memory)."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()  # noqa: SIM115
            except OSError:
                continue
            state, _, _, group = stat.rsplit(")", 1)[1].split()[:4]
            if int(group) == pgid and state != "Z":
                members.append(int(entry))
    return members


async def wait_seats_free(server: ClassroomWeb, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while server.active and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("?width=10000&height=10000", "1000x1000"),
        ("?width=-5&height=1e9", "80x24"),
        ("?width=120&height=40", "120x40"),
    ],
)
async def test_tab_size_is_clamped_like_ssh(start_web: StartWeb, query: str, size: str) -> None:
    async with tab(await start_web(), query) as ws:
        await read_until(ws, rf"Epoch 0  {size}\b")
        await ws.send_json(["resize", {"width": 99999, "height": 3}])
        await read_until(ws, r"Epoch 0  1000x3\b")


async def test_app_gets_a_scrubbed_environment(
    start_web: StartWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RNN_TUI_PASSWORD", "the class password")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "teacher's")
    async with tab(await start_web()) as ws:
        names = (await read_until(ws, r"env: .*\n")).split("env: ")[1].split()
    assert "RNN_TUI_PASSWORD" not in names
    assert "AWS_SECRET_ACCESS_KEY" not in names
    assert {"RNN_TUI_NO_FILES", "TEXTUAL_DRIVER", "PATH", "HOME"} <= set(names)
    assert {"RNN_TUI_MAX_MEMORY_MB", "RNN_TUI_MAX_EPOCHS"} <= set(names)  # the run limits


async def test_closed_tab_frees_its_seat_only_once_its_app_is_gone(start_web: StartWeb) -> None:
    # The worst app: ignores SIGHUP, is blocked writing to a full pipe (and stays when the
    # pipe closes), has a helper. A 2 s grace (not the fixture's 0.5 s): on a loaded machine
    # the second handshake can come later than 0.5 s after the close, when the seat is free.
    server = await start_web(
        command=stand_in_web("--ignore-hangup", "--flood", "--grandchild"),
        max_sessions=1,
        hangup_grace=2.0,
    )
    address = address_of(server)
    async with signed_in(address, server.sign_in.token) as http:
        async with open_tab(http, address) as ws:
            await read_until(ws, r"Epoch 0")
            [pid] = server.apps
            await asyncio.sleep(0.3)  # the pipe fills up: the app blocks writing
            assert len(group_members(pid)) == 2
        # While the app is still there (SIGHUP ignored), its seat is taken.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            async with open_tab(http, address):
                pass
        assert refused.value.status == 503
        await wait_seats_free(server)
        assert server.active == 0
        assert group_members(pid) == []  # SIGKILL reached the whole group
        assert await wait_gone([pid], timeout=1) == []  # and the app was reaped
        async with open_tab(http, address) as ws:  # the seat is free again
            await read_until(ws, r"Epoch 0")


async def test_server_close_ends_every_app(start_web: StartWeb) -> None:
    server = await start_web(command=stand_in_web("--ignore-hangup"))
    address = address_of(server)
    async with signed_in(address, server.sign_in.token) as http:
        tabs = [await open_tab(http, address).__aenter__() for _ in range(3)]
        for ws in tabs:
            await read_until(ws, r"Epoch 0")
        pids = list(server.apps)
        await server.close()
        assert server.apps == {}
        assert [pid for pid in pids if group_members(pid)] == []
        for ws in tabs:
            await ws.close()


async def test_tab_messages_are_checked(start_web: StartWeb) -> None:
    server = await start_web(command=stand_in_web("--ask-browser"))
    async with tab(server) as ws:
        await read_until(ws, r"Epoch 0")  # the app's URL and download were not passed on
        for junk in ("not json", "[]", '["stdin", 5]', '["resize", "big"]', '["exec", "x"]'):
            await ws.send_str(junk)
        await ws.send_json(["ping", "t1"])
        reply = await ws.receive()
        assert reply.type == aiohttp.WSMsgType.TEXT and reply.json() == ["pong", "t1"]
        await ws.send_json(["stdin", " "])
        await read_until(ws, r"Epoch 1")
        [pid] = server.apps
        await ws.send_json(["stdin", "x" * 100_000])  # over 64 KiB: the tab is closed
        assert (await ws.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    await wait_seats_free(server)
    assert group_members(pid) == []
