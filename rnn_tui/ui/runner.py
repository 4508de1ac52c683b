"""How fast a run goes and how many epochs each frame computes.

The app calls :meth:`Runner.advance` once per frame from a timer. Each call
computes at most a frame's worth of epochs and never more than a time budget,
so keys are answered between frames whatever the speed or the size of the
data. No Textual import: the pacing is tested on its own.

The budget is what drawing leaves of a frame, measured: the app says when a
frame is on screen (:meth:`Runner.drawn`), and the time from the end of computing
to then is what that frame cost to draw. The timer skips a tick it missed, so a
frame that computes and draws for longer than 1/30 s costs a whole second frame:
the next frame computes for what the frames that drew alike (plotting or not)
left of a tick, less a margin for the machine's jitter. Where even their drawing
alone overran a tick, the frame fills the ticks drawing takes instead (never more
than the whole budget): computing less would win no frame back.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from typing import Literal

from rnn_tui.engine import Trainer

FRAMES_PER_SECOND = 30
FRAME_SECONDS = 1 / FRAMES_PER_SECOND
# Compute time allowed per frame at most; the rest of the frame is left for drawing and keys.
FRAME_BUDGET_SECONDS = 0.018
# ... and at least, however dear drawing is, so that a run always moves.
MIN_BUDGET_SECONDS = 0.002
# Kept free in every frame besides drawing: timer and scheduling jitter, keys.
MARGIN_SECONDS = 0.004
# While running, the charts redraw on one frame in this many (plotting costs more than
# the rest of a frame): frames this many apart draw alike.
CHART_EVERY = 3
# Drawings kept: the next frame is expected to draw as the frames CHART_EVERY and twice
# CHART_EVERY before it did.
DRAWINGS_KEPT = 2 * CHART_EVERY
# A run to the target is paced to take about this long, so the screen visibly moves.
SEEK_SECONDS = 2.0
# The measured rate covers the frames of the last few seconds: long enough to see several
# epochs at the slowest speed (one every 16 frames), short enough to follow a change.
RATE_WINDOW_SECONDS = 2.0

SPEEDS: tuple[Fraction, ...] = tuple(
    Fraction(s)
    for s in (
        "1/16", "1/8", "1/4", "1/2", 1, 2, 5, 10, 20, 50,
        100, 200, 500, 1000, 2000, 5000, 10000,
    )
)  # fmt: skip
DEFAULT_SPEED = SPEEDS.index(Fraction(50))


class Mode(Enum):
    PAUSED = "paused"
    RUNNING = "running"  # free run at the chosen speed
    SEEKING = "seeking"  # fast run to a goal epoch (run to target, open a session)


@dataclass(frozen=True)
class Frame:
    """What one call of :meth:`Runner.advance` did."""

    advanced: int
    """Epochs computed (or walked) in this frame."""
    finished: Literal["goal", "diverged", "limit"] | None = None
    """Why the run stopped in this frame (None: it goes on, or was not running)."""


def speed_text(speed: Fraction) -> str:
    if speed >= 1:
        return f"{speed}/frame"
    return f"1 every {speed.denominator} frames"


def nominal_rate(speed: Fraction) -> float:
    """Epochs per second at ``speed`` if every frame comes on time (an upper bound)."""
    return float(speed * FRAMES_PER_SECOND)


class Runner:
    def __init__(
        self,
        clock: Callable[[], float] = time.perf_counter,
        seek_seconds: float = SEEK_SECONDS,
    ) -> None:
        self.mode = Mode.PAUSED
        self.seek_seconds = seek_seconds  # a suite that checks where runs end waits less
        self.speed_index = DEFAULT_SPEED
        self.goal: int | None = None
        self._seek_speed = 0
        self._carry = Fraction(0)  # fractional epochs owed at speeds below 1/frame
        self._seconds_per_epoch = 1e-5  # measured as we go; sizes the chunks
        self._clock = clock
        self.epochs_per_second = 0.0  # measured across frames, drawing included
        self.budget = FRAME_BUDGET_SECONDS  # compute seconds per frame, sized as we go
        self._computed: float | None = None  # when this frame's computing ended
        self._drawings: deque[float] = deque(maxlen=DRAWINGS_KEPT)  # seconds, recent frames
        self._advances: deque[tuple[float, int]] = deque()  # (frame start, epochs) recently

    # -- state --------------------------------------------------------------------

    @property
    def speed(self) -> Fraction:
        return SPEEDS[self.speed_index]

    @property
    def active(self) -> bool:
        return self.mode is not Mode.PAUSED

    def describe(self) -> str:
        if self.mode is Mode.SEEKING:
            return f"to epoch {self.goal:,} at {self._seek_speed:,}/frame".replace(",", " ")
        return speed_text(self.speed)

    def faster(self, steps: int) -> None:
        self.speed_index = min(max(self.speed_index + steps, 0), len(SPEEDS) - 1)

    def start(self, trainer: Trainer) -> None:
        """Free run; it stops at the configured epochs if it starts below them."""
        self.mode = Mode.RUNNING
        self.goal = trainer.config.epochs if trainer.epoch < trainer.config.epochs else None
        self._carry = Fraction(0)

    def seek(self, goal: int, trainer: Trainer) -> None:
        """Run fast to ``goal``, paced to take about :attr:`seek_seconds`."""
        self.mode = Mode.SEEKING
        self.goal = goal
        distance = max(goal - trainer.epoch, 1)
        paced = math.ceil(distance / (self.seek_seconds * FRAMES_PER_SECOND))
        self._seek_speed = max(paced, math.ceil(self.speed))

    def pause(self) -> None:
        self.mode = Mode.PAUSED
        self.goal = None
        self._computed = None
        self._drawings.clear()  # the next run may draw another view
        self._advances.clear()
        self.epochs_per_second = 0.0

    # -- one frame ----------------------------------------------------------------

    def _wanted(self, trainer: Trainer) -> int:
        if self.mode is Mode.SEEKING:
            wanted = self._seek_speed
        else:
            self._carry += self.speed
            wanted = math.floor(self._carry)
            self._carry -= wanted
        if self.goal is not None:
            wanted = min(wanted, max(self.goal - trainer.epoch, 0))
        return wanted

    def advance(self, trainer: Trainer) -> Frame:
        """Compute this frame's epochs, within the time budget."""
        if not self.active:
            return Frame(0)
        if self.goal is not None and trainer.epoch >= self.goal:
            if trainer.epoch > self.goal:
                trainer.goto(self.goal)  # a seek backwards is a plain rewind
            self.pause()
            return Frame(0, "goal")
        wanted = self._wanted(trainer)
        start = self._clock()
        done = 0
        while done < wanted:
            chunk_start = self._clock()
            seconds = min(0.004, self.budget - (chunk_start - start))  # not past the budget
            chunk = max(1, min(wanted - done, int(seconds / self._seconds_per_epoch)))
            report = trainer.step(chunk)
            elapsed = self._clock() - chunk_start
            done += report.advanced
            if report.advanced:
                measured = elapsed / report.advanced
                self._seconds_per_epoch = max(0.5 * self._seconds_per_epoch + 0.5 * measured, 1e-7)
            if report.stopped:  # diverged, or a served app's epoch limit
                self.pause()
                return Frame(done, report.stopped)
            if self._clock() - start > self.budget:
                break
        self._measure_rate(done, start)
        self._computed = self._clock()
        if self.goal is not None and trainer.epoch >= self.goal:
            self.pause()
            return Frame(done, "goal")
        return Frame(done)

    def drawn(self) -> None:
        """The frame computed last is on screen: size the next frame's budget by what
        drawing cost."""
        if self._computed is None or not self.active:
            return
        self._drawings.append(self._clock() - self._computed)
        self._computed = None
        self.budget = budget_after(self._drawings)

    def _measure_rate(self, done: int, frame_start: float) -> None:
        """Epochs per wall-clock second over the last frames that advanced, drawing
        included: from the first to the last of them, so one epoch every 16 frames
        reads as the 1.9 epochs/s it is, not as a decaying average of empty frames."""
        advances = self._advances
        if done:
            advances.append((frame_start, done))
        while advances and frame_start - advances[0][0] > RATE_WINDOW_SECONDS:
            advances.popleft()
        if len(advances) >= 2:
            span = advances[-1][0] - advances[0][0]
            if span > 0:
                self.epochs_per_second = sum(n for _, n in advances) - advances[0][1]
                self.epochs_per_second /= span


def budget_after(drawings: Sequence[float]) -> float:
    """Compute seconds for the next frame, from what the frames that drew alike took
    (the same place in the charts' cycle): what the dearest of them leaves of the
    ticks the frame needs at the least. That is one tick unless even the cheapest
    of them overran it: then computing less would win no frame back, and the frame
    fills the ticks drawing takes anyway. Within the whole budget, and never below
    the least."""
    alike = list(drawings)[-CHART_EVERY::-CHART_EVERY] or list(drawings)
    ticks = max(1, math.ceil((min(alike) + MIN_BUDGET_SECONDS) / FRAME_SECONDS))
    left = ticks * FRAME_SECONDS - max(alike) - MARGIN_SECONDS
    return min(max(left, MIN_BUDGET_SECONDS), FRAME_BUDGET_SECONDS)
