"""The class hub with real socketpairs: link clients (threads) and raw hostile clients."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

import pytest

from rnn_tui.classroom.client import ClassLink, ClassRoleError
from rnn_tui.classroom.protocol import (
    LessonState,
    PublishState,
    PublishStatus,
    StudentStatus,
    encode_client,
)
from rnn_tui.serve.class_hub import ClassFull, ClassHub, HubSettings

from .helpers import until

CONFIG = "wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006"


def state(epoch: int, *, micro: int = 0, timeline: int = 1, pad: int = 0) -> LessonState:
    changes = tuple((e * 10, f"{CONFIG},seed={e}" + "0" * pad) for e in range(timeline))
    return LessonState(timeline=changes, epoch=epoch, micro=micro, view="table")


def status(epoch: int, state_word: str = "running", mode: str = "following") -> StudentStatus:
    return StudentStatus(CONFIG, epoch, 0.5, state_word, mode)  # type: ignore[arg-type]


@dataclass
class Class:
    hub: ClassHub
    links: list[ClassLink] = field(default_factory=list)

    async def join(self, role: str, user: str) -> ClassLink:
        end = self.hub.open_channel(role, user)  # type: ignore[arg-type]
        link = ClassLink(end.sock, send_interval=0.005, status_interval=0.01)
        self.links.append(link)
        await until(lambda: link.name is not None and link.snapshot() is not None)
        return link

    def raw(self, role: str, user: str) -> socket.socket:
        end = self.hub.open_channel(role, user)  # type: ignore[arg-type]
        end.sock.settimeout(3)
        return end.sock


FAST = HubSettings(frame_interval=0.01, roster_interval=0.02)


@contextlib.asynccontextmanager
async def open_class(settings: HubSettings = FAST) -> AsyncIterator[Class]:
    hub = ClassHub(settings)
    await hub.start()
    room = Class(hub)
    try:
        yield room
    finally:
        for link in room.links:
            link.close()
        await hub.close()


@pytest.fixture
async def klass() -> AsyncIterator[Class]:
    async with open_class() as room:
        yield room


def send(sock: socket.socket, data: bytes) -> None:
    """Send as a hostile app would; the hub may close the channel midway."""
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(data)


def read_lines(sock: socket.socket) -> list[dict[str, object]]:
    """Everything the hub sent until it closed the channel."""
    data = b""
    with contextlib.suppress(ConnectionResetError):  # closed with our flood unread
        while chunk := sock.recv(65536):
            data += chunk
    return [json.loads(line) for line in data.splitlines()]


def read_states_until(sock: socket.socket, epoch: int) -> list[int]:
    """The epochs of the class states the hub sent, read until ``epoch`` shows up."""
    buffer, epochs = b"", []
    while epoch not in epochs:
        chunk = sock.recv(65536)
        assert chunk, f"closed before epoch {epoch} arrived"
        *lines, buffer = (buffer + chunk).split(b"\n")
        for line in lines:
            message = json.loads(line)
            if message["t"] == "class" and message["state"] is not None:
                epochs.append(message["state"]["epoch"])
    return epochs


async def read_until_closed(sock: socket.socket) -> list[dict[str, object]]:
    return await asyncio.to_thread(read_lines, sock)


async def test_a_student_state_beyond_the_served_epoch_limit_cuts_it_off() -> None:
    """Every follower would replay a spotlighted student's run: it must stay in bounds."""
    async with open_class(replace(FAST, max_student_epoch=1000)) as klass:
        teacher = await klass.join("teacher", "teacher")
        bob = klass.raw("student", "bob")
        teacher.spotlight("bob")
        await until(lambda: klass.hub.snapshot().spotlight == "bob")
        far = LessonState(timeline=((0, CONFIG), (10**9, CONFIG)), epoch=3)
        await asyncio.to_thread(send, bob, encode_client(PublishState(far)))
        await read_until_closed(bob)
        assert "beyond epoch 1000" in klass.hub.cut_off[0][1]
        assert klass.hub.snapshot().state is None and klass.hub.snapshot().spotlight is None


