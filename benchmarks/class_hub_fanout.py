"""The class hub alone: how late does each follower hear the teacher's state, and what does it cost?

A teacher process publishes a new state (epoch i, a 10-entry timeline) every 50 ms,
as a running app would; K follower processes each hold a class link and note when
each state arrives. Lag = arrival - publish (CLOCK_MONOTONIC is shared by processes).
The hub runs in this process; its CPU time and memory over the run are reported.
Apps are stand-ins (no Textual, no engine): this is the channel's share of the
issue's budget (follower lag p95 <= 500 ms), not the whole of it.

    .venv/bin/python benchmarks/class_hub_fanout.py            # K = 10, 30, 50
    .venv/bin/python benchmarks/class_hub_fanout.py --sizes 5 --seconds 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

from rnn_tui.classroom.client import ClassLink
from rnn_tui.classroom.protocol import LessonState
from rnn_tui.serve.class_hub import ChannelEnd, ClassHub

CONFIG = "wx=0.2,wrec=1.5,lr_wx=0.02,lr_wrec=0.0006,activation=sigmoid,epochs=5000"
TIMELINE = tuple((epoch * 100, CONFIG) for epoch in range(10))


def teacher(seconds: float, period: float) -> None:
    link = ClassLink.from_env()
    assert link is not None and link.wait_ready(10)
    sent = {}
    for epoch in range(1, int(seconds / period) + 1):
        sent[epoch] = time.monotonic()
        link.publish_state(LessonState(TIMELINE, epoch, running=True))
        time.sleep(period)
    time.sleep(1.0)  # the last state reaches everyone
    print(json.dumps(sent), flush=True)


def follower(last: int) -> None:
    arrived: dict[int, float] = {}
    done = threading.Event()
    links: list[ClassLink] = []

    def news() -> None:
        state = links[0].latest() if links else None
        if state is not None and state.epoch not in arrived:
            arrived[state.epoch] = time.monotonic()
            if state.epoch >= last:
                done.set()

    link = ClassLink.from_env(on_news=news)
    assert link is not None
    links.append(link)
    done.wait(60)
    print(json.dumps(arrived), flush=True)


def spawn(end: ChannelEnd, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, **end.env()}
    process = subprocess.Popen(
        [sys.executable, __file__, *args],
        pass_fds=[end.fd],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    end.close()
    return process


async def run(k: int, seconds: float, period: float) -> dict[str, float]:
    hub = ClassHub()
    await hub.start()
    last = int(seconds / period)
    followers = [
        spawn(hub.open_channel("student", f"s{i}"), "--follower", str(last)) for i in range(k)
    ]
    await asyncio.sleep(1.0)  # everyone connected and idle
    cpu_before = time.process_time()
    lead = spawn(hub.open_channel("teacher", "teacher"), "--teacher", str(seconds), str(period))
    outputs = await asyncio.gather(*(asyncio.to_thread(p.communicate) for p in [lead, *followers]))
    cpu = time.process_time() - cpu_before
    await hub.close()
    sent = {int(e): t for e, t in json.loads(outputs[0][0]).items()}
    lags, skipped = [], 0
    for out, _ in outputs[1:]:
        arrived = {int(e): t for e, t in json.loads(out).items()}
        lags += [(arrived[e] - sent[e]) * 1000 for e in arrived if e in sent]
        skipped += len(sent) - len(arrived)
    q = statistics.quantiles(lags, n=100)
    return {
        "followers": k,
        "states": len(sent),
        "lag_p50_ms": round(q[49], 1),
        "lag_p95_ms": round(q[94], 1),
        "lag_max_ms": round(max(lags), 1),
        "skipped_pct": round(100 * skipped / (len(sent) * k), 1),
        "hub_cpu_pct": round(100 * cpu / (seconds + 1), 1),
        "hub_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    if sys.argv[1:2] == ["--teacher"]:
        return teacher(float(sys.argv[2]), float(sys.argv[3]))
    if sys.argv[1:2] == ["--follower"]:
        return follower(int(sys.argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 50])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--period", type=float, default=0.05, help="teacher's publish period")
    args = parser.parse_args()
    for k in args.sizes:
        print(json.dumps(asyncio.run(run(k, args.seconds, args.period))), flush=True)


if __name__ == "__main__":
    main()
