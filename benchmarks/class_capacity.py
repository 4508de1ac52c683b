"""How large a class does one machine hold? A teacher and K followers, real apps over SSH.

For each K: the teacher signs in, then K students (a few at a time); every app is
the real one, each in its own process behind the real server, with the class hub.
Then the teacher steps (space, ``--pace`` seconds apart) and every screen is read
all the time:

- the teacher's key->frame: key sent -> the teacher's status line shows the epoch;
- follower lag: the teacher's frame showing epoch N -> a follower's frame showing N;
- CPU (of one core) and memory (RSS, PSS) per student, idle (following, nothing
  happening) and while the teacher steps.

    .venv/bin/python benchmarks/class_capacity.py              # K = 10, 30, 50
    .venv/bin/python benchmarks/class_capacity.py --sizes 10   # a quick look
    .venv/bin/python benchmarks/class_capacity.py --late-join 100000 1000000

``--late-join E ...``: the teacher goes to epoch E (``:`` E enter), then one student
signs in; measured: sign-in -> the student's screen shows epoch E, and -> its
charts show the whole history (a late joiner resumes from the teacher's exact point
and computes the history behind it afterwards). Run it with ``PYTHONPATH`` set to an
older checkout to measure the apps of that version.

Everything runs on 127.0.0.1. The server runs in a process and session of its own
(``served.py``), the apps are its children; this process only plays the K+1 SSH clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
from dataclasses import dataclass, field

import asyncssh
from served import (
    STUDENT_PASSWORD,
    TEACHER_PASSWORD,
    Server,
    cpu_seconds,
    memory_mb,
    percentile,
)

from rnn_tui.serve import defaults

ANSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
# The status line writes thousands with a space: "epoch 7 500 / 50 000".
EPOCH = re.compile(rb"epoch\W{0,3}(\d{1,3}(?: \d{3})*)(?!\d)", re.IGNORECASE)
TEXT_KEPT = 65536
OPTIONS = dict(known_hosts=None, client_keys=None, agent_path=None, config=[])


@dataclass
class Screen:
    """One app's output, read as it comes; when each epoch number first showed."""

    process: asyncssh.SSHClientProcess[bytes]
    seen: dict[int, float] = field(default_factory=dict)
    text: bytes = b""

    async def read(self) -> None:
        tail = b""
        while chunk := await self.process.stdout.read(65536):
            now = time.perf_counter()
            plain = tail + ANSI.sub(b"", chunk)
            for found in EPOCH.finditer(plain):
                self.seen.setdefault(int(found[1].replace(b" ", b"")), now)
            # A 160x40 frame is about 9 KB of text: keep several, or a word written
            # early in one frame ("Paused." on the notice row) is gone before it is read.
            self.text = (self.text + plain)[-TEXT_KEPT:]
            tail = plain[-64:]

    async def until(self, pattern: bytes, timeout: float = 240.0) -> None:
        async with asyncio.timeout(timeout):
            while pattern not in self.text:
                await asyncio.sleep(0.05)

    async def until_any(self, *patterns: bytes, timeout: float = 240.0) -> None:
        async with asyncio.timeout(timeout):
            while not any(pattern in self.text for pattern in patterns):
                await asyncio.sleep(0.05)

    async def until_epoch(self, epoch: int, timeout: float = 60.0) -> float:
        async with asyncio.timeout(timeout):
            while epoch not in self.seen:
                await asyncio.sleep(0.002)
        return self.seen[epoch]


async def sit(
    server: Server, user: str, password: str, command: str | None = None
) -> tuple[object, Screen]:
    conn = await asyncssh.connect(
        "127.0.0.1", server.port, username=user, password=password, **OPTIONS
    )
    process = await conn.create_process(
        command, term_type="xterm-256color", term_size=(100, 30), encoding=None
    )
    screen = Screen(process)
    asyncio.create_task(screen.read())  # noqa: RUF006 (ends with the connection)
    return conn, screen