async def test_a_teacher_and_three_students_follow_and_the_roster_puts_trouble_on_top(
    klass: Class,
) -> None:
    teacher = await klass.join("teacher", "teacher")
    students = [await klass.join("student", name) for name in ("carol", "alice", "bob")]
    assert teacher.role == "teacher" and [s.role for s in students] == ["student"] * 3
    teacher.publish_state(state(3, micro=5))
    for student in students:
        await until(lambda s=student: s.latest() == state(3, micro=5))  # type: ignore[misc]
        assert student.snapshot().source == "teacher"  # type: ignore[union-attr]
    students[0].publish_status(status(10, "running"))
    students[1].publish_status(status(20, "converged"))
    students[2].publish_status(status(30, "diverged", "exploring"))
    expected = [
        ("bob", "diverged", "exploring"),
        ("alice", "converged", "following"),
        ("carol", "running", "following"),
    ]
    # Each student's link is its own connection: the three statuses arrive in any order.
    shown = lambda: [(e.name, e.state, e.mode) for e in teacher.roster()]  # noqa: E731
    await until(lambda: shown() == expected)
    assert shown() == expected
    assert teacher.take_news().roster_changed


async def test_students_with_one_name_are_told_apart_and_names_are_cleaned(
    klass: Class,
) -> None:
    first = await klass.join("student", "alice")
    second = await klass.join("student", "alice")
    await klass.join("student", "alice")
    assert (first.name, second.name) == ("alice", "alice#2")
    second.close()
    await until(lambda: "alice#2" not in klass.hub.names)
    again = await klass.join("student", "alice")
    assert again.name == "alice#2"
    evil = await klass.join("student", "\x1b[2J ev il\n\t")
    assert evil.name == "[2Jevil"
    impostor = await klass.join("student", "teacher")
    assert impostor.name == "teacher#2" and impostor.role == "student"


async def test_a_late_joiner_lands_on_the_current_state_at_once(klass: Class) -> None:
    teacher = await klass.join("teacher", "teacher")
    early = await klass.join("student", "early")
    for epoch in range(1, 51):
        teacher.publish_state(state(epoch))
    await until(lambda: early.latest() == state(50))
    started = time.monotonic()
    late = await klass.join("student", "late")  # waits for its first snapshot
    assert late.latest() == state(50)
    assert time.monotonic() - started < 0.5


async def test_a_slow_student_skips_to_the_latest_state_and_the_hub_holds_little_for_it(
    klass: Class,
) -> None:
    """A fast teacher (300 states of ~32 KB, as fast as the hub takes them) and a
    student that reads nothing meanwhile: the hub keeps no queue for it."""
    teacher = klass.raw("teacher", "teacher")
    slow = klass.raw("student", "slow")
    fast = await klass.join("student", "fast")
    big = [encode_client(PublishState(state(epoch, timeline=100, pad=280))) for epoch in range(300)]
    assert len(big[0]) > 30_000
    most_held = 0
    for line in big:
        await asyncio.to_thread(teacher.sendall, line)
        most_held = max(most_held, klass.hub.backlog("slow"))
        await asyncio.sleep(0)
    await until(lambda: fast.latest() == state(299, timeline=100, pad=280))
    await until(lambda: klass.hub.snapshot().state == state(299, timeline=100, pad=280))
    # The kernel's socket buffer plus one message at most: no growing queue.
    assert most_held < 2 * len(big[0]) + 65536
    got = await asyncio.to_thread(read_states_until, slow, 299)
    assert len(got) < 60, f"{len(got)} of 300 states reached the slow student"
    teacher.close()


