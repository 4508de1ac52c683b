"""How many students can one machine serve? Open K SSH sessions of the real app at once.

For each K: start K sessions (a few at a time, as a class trickles in), let them sit
idle to measure CPU at rest, then have every student press space repeatedly and
measure key-to-frame latency (key sent -> header shows the next epoch). Memory is
each app's RSS and PSS (PSS splits shared pages fairly, so it is the real cost), its
peak RSS and peak address space, next to the bound the server enforces on each app
(RLIMIT_AS, `--max-memory`), read back from /proc/PID/limits.

    .venv/bin/python benchmarks/serve_capacity.py            # K = 10, 30, 50
    .venv/bin/python benchmarks/serve_capacity.py --sizes 5  # a quick look

Everything runs on 127.0.0.1. The server runs in a process and session of its own
(``served.py``), the apps are its children; this process only plays the K SSH clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
from served import STUDENT_PASSWORD, Server, cpu_seconds, load_average, memory_mb, percentile

from rnn_tui.serve import defaults

ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]")


@dataclass
class Student:
    process: asyncssh.SSHClientProcess[bytes]
    seen: bytes = b""
    latencies: list[float] = field(default_factory=list)

    async def until_epoch(self, epoch: int, timeout: float = 60.0) -> None:
        pattern = re.compile(rb"epoch\W{0,3}%d\b" % epoch, re.IGNORECASE)
        self.seen = b""
        async with asyncio.timeout(timeout):
            while not pattern.search(ANSI.sub(b"", self.seen)):
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise RuntimeError("session ended")
                self.seen = self.seen[-4096:] + chunk


def peaks_mb(pid: int) -> tuple[float, float]:
    """(peak RSS, peak address space) of a process so far."""
    status = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(status["VmHWM"].split()[0]) / 1024, int(status["VmPeak"].split()[0]) / 1024


def address_space_bound_mb(pid: int) -> float:
    """The RLIMIT_AS the app runs under (soft), or inf."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            soft = line.split()[3]
            return float("inf") if soft == "unlimited" else int(soft) / 2**20
    return float("inf")


def cpu_of(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


async def join(conn: asyncssh.SSHClientConnection) -> Student:
    process = await conn.create_process(
        term_type="xterm-256color", term_size=(100, 30), encoding=None
    )
    student = Student(process)
    await student.until_epoch(0, timeout=180)
    return student


async def measure(server: Server, k: int, rounds: int, idle: float) -> dict[str, float]:
    options = dict(username="class", password=STUDENT_PASSWORD, known_hosts=None,
                   client_keys=None, agent_path=None, config=[])  # fmt: skip
    conns = []
    try:
        started = time.monotonic()
        students: list[Student] = []
        for batch in range(0, k, 5):  # a class arrives a few at a time
            new = [
                await asyncssh.connect("127.0.0.1", server.port, **options)
                for _ in range(min(5, k - batch))
            ]
            conns += new
            students += await asyncio.gather(*(join(conn) for conn in new))
        start_time = time.monotonic() - started
        pids = list(server.children)
        await asyncio.sleep(2)  # let the last first frames settle

        before = cpu_of(pids)
        own_before = cpu_seconds(server.process.pid)
        await asyncio.sleep(idle)
        idle_cpu = (cpu_of(pids) - before) / idle
        idle_server = (cpu_seconds(server.process.pid) - own_before) / idle

        memory = [memory_mb(pid) for pid in pids]

        async def step(student: Student, offset: float) -> None:
            await asyncio.sleep(offset)
            for epoch in range(1, rounds + 1):
                sent = time.perf_counter()
                student.process.stdin.write(b" ")
                await student.until_epoch(epoch)
                student.latencies.append(time.perf_counter() - sent)
                await asyncio.sleep(0.5)  # a student's pace: two presses a second

        before = cpu_of(pids)
        own_before = cpu_seconds(server.process.pid)
        t0 = time.monotonic()
        await asyncio.gather(*(step(s, i * 0.5 / k) for i, s in enumerate(students)))
        busy_cpu = (cpu_of(pids) - before) / (time.monotonic() - t0)
        busy_server = (cpu_seconds(server.process.pid) - own_before) / (time.monotonic() - t0)
        latencies = sorted(x for s in students for x in s.latencies)
        peaks = [peaks_mb(pid) for pid in pids]
        return {
            "sessions": k,
            "start_s": start_time,
            "rss_mb": statistics.median(m[0] for m in memory),
            "pss_mb": statistics.median(m[1] for m in memory),
            "peak_rss_mb": max(p[0] for p in peaks),
            "peak_vm_mb": max(p[1] for p in peaks),
            "bound_mb": min(address_space_bound_mb(pid) for pid in pids),
            "idle_cpu_pct_total": 100 * idle_cpu,
            "idle_cpu_pct_session": 100 * idle_cpu / k,
            "busy_cpu_pct_total": 100 * busy_cpu,
            "idle_server_pct": 100 * idle_server,
            "busy_server_pct": 100 * busy_server,
            "latency_median_ms": 1000 * statistics.median(latencies),
            "latency_p95_ms": 1000 * percentile(latencies, 0.95),
        }
    finally:
        for conn in conns:
            conn.close()
        deadline = time.monotonic() + 30
        while server.children and time.monotonic() < deadline:
            await asyncio.sleep(0.1)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 50])
    parser.add_argument("--rounds", type=int, default=10, help="key presses per student")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle measurement")
    parser.add_argument("--fps", type=int, default=defaults.FPS)
    parser.add_argument("--nice", type=int, default=defaults.NICE, help="students' niceness")
    args = parser.parse_args()
    server = await Server.start(max(args.sizes), args.fps, args.nice)
    print(f"{os.cpu_count()} cores; fps cap {args.fps}; students at nice {args.nice}; "
          f"{args.rounds} key presses per student")  # fmt: skip
    columns = ("K", "start s", "RSS MB", "PSS MB", "idle CPU %", "/session", "busy CPU %")
    print(" ".join(f"{c:>9}" for c in columns), f"{'key->frame ms':>14} {'p95 ms':>7}", end="")
    print(f" {'peak RSS':>9} {'peak VM':>8} {'bound MB':>9} {'server %':>15}  load before -> after")
    try:
        for k in args.sizes:
            load_before = load_average()
            r = await measure(server, k, args.rounds, args.idle)
            print(
                f"{k:>9} {r['start_s']:>9.1f} {r['rss_mb']:>9.1f} {r['pss_mb']:>9.1f} "
                f"{r['idle_cpu_pct_total']:>9.1f} {r['idle_cpu_pct_session']:>9.2f} "
                f"{r['busy_cpu_pct_total']:>9.1f} {r['latency_median_ms']:>14.0f} "
                f"{r['latency_p95_ms']:>7.0f} {r['peak_rss_mb']:>9.0f} {r['peak_vm_mb']:>8.0f} "
                f"{r['bound_mb']:>9.0f} {r['idle_server_pct']:>6.1f} / {r['busy_server_pct']:>6.1f}"
                f"  {load_before} -> {load_average()}",
                flush=True,
            )
    finally:
        await server.close()
    print("CPU % is of one core (200 % = both cores of this machine), the apps' together;")
    print("server %: the SSH server process, idle / busy; RSS/PSS are medians;")
    print("peak RSS / peak VM are the largest app's; bound = each app's RLIMIT_AS (--max-memory).")
    print("load: 1, 5 and 15 minute load averages before and after each K.")


if __name__ == "__main__":
    asyncio.run(main())
