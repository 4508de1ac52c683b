"""The real app over the real SSH server: what a student sees.

Assertions on the screen are deliberately loose (the header's `epoch N`, the
rows a full repaint reaches) so that the app's layout may change freely.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from rnn_tui.serve.child import app_command

from .conftest import StartServer
from .helpers import Screen, connect, wait_gone

pytest.importorskip("rnn_tui.ui.app")

FIRST_FRAME_TIMEOUT = 30.0  # a cold Textual start on a busy 2-core CI machine


def epoch(n: int) -> str:
    return rf"\bepoch\W{{0,3}}{n}\b"


def rows_drawn(raw: bytes) -> int:
    """The lowest row a cursor move reached: a full repaint at height H reaches row H."""
    return max((int(row) for row in re.findall(rb"\x1b\[(\d+);\d+H", raw)), default=0)


async def test_student_sees_the_app_steps_and_resizes(start_server: StartServer) -> None:
    server = await start_server(command=app_command)
    async with connect(server) as conn:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(80, 24), encoding=None
        )
        screen = Screen(process.stdout)
        await screen.wait_for(epoch(0), FIRST_FRAME_TIMEOUT)
        await screen.drain()
        assert rows_drawn(screen.raw) == 24

        screen.mark()
        process.stdin.write(b" ")  # space: one epoch forward
        await screen.wait_for(epoch(1))
        await screen.drain()

        screen.mark()
        process.change_terminal_size(100, 30)
        await screen.drain()
        await asyncio.wait_for(_until_rows(screen, 30), 15)

        screen.mark()
        process.stdin.write(b"q")  # the run has moved: quitting asks first
        await screen.wait_for(r"throws away")
        process.stdin.write(b"y")
        await process.wait(timeout=15)
        assert process.exit_status == 0
    assert await wait_gone(server.spawned) == []


async def _until_rows(screen: Screen, rows: int) -> None:
    while rows_drawn(screen.raw) < rows:
        await screen.drain()


async def test_student_picked_preset_reaches_the_app(start_server: StartServer) -> None:
    server = await start_server(command=app_command)
    async with connect(server) as conn:
        process = await conn.create_process(
            "--preset seed-sigmoid", term_type="xterm", term_size=(80, 24), encoding=None
        )
        screen = Screen(process.stdout)
        await screen.wait_for(r"seed-sigmoid", FIRST_FRAME_TIMEOUT)
        conn.abort()
    assert await wait_gone(server.spawned) == []
