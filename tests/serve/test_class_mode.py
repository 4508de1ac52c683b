"""A class end to end: the real server, real asyncssh clients, real app processes.

A teacher and three students. The teacher steps, micro-steps, changes a parameter
mid-run and opens the landscape; each follower's epoch and loss, as its app
publishes them to the hub, equal (bit for bit) a run the test computes itself with
the engine. Then a student explores and is pushed back, a student leaves and comes
back, and the teacher leaves (students keep their state and may explore).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import asyncssh
import pytest

from rnn_tui.classroom.client import ClassLink
from rnn_tui.classroom.protocol import LessonState
from rnn_tui.classroom.replay import timeline_of
from rnn_tui.engine import DEFAULT_PRESET, PRESETS, Config, Trainer
from rnn_tui.serve.auth import AuthPolicy
from rnn_tui.serve.child import app_command
from rnn_tui.serve.class_hub import ClassHub
from rnn_tui.serve.commands import class_web_settings
from rnn_tui.serve.ssh_server import ClassroomServer
from rnn_tui.serve.web import ClassroomWeb

from .conftest import StartServer
from .helpers import PASSWORD, connect, text_of, until, wait_gone
from .web_support import tab

pytest.importorskip("rnn_tui.ui.app")

TEACHER_PASSWORD = "teacher's own"
START = 40.0  # seconds: a cold app start with four others on a loaded 2-core machine
SETTLE = 15.0


class Seat:
    """One user's app over SSH; its output is read all the time (a stalled reader would
    stall the app through SSH flow control)."""

    def __init__(self, conn: asyncssh.SSHClientConnection, process: Any) -> None:
        self.conn = conn
        self.process = process
        self.raw = b""
        self._mark = 0
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def take(cls, server: ClassroomServer, user: str, password: str = PASSWORD) -> Seat:
        conn = await connect(server, username=user, password=password)
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(120, 36), encoding=None
        )
        return cls(conn, process)

    async def _read(self) -> None:
        with contextlib.suppress(asyncssh.Error, OSError):
            while chunk := await self.process.stdout.read(65536):
                self.raw += chunk

    def mark(self) -> None:
        self._mark = len(self.raw)

    async def wait_for(self, pattern: str, timeout: float = SETTLE) -> re.Match[str]:
        """``pattern`` in what the app drew since the last mark."""
        try:
            async with asyncio.timeout(timeout):
                while not (found := re.search(pattern, text_of(self.raw[self._mark :]))):
                    if self._reader.done():
                        raise AssertionError(f"the app ended before {pattern!r}")
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(f"no {pattern!r} in: {self.screen()[-1500:]!r}") from None
        return found

    def screen(self) -> str:
        """The last 3000 characters drawn, for a failure's message."""
        return text_of(self.raw)[-3000:]

    def press(self, keys: str | bytes) -> None:
        self.process.stdin.write(keys.encode() if isinstance(keys, str) else keys)

    async def close(self) -> None:
        self.conn.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@pytest.fixture
async def seats() -> AsyncIterator[list[Seat]]:
    taken: list[Seat] = []
    try:
        yield taken
    finally:
        for seat in taken:
            await seat.close()


def status_of(hub: ClassHub, name: str) -> tuple[int, float | None, str, str]:
    entry = next(e for e in hub.roster() if e.name == name)
    return entry.epoch, entry.loss, entry.mode, entry.config


async def every_follower_sees(
    students: dict[str, Seat], teacher: Seat, keys: str, pattern: str
) -> None:
    """The teacher presses ``keys``; each follower's screen then shows ``pattern``."""
    for seat in students.values():
        seat.mark()
    teacher.press(keys)
    for seat in students.values():
        await seat.wait_for(pattern)


async def all_show(
    hub: ClassHub, names: list[str], trainer: Trainer, mode: str = "following"
) -> None:
    """Every named student publishes exactly the trainer's epoch, loss and config."""
    want = (trainer.epoch, trainer.loss, mode, str(trainer.config))
    check: Callable[[], bool] = lambda: all(status_of(hub, n) == want for n in names)  # noqa: E731
    try:
        await until(check, SETTLE)
    except AssertionError:
        got = {n: status_of(hub, n) for n in names}
        raise AssertionError(f"wanted {want}, got {got}") from None


@pytest.mark.slow
async def test_a_late_joiner_lands_on_the_teachers_epoch_with_its_numbers(
    start_server: StartServer, seats: list[Seat]
) -> None:
    server = await start_server(command=app_command, teacher=AuthPolicy(password=TEACHER_PASSWORD))
    hub = server.hub
    assert hub is not None
    teacher = await Seat.take(server, "teacher", TEACHER_PASSWORD)
    seats.append(teacher)
    await teacher.wait_for(r"0 students", START)
    teacher.press(":")
    await teacher.wait_for(r"Go to epoch")
    teacher.press("30000\r")  # past LATE_JOIN_EPOCHS: a late joiner resumes, not replays
    expected = Trainer(PRESETS[DEFAULT_PRESET])
    expected.goto(30_000)
    snapshot_at = lambda: (state := hub.snapshot().state) is not None and state.epoch == 30_000  # noqa: E731
    await until(snapshot_at, START)
    alice = await Seat.take(server, "alice")
    seats.append(alice)
    await alice.wait_for(r"following teacher", START)
    await all_show(hub, ["alice"], expected)  # epoch and loss, bit for bit, from the app
    exact = hub.snapshot().state.exact  # type: ignore[union-attr]
    assert exact is not None and exact.weights == expected.weights


