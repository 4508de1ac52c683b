"""The SSH server of the capacity benchmarks, in a process and session of its own.

``serve_capacity.py`` and ``class_capacity.py`` play K SSH clients; with the server in
the same process, its relay waited behind the clients' own decryption and parsing
(the teacher's frame reached the benchmark 0.2 s after the server had read it, at
K = 30). Here the benchmark starts this file as a child (:meth:`Server.start`), which
serves on a free port of 127.0.0.1, prints it, and ends when its stdin closes. Its own
session gives it its own scheduler group (Linux autogroup), as a real server has.

Also here: what both benchmarks read of a process in /proc (CPU, memory).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
STUDENT_PASSWORD = "bench"
TEACHER_PASSWORD = "teach"


@dataclass
class Server:
    """The server in a child process; the apps are its children."""

    process: asyncio.subprocess.Process
    port: int

    @classmethod
    async def start(cls, seats: int, fps: int, nice: int) -> Server:
        process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--seats", str(seats), "--fps", str(fps),
            "--nice", str(nice), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        assert process.stdout is not None
        port = int((await process.stdout.readline()).split()[1])
        return cls(process, port)

    @property
    def children(self) -> list[int]:
        """The app processes now running, oldest first."""
        pid = self.process.pid
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        started = {child: started_at(child) for child in map(int, text.split())}
        return sorted((p for p, at in started.items() if at is not None), key=started.__getitem__)

    async def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        await self.process.wait()


def started_at(pid: int) -> int | None:
    """When ``pid`` started (clock ticks after boot), None if it has just ended."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except OSError:  # FileNotFoundError, or ProcessLookupError while reading
        return None


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB; PSS splits shared pages fairly, so it is the real cost."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name == "Rss":
            rss = int(value.split()[0])
        elif name == "Pss":
            pss = int(value.split()[0])
    return rss / 1024, pss / 1024


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank ``p`` quantile (0.95 for p95) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


async def serve(seats: int, fps: int, nice: int) -> None:
    """The server alone: its port on stdout; it ends when stdin closes."""
    import asyncssh

    from rnn_tui.serve.auth import AuthPolicy
    from rnn_tui.serve.limits import ChildLimits
    from rnn_tui.serve.ssh_server import ClassroomServer, ServeSettings

    server = ClassroomServer(
        ServeSettings(
            host_key=asyncssh.generate_private_key("ssh-ed25519"),
            auth=AuthPolicy(password=STUDENT_PASSWORD),
            teacher=AuthPolicy(password=TEACHER_PASSWORD),
            port=0,
            max_sessions=seats,
            connections_per_address=seats + 1,  # everyone is on 127.0.0.1
            fps=fps,
            limits=ChildLimits(nice=nice),
        )
    )
    await server.start()
    print(f"port {server.port}", flush=True)
    try:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        await server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seats", type=int, required=True)
    parser.add_argument("--fps", type=int, required=True)
    parser.add_argument("--nice", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.seats, args.fps, args.nice))


if __name__ == "__main__":
    main()