async def measure(
    server: Server, k: int, rounds: int, pace: float, run_seconds: float
) -> dict[str, float]:
    conns: list[object] = []
    try:
        conn, teacher = await sit(server, "teacher", TEACHER_PASSWORD)
        conns.append(conn)
        await teacher.until(b"0 students")
        teacher_pid = server.children[-1]
        followers: list[Screen] = []
        started = time.monotonic()
        for batch in range(0, k, 5):  # a class arrives a few at a time
            seated = await asyncio.gather(
                *(sit(server, f"s{i}", STUDENT_PASSWORD) for i in range(batch, min(batch + 5, k)))
            )
            conns += [c for c, _ in seated]
            followers += [s for _, s in seated]
            await asyncio.gather(*(s.until(b"following teacher") for _, s in seated))
        start_s = time.monotonic() - started
        # The class counts as the teacher's 100 columns write them (a shorter form
        # when the long one does not fit): "30 following / 0 exploring", "0/30 exploring".
        await teacher.until_any(
            f" {k} following / 0 exploring".encode(), f" 0/{k} exploring".encode()
        )
        pids = [pid for pid in server.children if pid != teacher_pid]
        await asyncio.sleep(2)

        idle = 5.0
        before = sum(cpu_seconds(p) for p in pids)
        await asyncio.sleep(idle)
        idle_cpu = (sum(cpu_seconds(p) for p in pids) - before) / idle / k
        memory = [memory_mb(p) for p in pids]

        key_frame: list[float] = []
        lags: list[float] = []
        before = sum(cpu_seconds(p) for p in pids)
        teacher_before = cpu_seconds(teacher_pid)
        own_before = cpu_seconds(server.process.pid)
        t0 = time.monotonic()
        first = max(teacher.seen, default=0) + 1
        for epoch in range(first, first + rounds):
            sent = time.perf_counter()
            teacher.process.stdin.write(b" ")
            shown = await teacher.until_epoch(epoch)
            key_frame.append(shown - sent)
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - sent)))
        last = first + rounds - 1
        await asyncio.gather(*(f.until_epoch(last) for f in followers))
        elapsed = time.monotonic() - t0
        busy_cpu = (sum(cpu_seconds(p) for p in pids) - before) / elapsed / k
        teacher_cpu = (cpu_seconds(teacher_pid) - teacher_before) / elapsed
        own_cpu = (cpu_seconds(server.process.pid) - own_before) / elapsed
        for epoch in range(first, last + 1):
            lags += [f.seen[epoch] - teacher.seen[epoch] for f in followers if epoch in f.seen]
        missed = sum(epoch not in f.seen for f in followers for epoch in range(first, last + 1))

        # The teacher runs (p) for a few seconds: followers coalesce, at a capped rate.
        before = sum(cpu_seconds(p) for p in pids)
        t0 = time.monotonic()
        teacher.process.stdin.write(b"p")
        await asyncio.sleep(run_seconds)
        teacher.process.stdin.write(b"p")
        run_cpu = (sum(cpu_seconds(p) for p in pids) - before) / (time.monotonic() - t0) / k
        teacher.text = b""
        await teacher.until(b"Paused.")  # the teacher's last frame of the run has come
        await asyncio.sleep(0.5)
        stopped = max(teacher.seen)
        caught_up = await asyncio.gather(*(f.until_epoch(stopped) for f in followers))
        catch_up = [shown - teacher.seen[stopped] for shown in caught_up]
        return {
            "k": k,
            "start_s": start_s,
            "key_p50": 1000 * statistics.median(key_frame),
            "key_p95": 1000 * percentile(key_frame, 0.95),
            "lag_p50": 1000 * statistics.median(lags),
            "lag_p95": 1000 * percentile(lags, 0.95),
            "lag_max": 1000 * max(lags),
            "skipped_pct": 100 * missed / (k * rounds),
            "rss_mb": statistics.median(m[0] for m in memory),
            "pss_mb": statistics.median(m[1] for m in memory),
            "idle_cpu_pct": 100 * idle_cpu,
            "busy_cpu_pct": 100 * busy_cpu,
            "teacher_cpu_pct": 100 * teacher_cpu,
            "run_cpu_pct": 100 * run_cpu,
            "run_epochs": stopped - last,
            "catch_up_p95": 1000 * percentile(catch_up, 0.95),
            "server_cpu_pct": 100 * own_cpu,
        }
    finally:
        await leave(server, conns)


async def leave(server: Server, conns: list[object]) -> None:
    """Everyone signs out; wait (up to a minute) for their apps to end."""
    for conn in conns:
        conn.close()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while server.children and time.monotonic() < deadline:
        await asyncio.sleep(0.1)