GARBAGE = {
    "not json": b"hello\n",
    "not an object": b"[1, 2]\n",
    "unknown type": b'{"t": "\\u001b[2Jrm"}\n',
    "extra key": b'{"t": "status", "status": {}, "x": 1}\n',
    "bool as epoch": encode_client(PublishStatus(status(1))).replace(b'"epoch":1', b'"epoch":true'),
    "NaN loss": encode_client(PublishStatus(status(1))).replace(b'"loss":0.5', b'"loss":NaN'),
    "control chars": encode_client(PublishStatus(status(1))).replace(b"wx=", b"\\u001b]0;x\\u0007"),
    "deep nesting": b"[" * 60_000 + b"\n",
    "oversize line": b"x" * 100_000 + b"\n",
    "not utf-8": b'{"t": "\xff"}\n',
    "a teacher's action": b'{"t": "push"}\n',
}


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
async def test_garbage_cuts_off_only_that_student(
    klass: Class, garbage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    teacher = await klass.join("teacher", "teacher")
    good = await klass.join("student", "good")
    bad = klass.raw("student", "bad\x1b[31m")
    caplog.set_level(logging.INFO, "rnn_tui.serve.class")
    await asyncio.to_thread(send, bad, garbage)
    lines = await read_until_closed(bad)
    assert lines[-1]["t"] == "bye" and str(lines[-1]["reason"]).startswith("cut off")
    assert [name for name, _ in klass.hub.cut_off] == ["bad[31m"]
    assert "\x1b" not in caplog.text and "\x07" not in caplog.text
    teacher.publish_state(state(4))
    await until(lambda: good.latest() == state(4))
    good.publish_status(status(4))
    await until(lambda: [e.name for e in teacher.roster()] == ["good"])
    assert not good.closed and not teacher.closed


async def test_a_flooding_student_is_cut_off_and_the_class_goes_on(klass: Class) -> None:
    teacher = await klass.join("teacher", "teacher")
    good = await klass.join("student", "good")
    flood = klass.raw("student", "flood")
    line = encode_client(PublishStatus(status(1)))
    await asyncio.to_thread(send, flood, line * 5000)
    await read_until_closed(flood)
    assert list(klass.hub.cut_off) == [("flood", "more than 200 messages a second")]
    teacher.publish_state(state(2))
    await until(lambda: good.latest() == state(2))


async def test_an_app_that_quits_with_messages_unread_just_leaves(klass: Class) -> None:
    """Closing with unread data makes the hub's read fail with ECONNRESET: not an error."""
    errors: list[dict[str, object]] = []
    asyncio.get_running_loop().set_exception_handler(lambda _, context: errors.append(context))
    teacher = await klass.join("teacher", "teacher")
    quitter = klass.raw("student", "quitter")
    for epoch in range(5):
        teacher.publish_state(state(epoch))
        await asyncio.sleep(0.02)
    await until(lambda: klass.hub.backlog("quitter") == 0)  # all of it in quitter's socket
    quitter.close()
    await until(lambda: "quitter" not in klass.hub.names)
    gc.collect()  # an unretrieved task exception is reported when the task is collected
    assert errors == [] and not klass.hub.cut_off


async def test_a_student_link_cannot_act_as_teacher(klass: Class) -> None:
    student = await klass.join("student", "mallory")
    with pytest.raises(ClassRoleError):
        student.push()
    with pytest.raises(ClassRoleError):
        student.spotlight("mallory")
    student.publish_state(state(666))  # not spotlighted: dropped, not shown
    await asyncio.sleep(0.05)
    assert klass.hub.snapshot().state is None and not student.closed


async def test_the_teacher_leaves_students_keep_the_state_and_a_returning_teacher_leads(
    klass: Class,
) -> None:
    teacher = await klass.join("teacher", "teacher")
    student = await klass.join("student", "alice")
    teacher.publish_state(state(7))
    teacher.pause_class(True)
    await until(lambda: student.snapshot().paused)  # type: ignore[union-attr]
    teacher.close()
    await until(lambda: not student.snapshot().teacher)  # type: ignore[union-attr]
    assert student.snapshot().paused is False  # type: ignore[union-attr]
    assert student.latest() == state(7) and not student.closed
    back = await klass.join("teacher", "teacher")
    assert back.latest() == state(7) and back.snapshot().source == "teacher"  # type: ignore[union-attr]
    back.publish_state(state(8))
    await until(lambda: student.latest() == state(8))
    assert student.snapshot().teacher  # type: ignore[union-attr]


async def test_a_newer_teacher_session_takes_over(klass: Class) -> None:
    old = await klass.join("teacher", "teacher")
    new = await klass.join("teacher", "teacher")
    await until(lambda: old.closed)
    assert old.goodbye == "another teacher session took over"
    student = await klass.join("student", "alice")
    new.publish_state(state(1))
    await until(lambda: student.latest() == state(1))


async def test_of_two_teacher_sessions_opened_at_once_the_newer_leads(klass: Class) -> None:
    older = klass.raw("teacher", "teacher")
    newer = klass.hub.open_channel("teacher", "teacher")  # before the older one started
    lines = await read_until_closed(older)
    assert lines[-1] == {"t": "bye", "reason": "another teacher session took over"}
    link = ClassLink(newer.sock)
    klass.links.append(link)
    link.publish_state(state(3))
    await until(lambda: klass.hub.snapshot().state == state(3))
    assert klass.hub.snapshot().teacher


async def test_spotlight_shows_a_students_run_until_the_teacher_takes_it_back(
    klass: Class,
) -> None:
    teacher = await klass.join("teacher", "teacher")
    bob = await klass.join("student", "bob")
    carol = await klass.join("student", "carol")
    teacher.publish_state(state(1))
    await until(lambda: carol.latest() == state(1))
    teacher.spotlight("bob")
    await until(lambda: bob.spotlighted)
    assert not carol.spotlighted
    bob.publish_state(state(42, micro=3))
    await until(lambda: carol.latest() == state(42, micro=3))
    assert carol.snapshot().source == "bob"  # type: ignore[union-attr]
    teacher.publish_state(state(2))  # the teacher keeps working; the class watches bob
    carol.publish_state(state(99))  # not in the spotlight: dropped
    await asyncio.sleep(0.05)
    assert carol.latest() == state(42, micro=3)
    teacher.spotlight(None)
    await until(lambda: carol.latest() == state(2))
    teacher.spotlight("bob")
    await until(lambda: carol.snapshot().spotlight == "bob")  # type: ignore[union-attr]
    bob.close()  # the spotlighted student leaves: back to the teacher
    await until(lambda: carol.snapshot().spotlight is None)  # type: ignore[union-attr]
    assert carol.latest() == state(2)


async def test_a_push_brings_explorers_back(klass: Class) -> None:
    teacher = await klass.join("teacher", "teacher")
    student = await klass.join("student", "alice")
    teacher.publish_state(state(5))
    await until(lambda: student.latest() == state(5))
    student.take_news()
    student.publish_status(status(77, mode="exploring"))
    await until(lambda: teacher.roster() and teacher.roster()[0].mode == "exploring")
    teacher.push()
    await until(lambda: student.snapshot().pushes == 1)  # type: ignore[union-attr]
    news = student.take_news()
    assert news.pushed and news.class_changed and not news.state_changed
    assert student.latest() == state(5)
    assert not student.take_news().pushed  # told once


async def test_an_app_finds_its_channel_in_an_inherited_descriptor(klass: Class) -> None:
    teacher = await klass.join("teacher", "teacher")
    teacher.publish_state(state(12))
    await until(lambda: klass.hub.snapshot().state == state(12))
    end = klass.hub.open_channel("student", "alice")
    script = (
        "import time\n"
        "from rnn_tui.classroom.client import ClassLink\n"
        "from rnn_tui.classroom.protocol import StudentStatus\n"
        "link = ClassLink.from_env()\n"
        "link.wait_ready(5)\n"
        "while link.latest() is None: time.sleep(0.01)\n"
        "link.publish_status(StudentStatus('wx=1', link.latest().epoch, 0.25, 'running',"
        " 'following'))\n"
        "print(link.role, link.name, link.latest().epoch, flush=True)\n"
        "input()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        pass_fds=[end.fd],
        env={"RNN_TUI_CLASS_FD": str(end.fd), "PATH": "/usr/bin:/bin"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    end.close()  # the server's copy: the child holds its own
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(child.stdout.readline), 10)
        assert line.split() == ["student", "alice", "12"]
        await until(lambda: [e.epoch for e in teacher.roster()] == [12])
    finally:
        child.communicate("\n", timeout=10)
    await until(lambda: "alice" not in klass.hub.names)


async def test_a_full_hub_refuses_another_student_but_never_the_teacher() -> None:
    async with open_class(replace(FAST, max_students=1)) as klass:
        klass.hub.open_channel("student", "a").close()
        with pytest.raises(ClassFull, match="holds 1 students"):
            klass.hub.open_channel("student", "b")
        teacher = await klass.join("teacher", "teacher")
        assert teacher.role == "teacher"
