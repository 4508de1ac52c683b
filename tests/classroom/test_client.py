"""The app's class link against a scripted hub on the other end of a socketpair."""

from __future__ import annotations

import contextlib
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rnn_tui.classroom.client import (
    COMMANDS_PER_BATCH,
    MAX_COMMANDS,
    ClassLink,
    ClassRoleError,
)
from rnn_tui.classroom.protocol import (
    MAX_HUB_LINE,
    ClassSnapshot,
    ClientMessage,
    ExactPoint,
    LessonState,
    PublishState,
    PublishStatus,
    Push,
    StudentStatus,
    Welcome,
    decode_client,
    encode_hub,
)


def wait_for(check: Callable[[], object], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


def snapshot(epoch: int, pushes: int = 0) -> ClassSnapshot:
    state = LessonState(((0, "wx=1"),), epoch)
    return ClassSnapshot(epoch + pushes + 1, True, False, pushes, None, "teacher", epoch + 1, state)


Pair = tuple[socket.socket, socket.socket]  # (the hub's end, the app's end)


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    hub, app = socket.socketpair()
    hub.settimeout(3)
    yield hub, app
    hub.close()


def linked(app: socket.socket, hub: socket.socket, role: str = "teacher") -> ClassLink:
    link = ClassLink(app, send_interval=0.02)
    hub.sendall(encode_hub(Welcome(role, role)))  # type: ignore[arg-type]
    assert link.wait_ready(3)
    return link


def received(
    hub: socket.socket, until: Callable[[list[ClientMessage]], bool]
) -> list[ClientMessage]:
    buffer, messages = b"", list[ClientMessage]()
    while not until(messages):
        *lines, buffer = (buffer + hub.recv(65536)).split(b"\n")
        messages += [decode_client(line + b"\n") for line in lines]
    return messages


def test_the_link_keeps_only_the_newest_snapshot_and_reports_news_once(pair: Pair) -> None:
    hub, app = pair
    calls = threading.Semaphore(0)
    link = ClassLink(app, on_news=calls.release)
    hub.sendall(encode_hub(Welcome("student", "alice")))
    hub.sendall(b"".join(encode_hub(snapshot(epoch)) for epoch in range(5000)))
    wait_for(lambda: link.latest() == LessonState(((0, "wx=1"),), 4999))
    assert (link.role, link.name) == ("student", "alice")
    assert calls.acquire(timeout=1)
    news = link.take_news()
    assert news.class_changed and news.state_changed and not news.pushed
    assert not link.take_news()
    hub.sendall(encode_hub(snapshot(4999, pushes=1)))
    wait_for(lambda: link.snapshot().pushes == 1)  # type: ignore[union-attr]
    assert link.take_news().pushed
    link.close()


def test_a_failing_news_callback_does_not_end_the_link(pair: Pair) -> None:
    hub, app = pair

    def broken() -> None:
        raise RuntimeError("the app's bug")

    link = ClassLink(app, on_news=broken)
    hub.sendall(encode_hub(Welcome("student", "alice")) + encode_hub(snapshot(1)))
    hub.sendall(encode_hub(snapshot(2)))
    wait_for(lambda: link.latest() == LessonState(((0, "wx=1"),), 2))
    assert not link.closed
    link.close()


def test_publishing_every_frame_sends_only_the_latest_state(pair: Pair) -> None:
    hub, app = pair
    link = linked(app, hub)
    last = LessonState(((0, "wx=1"),), 999)
    for epoch in range(1000):
        link.publish_state(LessonState(((0, "wx=1"),), epoch))
    messages = received(hub, lambda got: PublishState(last) in got)
    assert len(messages) < 50
    link.close()


def test_a_message_that_cannot_be_encoded_is_dropped_and_the_link_goes_on(pair: Pair) -> None:
    """An encoding error ended the writer thread: the teacher went on teaching to a class
    that no longer received anything, with no word of it."""
    hub, app = pair
    link = linked(app, hub)
    link.publish_state(LessonState(((0, "wx=1"),), 1, exact=ExactPoint((math.inf, 1.0), None, ())))
    time.sleep(0.1)
    good = LessonState(((0, "wx=1"),), 2)
    link.publish_state(good)
    assert PublishState(good) in received(hub, lambda got: PublishState(good) in got)
    assert not link.closed
    link.close()


def test_a_status_published_every_frame_goes_out_a_few_times_a_second(pair: Pair) -> None:
    hub, app = pair
    link = ClassLink(app, send_interval=0.01, status_interval=0.2)
    hub.sendall(encode_hub(Welcome("student", "alice")))
    started = time.monotonic()
    for epoch in range(50):
        link.publish_status(StudentStatus("wx=1", epoch, 0.5, "running", "following"))
        time.sleep(0.01)
    last = PublishStatus(StudentStatus("wx=1", 49, 0.5, "running", "following"))
    messages = received(hub, lambda got: last in got)
    seconds = time.monotonic() - started
    assert len(messages) <= seconds / 0.2 + 1, f"{len(messages)} in {seconds:.2f} s"
    link.close()


def test_teacher_actions_queue_boundedly_and_students_have_none(pair: Pair) -> None:
    hub, app = pair
    link = ClassLink(app, send_interval=0.02)
    with pytest.raises(ClassRoleError):
        link.push()  # no welcome yet: no role, no teacher actions
    hub.sendall(encode_hub(Welcome("teacher", "teacher")))
    assert link.wait_ready(3)
    for _ in range(100):
        link.push()
    time.sleep(0.4)  # time for every queued push to go out
    link.close()
    data = b""
    while chunk := hub.recv(65536):
        data += chunk
    pushes = [decode_client(line + b"\n") for line in data.splitlines()]
    assert set(pushes) == {Push()}
    assert MAX_COMMANDS <= len(pushes) <= MAX_COMMANDS + COMMANDS_PER_BATCH


@pytest.mark.parametrize(
    "sent",
    [b"garbage\n", b'{"t": "class"}\n', b"x" * (MAX_HUB_LINE + 70_000)],
    ids=["garbage", "off schema", "endless line"],
)
def test_a_hub_that_misbehaves_ends_the_link_not_the_app(pair: Pair, sent: bytes) -> None:
    hub, app = pair
    link = linked(app, hub)
    threading.Thread(target=lambda: _send_quietly(hub, sent), daemon=True).start()
    wait_for(lambda: link.closed)
    assert link.take_news().closed and not link.take_news().closed
    link.publish_status(StudentStatus("", 0, None, "running", "following"))  # ignored, no error
    link.close()


def _send_quietly(sock: socket.socket, data: bytes) -> None:
    with contextlib.suppress(OSError):
        sock.sendall(data)


def test_from_env_outside_class_mode_or_with_a_bad_descriptor_is_none(tmp_path: Path) -> None:
    assert ClassLink.from_env({}) is None
    assert ClassLink.from_env({"RNN_TUI_CLASS_FD": "three"}) is None
    with (tmp_path / "f").open("w") as file:  # a descriptor, but not a socket
        assert ClassLink.from_env({"RNN_TUI_CLASS_FD": str(file.fileno())}) is None
        os.fstat(file.fileno())  # still open: from_env took nothing it could not use


def test_from_env_takes_the_descriptor_and_keeps_it_from_grandchildren(pair: Pair) -> None:
    hub, app = pair
    fd = app.detach()
    os.set_inheritable(fd, True)
    link = ClassLink.from_env({"RNN_TUI_CLASS_FD": str(fd)})
    assert link is not None and not os.get_inheritable(fd)
    hub.sendall(encode_hub(Welcome("student", "bob")))
    assert link.wait_ready(3) and link.name == "bob"
    link.close()