async def late_join(server: Server, epochs: int) -> dict[str, float]:
    """The teacher at ``epochs``; one student signs in: when it shows that epoch, and when
    its charts are whole (their title no longer says they are catching up)."""
    conns: list[object] = []
    try:
        command = f"--config epochs={epochs}"
        conn, teacher = await sit(server, "teacher", TEACHER_PASSWORD, command)
        conns.append(conn)
        await teacher.until(b"0 students")
        teacher.process.stdin.write(b":")
        await asyncio.sleep(0.5)
        teacher.process.stdin.write(str(epochs).encode() + b"\r")
        await teacher.until_epoch(epochs, timeout=300)
        await quiet(teacher)  # the teacher runs there: wait for the run's end
        await asyncio.sleep(1.0)  # the teacher's state reaches the hub
        t0 = time.perf_counter()
        conn, student = await sit(server, "late", STUDENT_PASSWORD)
        conns.append(conn)
        shown = await student.until_epoch(epochs, timeout=300) - t0
        whole = await charts_whole(student, t0 + shown) - t0
        return {"epochs": epochs, "shown_s": shown, "whole_s": whole}
    finally:
        await leave(server, conns)


async def quiet(screen: Screen, seconds: float = 2.0, timeout: float = 300.0) -> None:
    """Until ``screen`` has shown no new epoch number for ``seconds``."""
    async with asyncio.timeout(timeout):
        while time.perf_counter() - max(screen.seen.values(), default=0.0) < seconds:
            await asyncio.sleep(0.05)


async def charts_whole(screen: Screen, shown: float, timeout: float = 300.0) -> float:
    """When the charts drew the whole history: ``shown`` if they never said they were
    catching up (within 0.5 s), else when their title came back after saying so."""
    async with asyncio.timeout(timeout):
        while True:
            text = screen.text
            waiting = text.rfind(b"catching up")
            if waiting < 0 and time.perf_counter() > shown + 0.5:
                return shown
            if waiting >= 0 and text.find(b"Cost (mean squared error)", waiting) >= 0:
                return time.perf_counter()
            await asyncio.sleep(0.01)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 50])
    parser.add_argument("--rounds", type=int, default=20, help="teacher key presses")
    parser.add_argument("--pace", type=float, default=0.5, help="seconds between presses")
    parser.add_argument("--fps", type=int, default=20)
    parser.add_argument("--run", type=float, default=5.0, help="seconds the teacher runs (p)")
    parser.add_argument(
        "--nice", type=int, default=defaults.NICE, help="students' niceness (the teacher's is 0)"
    )
    parser.add_argument(
        "--late-join", type=int, nargs="+", metavar="EPOCHS", help="measure late joins instead"
    )
    args = parser.parse_args()
    server = await Server.start(max(args.sizes), args.fps, args.nice)
    if args.late_join:
        try:
            print(" epochs  student shows the epoch s  charts whole s")
            for epochs in args.late_join:
                r = await late_join(server, epochs)
                print(f"{epochs:>7} {r['shown_s']:>25.2f} {r['whole_s']:>15.2f}", flush=True)
        finally:
            await server.close()
        return
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load {load:.1f} at start; fps cap {args.fps}; "
          f"students at nice {args.nice}; "
          f"teacher steps {args.rounds} times, {args.pace:g} s apart")  # fmt: skip
    print("    K  start s  key p50  key p95  lag p50  lag p95  lag max  skipped  "
          "RSS MB  PSS MB  idle CPU%  busy CPU%  teacher CPU%  server CPU%  "
          "run CPU%  run epochs  caught up p95")  # fmt: skip
    try:
        for k in args.sizes:
            r = await measure(server, k, args.rounds, args.pace, args.run)
            print(
                f"{k:>5} {r['start_s']:>8.1f} {r['key_p50']:>8.0f} {r['key_p95']:>8.0f} "
                f"{r['lag_p50']:>8.0f} {r['lag_p95']:>8.0f} {r['lag_max']:>8.0f} "
                f"{r['skipped_pct']:>7.1f}% {r['rss_mb']:>7.1f} {r['pss_mb']:>7.1f} "
                f"{r['idle_cpu_pct']:>10.2f} {r['busy_cpu_pct']:>10.1f} "
                f"{r['teacher_cpu_pct']:>13.1f} {r['server_cpu_pct']:>12.1f} "
                f"{r['run_cpu_pct']:>9.1f} {r['run_epochs']:>11.0f} {r['catch_up_p95']:>14.0f}",
                flush=True,
            )
    finally:
        await server.close()
    print(f"load {os.getloadavg()[0]:.1f} at the end. Times in ms; CPU % of one core, per "
          "student (idle, busy) and the teacher's app; RSS/PSS medians per student.")  # fmt: skip
    print("skipped: epochs a follower never drew (it coalesced to a later one).")
    print("server CPU: the server process (SSH, hub, relay of every screen).")
    print("run: the teacher runs (p) for --run seconds; run CPU per student; caught up: the "
          "teacher's last frame -> each follower showing that epoch.")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
