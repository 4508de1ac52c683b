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
from .helpers import Screen, connect, text_of, wait_gone

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


def first_frame(raw: bytes, rows: int) -> bytes:
    """The output up to the end of the first frame: its move to the bottom row and the
    text drawn there (Textual draws a full frame top to bottom, a cursor move a line)."""
    bottom = re.search(rb"\x1b\[%d;\d+H" % rows, raw)
    assert bottom is not None, f"no frame reached row {rows}"
    after = re.compile(rb"\x1b\[\d+;\d+H").search(raw, bottom.end())
    return raw[: after.start() if after else len(raw)]


def cursor_moves(raw: bytes) -> list[tuple[int, int]]:
    return [(int(r), int(c)) for r, c in re.findall(rb"\x1b\[(\d+);(\d+)H", raw)]


# The parameter panel shows from 110 columns on (the -medium and -wide breakpoints).
PANEL = "lr_wrec"


@pytest.mark.parametrize(("cols", "rows", "panel"), [(80, 24, False), (200, 60, True)])
async def test_first_frame_is_drawn_at_the_students_size(
    start_server: StartServer, cols: int, rows: int, panel: bool
) -> None:
    """The app learns the size from its pty before its first frame (the server sets it
    before the app starts, the app styles its breakpoints before mounting): a student's
    first screen is laid out for their terminal, with no redraw at another breakpoint."""
    server = await start_server(command=app_command)
    async with connect(server) as conn:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(cols, rows), encoding=None
        )
        screen = Screen(process.stdout)
        await screen.wait_for(epoch(0), FIRST_FRAME_TIMEOUT)
        await asyncio.wait_for(_until_rows(screen, rows), 15)
        first = first_frame(screen.raw, rows)
        assert max(r for r, _ in cursor_moves(first)) == rows
        assert max(c for _, c in cursor_moves(screen.raw)) <= cols
        assert (PANEL in text_of(first)) is panel
        assert re.search(epoch(0), text_of(first))
        await screen.drain()  # what follows the first frame: the same layout
        assert (PANEL in text_of(screen.raw)) is panel
        conn.abort()
    assert await wait_gone(server.spawned) == []


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