@pytest.mark.slow
async def test_a_teacher_and_three_students(start_server: StartServer, seats: list[Seat]) -> None:
    server = await start_server(command=app_command, teacher=AuthPolicy(password=TEACHER_PASSWORD))
    hub = server.hub
    assert hub is not None
    names = ["alice", "bob", "carol"]
    teacher = await Seat.take(server, "teacher", TEACHER_PASSWORD)
    seats.append(teacher)
    students = {name: await Seat.take(server, name) for name in names}
    seats.extend(students.values())
    # The longest form of the class counts that fits beside the numbers at 120 columns.
    await teacher.wait_for(r"3 following / 0 exploring\)|0/3 exploring", START)
    for seat in students.values():
        await seat.wait_for(r"following teacher", START)

    # The teacher steps and micro-steps: every follower shows the same numbers.
    expected = Trainer(PRESETS[DEFAULT_PRESET])
    teacher.press("   ")
    expected.step(3)
    await all_show(hub, names, expected)
    await every_follower_sees(students, teacher, "..", r"micro-step 2/")

    # A parameter changed mid-run (lr_wx, five fields after wx), then two more epochs.
    teacher.press(" ")  # the micro-steps end with the epoch
    expected.step(1)
    teacher.press("i")
    await asyncio.sleep(1.0)  # the field takes the focus after the next refresh
    for keys in ("\t" * 5, "\x15", "0.05", "\r"):  # to lr_wx; ctrl+u clears it; a value
        teacher.press(keys)
        await asyncio.sleep(0.5)
    expected.configure(Config.parse("lr_wx=0.05", expected.config))
    await teacher.wait_for(r"lr_wx changed")
    teacher.press("\x1b")
    await asyncio.sleep(0.3)  # escape alone: the terminal parser waits for more
    teacher.press("  ")
    expected.step(2)
    await all_show(hub, names, expected)

    # The landscape opens on every follower's screen.
    await every_follower_sees(students, teacher, "l", r"Landscape · z/Z zoom")

    # alice explores on her own, then the teacher pushes: she is back, with a notice.
    alice = students["alice"]
    alice.press("x")
    await until(lambda: status_of(hub, "alice")[2] == "exploring", SETTLE)
    await teacher.wait_for(r"\(2 following / 1 exploring\)")
    alice.press("l ")  # her own keys now: close the landscape, one more epoch
    await until(lambda: status_of(hub, "alice")[0] == expected.epoch + 1, SETTLE)
    alice.mark()
    teacher.press("P")
    await alice.wait_for(r"brought the class back")
    await all_show(hub, names, expected)

    # bob leaves and comes back: he lands on the class's epoch at once.
    await students["bob"].close()
    await until(lambda: "bob" not in hub.names, SETTLE)
    await teacher.wait_for(r"class: 2 students")
    bob = await Seat.take(server, "bob")
    seats.append(bob)
    await bob.wait_for(r"following teacher", START)
    await all_show(hub, ["bob"], expected)

    # The teacher leaves: students keep their state and may explore.
    await teacher.close()
    await until(lambda: not hub.snapshot().teacher, SETTLE)
    carol = students["carol"]
    await carol.wait_for(r"teacher away")
    await all_show(hub, names, expected)
    carol.press("x")
    await until(lambda: status_of(hub, "carol")[2] == "exploring", SETTLE)
    carol.press("l ")
    await until(lambda: status_of(hub, "carol")[0] == expected.epoch + 1, SETTLE)

    for seat in seats:
        await seat.close()
    assert await wait_gone(server.spawned) == []


async def test_a_browser_tab_joins_the_class_as_a_student(start_server: StartServer) -> None:
    """`serve --web PORT`: each tab is a student of the same class, behind the same sign-in."""
    server = await start_server(command=app_command)
    hub = server.hub
    assert hub is not None
    browsers = ClassroomWeb(class_web_settings(server, 0))
    await browsers.start()
    lead = ClassLink(hub.open_channel("teacher", "teacher").sock)  # the test leads
    try:
        expected = Trainer(PRESETS[DEFAULT_PRESET])
        expected.step(7)
        lead.publish_state(LessonState(timeline_of(expected), expected.epoch))
        async with tab(browsers) as ws:
            drain = asyncio.create_task(_drain(ws))  # a browser reads all the time
            try:
                await until(lambda: "web" in hub.names, START)
                await all_show(hub, ["web"], expected)
            finally:
                drain.cancel()
    finally:
        lead.close()
        await browsers.close()


async def _drain(ws: aiohttp.ClientWebSocketResponse) -> None:
    with contextlib.suppress(aiohttp.ClientError):
        async for _ in ws:
            pass
