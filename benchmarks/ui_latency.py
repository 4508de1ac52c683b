"""UI latency against the bare-Textual floor, measured side by side in one run.

    .venv/bin/python benchmarks/ui_latency.py [--only space|views|startup|running]
        [--keys lgcnei?] [--sizes 80x24,120x40] [--rounds 3] [--repeats 5]

The floor is a bare Textual app that repaints a full screen of numbers per key
(a ``Static`` holding a line of 11 signed numbers per row); rnn-tui is the real
app. Both run headless (Textual's test driver renders every frame exactly as on a
terminal, then discards the output), interleaved, so the machine's load hits both
alike; the ratios are what to read.

- ``space`` -> repainted frame at 80x24, 120x40 and 200x60, at 10 and 10^6
  epochs of history (goal: <= 2x the floor);
- opening each view (l, g, c, n, e, i, ?) -> frame at the same three sizes
  (goal: <= 4x the floor);
- app startup: ``run_test`` entered -> first frame, against the floor's (what
  every Pilot test pays once);
- running flat out: frames/s in every view and epochs/s with the landscape open
  against the charts (goal: >= 30 frames/s, landscape costs <= 20 %).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Static

from rnn_tui.engine import PRESETS
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.switcher import ViewSwitcher

SIZES = ((80, 24), (120, 40), (200, 60))
HISTORIES = (10, 1_000_000)
# key -> how to close what it opened
VIEW_KEYS = {
    "l": "l",
    "g": "g",
    "c": "c",
    "n": "n",
    "e": "e",
    "i": "escape",
    "question_mark": "escape",
}


class FrameClock:
    """Records when an app wrote each frame to its (headless) terminal, and what
    ``probe()`` said at that moment (which epoch the frame shows)."""

    def __init__(self, app: App[Any], probe: Callable[[], object] = lambda: None) -> None:
        self.last = 0.0
        self.frames = 0
        self.shown: list[tuple[float, object]] = []
        original = app._display

        def display(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            self.last = time.perf_counter()
            self.frames += 1
            self.shown.append((self.last, probe()))

        app._display = display  # type: ignore[method-assign]

    async def frame_after(self, start: float, done: Callable[[], bool] = lambda: True) -> float:
        """Milliseconds from ``start`` to the first frame after it once ``done()``."""
        while self.last < start or not done():
            await asyncio.sleep(0.0005)
        return (self.last - start) * 1000

    def first_showing(self, start: float, value: object) -> float:
        """Milliseconds from ``start`` to the first frame drawn while ``probe()`` was ``value``."""
        return min((t - start) * 1000 for t, v in self.shown if t >= start and v == value)


class Floor(App[None]):
    """The bare-Textual floor: a full screen of signed numbers, new on every space."""

    def compose(self) -> ComposeResult:
        yield Static(id="numbers")

    def on_mount(self) -> None:
        self.key_space()

    def key_space(self) -> None:
        rows = self.size.height - 2
        self.query_one(Static).update(
            "\n".join(
                " ".join(f"{random.uniform(-1, 1):+.5f}" for _ in range(11)) for _ in range(rows)
            )
        )


def new_app() -> RnnTuiApp:
    return RnnTuiApp(PRESETS["seed-linear"].config.replace(epochs=10_000_000), "seed-linear")


async def floor_latency(size: tuple[int, int], presses: int) -> list[float]:
    app = Floor()
    async with app.run_test(size=size) as pilot:
        clock = FrameClock(app)
        await pilot.pause(0.1)
        samples = []
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press("space")
            samples.append(await clock.frame_after(start))
            await pilot.pause()
        return samples


async def space_latency(
    size: tuple[int, int], history: int, presses: int
) -> tuple[list[float], list[float]]:
    """Milliseconds from each `space` to the first frame that shows the new epoch,
    and to the last frame it causes (the same frame unless something follows)."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        clock = FrameClock(app, lambda: app.trainer.epoch)
        if history > 1:
            app.trainer.step(history - 1)
            app.trainer.goto(history // 2)  # stepping then walks recorded epochs
            app.redraw()
        await pilot.pause(0.2)
        first, settled = [], []
        for _ in range(presses):
            epoch = app.trainer.epoch
            start = time.perf_counter()
            await pilot.press("space")
            await clock.frame_after(start, lambda e=epoch: app.trainer.epoch != e)
            await settle(pilot, app)
            first.append(clock.first_showing(start, app.trainer.epoch))
            settled.append((clock.last - start) * 1000)
        return first, settled


async def view_latency(size: tuple[int, int], key: str, repeats: int) -> list[float]:
    """Milliseconds from a view's key to the first frame that shows the view."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        switcher = app.query_one(ViewSwitcher)
        clock = FrameClock(app, lambda: (type(app.screen), switcher.current, app.show_parameters))
        app.trainer.step(999)
        app.redraw()
        await pilot.pause(0.2)
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            await pilot.press(key)
            await clock.frame_after(start)
            await settle(pilot, app)
            shown = (type(app.screen), switcher.current, app.show_parameters)
            samples.append(clock.first_showing(start, shown))
            await pilot.press(VIEW_KEYS[key])
            await settle(pilot, app)
            app.trainer.step(1)  # new data: no cache from the last opening helps
            app.redraw()
            await settle(pilot, app)
        return samples


async def startup_latency(size: tuple[int, int], app_class: Callable[[], App[Any]]) -> float:
    """Milliseconds from entering ``run_test`` to the app's first frame."""
    app = app_class()
    clock = FrameClock(app)
    start = time.perf_counter()
    async with app.run_test(size=size):
        return await clock.frame_after(start)


async def settle(pilot: Any, app: App[Any]) -> None:
    """Until the app has no message, worker or pending repaint left."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def running(size: tuple[int, int], view: str | None, seconds: float) -> tuple[float, float]:
    """(epochs/s, frames/s) while running flat out with the screen updating."""
    app = new_app()
    async with app.run_test(size=size) as pilot:
        if view is not None:
            await pilot.press(view)
        await pilot.pause(0.2)
        clock = FrameClock(app)
        await pilot.press(*["plus"] * 20)  # the top speed: the frame budget is the limit
        await pilot.press("p")
        start, epoch0, frames0 = time.perf_counter(), app.trainer.epoch, clock.frames
        await pilot.pause(seconds)
        elapsed = time.perf_counter() - start
        epochs, frames = app.trainer.epoch - epoch0, clock.frames - frames0
        await pilot.press("p")
        return epochs / elapsed, frames / elapsed


def parse_sizes(text: str) -> list[tuple[int, int]]:
    return [(int(w), int(h)) for w, h in (size.split("x") for size in text.split(","))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def run(coroutine: Awaitable[Any]) -> Any:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5, help="openings of each view")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved repeats")
    parser.add_argument("--only", choices=("space", "views", "startup", "running"), default=None)
    parser.add_argument("--keys", default="lgcnei?", help="the views to open (views mode)")
    parser.add_argument("--sizes", default="80x24,120x40,200x60", help="WxH,... (views mode)")
    args = parser.parse_args()
    print("rnn-tui UI latency (seed-linear) against the bare-Textual floor, in one run")

    if args.only in (None, "space"):
        print(
            "\nspace -> first frame showing the step | -> last frame (charts included):"
            " median ms (ratio to the floor); goal <= 2x"
        )
        for size in SIZES:
            floor: list[float] = []
            ours: dict[int, tuple[list[float], list[float]]] = {h: ([], []) for h in HISTORIES}
            for _ in range(args.rounds):  # interleaved: load hits both alike
                floor += run(floor_latency(size, args.presses))
                for history in HISTORIES:
                    first, settled = run(space_latency(size, history, args.presses))
                    ours[history][0].extend(first)
                    ours[history][1].extend(settled)
            base = median(floor)
            print(f"  {size[0]:>3}x{size[1]:<3} floor {base:5.1f} ms")
            for history, (first, settled) in ours.items():
                print(
                    f"    {history:>9,} epochs of history: {median(first):6.1f} ms "
                    f"({median(first) / base:4.1f}x) | {median(settled):6.1f} ms "
                    f"({median(settled) / base:4.1f}x)"
                )

    if args.only in (None, "views"):
        print(
            "\nopening a view -> first frame showing it: median ms (ratio to the floor); goal <= 4x"
        )
        keys = [key for key in VIEW_KEYS if (key if len(key) == 1 else "?") in args.keys]
        for size in parse_sizes(args.sizes):
            floor = []
            views: dict[str, list[float]] = {key: [] for key in keys}
            for _ in range(args.rounds):  # interleaved: load hits both alike
                floor += run(floor_latency(size, args.presses))
                for key in keys:
                    views[key] += run(view_latency(size, key, args.repeats))
            base = median(floor)
            print(f"  {size[0]:>3}x{size[1]:<3} floor {base:5.1f} ms")
            for key, samples in views.items():
                print(
                    f"    {key if len(key) == 1 else '?':>2}: median {median(samples):6.1f} ms "
                    f"({median(samples) / base:4.1f}x), max {max(samples):6.1f} ms"
                )

    if args.only in (None, "startup"):
        print("\napp startup: run_test -> first frame, median ms")
        for size in SIZES:
            floor, ours = [], []
            for _ in range(args.rounds * 3):
                floor.append(run(startup_latency(size, Floor)))
                ours.append(run(startup_latency(size, new_app)))
            print(
                f"  {size[0]:>3}x{size[1]:<3} floor {median(floor):6.1f} ms, "
                f"rnn-tui {median(ours):6.1f} ms ({median(ours) / median(floor):4.1f}x)"
            )

    if args.only in (None, "running"):
        size = (120, 40)
        print(f"\nrunning flat out at {size[0]}x{size[1]}: goal >= 30 frames/s")
        rates = {}
        for view in (None, "l", "g", "c", "n", "e"):
            rate, fps = run(running(size, view, args.seconds))
            rates[view] = rate
            print(f"  {view or 'charts':>6}: {rate:9,.0f} epochs/s  {fps:5.1f} frames/s")
        cost = 1 - rates["l"] / rates[None]
        print(f"  the landscape open costs {100 * cost:.0f} % of the epochs/s (goal <= 20 %)")


if __name__ == "__main__":
    main()
