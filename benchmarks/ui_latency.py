"""UI latency: how long from a `space` press to the repainted frame, and how fast
a run goes while the screen keeps updating.

    .venv/bin/python benchmarks/ui_latency.py [--presses 40]

Runs the real app headless at 120x40 (Textual's test driver renders every frame
exactly as on a terminal, then discards the output).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from rnn_tui.engine import PRESETS
from rnn_tui.ui.app import RnnTuiApp

SIZE = (120, 40)


class FrameClock:
    """Records when the app last wrote a frame to its (headless) terminal."""

    def __init__(self, app: RnnTuiApp) -> None:
        self.last = 0.0
        original = app._display

        def display(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            self.last = time.perf_counter()

        app._display = display  # type: ignore[method-assign]


async def press_latency(history: int, presses: int) -> list[float]:
    """Milliseconds from each `space` to the frame that shows it."""
    app = RnnTuiApp(PRESETS["seed-linear"].config.replace(epochs=10_000_000), "seed-linear")
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        if history > 1:
            app.trainer.step(history - 1)
            app.trainer.goto(history // 2)  # stepping then walks recorded epochs
            app.redraw()
        await pilot.pause(0.2)
        samples = []
        for _ in range(presses):
            epoch = app.trainer.epoch
            start = time.perf_counter()
            await pilot.press("space")
            while clock.last < start or app.trainer.epoch == epoch:
                await asyncio.sleep(0.0005)
            await pilot.pause()
            samples.append((clock.last - start) * 1000)
        return samples


async def running_rate(seconds: float) -> tuple[float, int]:
    """Epochs per second while running flat out with the screen updating."""
    app = RnnTuiApp(PRESETS["seed-linear"].config.replace(epochs=10_000_000), "seed-linear")
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        frames = 0
        original = app._frame

        def counted() -> None:
            nonlocal frames
            frames += 1
            original()

        app._frame = counted  # type: ignore[method-assign]
        app._frame_timer.stop()  # type: ignore[union-attr]
        app._frame_timer = app.set_interval(1 / 30, app._frame, pause=True)
        await pilot.press(*["plus"] * 20)  # the top speed: the frame budget is the limit
        await pilot.press("p")
        start = time.perf_counter()
        await pilot.pause(seconds)
        elapsed = time.perf_counter() - start
        epochs = app.trainer.epoch
        await pilot.press("p")
        del clock
        return epochs / elapsed, frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print(f"rnn-tui UI latency at {SIZE[0]}x{SIZE[1]} (seed-linear)")
    for history in (10, 1_000_000):
        samples = asyncio.run(press_latency(history, args.presses))
        print(
            f"  space -> repainted frame, {history:>9,} epochs of history: "
            f"median {statistics.median(samples):6.1f} ms, "
            f"p90 {sorted(samples)[int(0.9 * len(samples))]:6.1f} ms"
        )
    rate, frames = asyncio.run(running_rate(args.seconds))
    print(
        f"  running with the screen updating: {rate:,.0f} epochs/s "
        f"({frames / args.seconds:.0f} frames/s)"
    )


if __name__ == "__main__":
    main()
