"""A run's exact state at one epoch: enough to continue it without redoing the epochs before.

A class follower that joins late starts its trainer from the leader's checkpoint
(:meth:`~rnn_tui.engine.Trainer.resume`) and shows that epoch at once; the epochs
before it (which the charts and rewinding read) are computed afterwards and must
arrive at the checkpoint's numbers bit for bit (:meth:`Trainer.fill_history`).

The numbers are plain Python floats: JSON (``repr``) carries them exactly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from . import limits
from .config import MAX_EPOCHS, NO_HISTORY_KEYS, RESET_KEYS, Config
from .rules import build_optimizer

MAX_OPTIMIZER_STATE = 8  # the optimizer state's length (Adam's is 5): more is refused


class CheckpointError(ValueError):
    """A checkpoint no run could have (or beyond this app's limits); the text says why."""


class HistoryMismatch(RuntimeError):
    """The history computed from epoch 0 does not reach the checkpoint's numbers: a bug
    (or a checkpoint that lies), never hidden."""


@dataclass(frozen=True)
class Checkpoint:
    """The run ``timeline`` describes, standing at the start of ``epoch``."""

    timeline: tuple[tuple[int, Config], ...]
    """(first epoch, config) of each stretch, the first at 0, none after ``epoch``."""
    epoch: int
    weights: tuple[float, float]
    """(wx, wrec) at the start of ``epoch``."""
    previous: tuple[float, float] | None
    """(wx, wrec) at the start of ``epoch - 1`` (None at epoch 0): whether the weights
    still move is a comparison with them."""
    state: tuple[float, ...]
    """The optimizer's state the run steps from at ``epoch`` (after a change made there)."""

    @property
    def config(self) -> Config:
        """The config in force at ``epoch``."""
        return self.timeline[-1][1]


def check_checkpoint(checkpoint: Checkpoint) -> None:
    """Raise :class:`CheckpointError` unless a run here could stand on ``checkpoint``:
    :meth:`Trainer.resume` asks before resuming, a leader before sending its exact point
    (a number that is not finite is refused: no run resumes from it, JSON has none)."""
    epoch = checkpoint.epoch
    if type(epoch) is not int or not 0 <= epoch <= MAX_EPOCHS:
        raise CheckpointError(f"epoch must be a whole number from 0 to {MAX_EPOCHS:,}")
    if limits.epochs_allowed(0, epoch) < epoch:
        raise CheckpointError(f"epoch {epoch:,} is beyond this app's epoch limit")
    _check_timeline(checkpoint.timeline, epoch)
    if not _finite(checkpoint.weights, 2):
        raise CheckpointError("the weights must be two finite numbers")
    if (checkpoint.previous is None) != (epoch == 0):
        raise CheckpointError("the previous weights are given exactly when the epoch is past 0")
    if checkpoint.previous is not None and not _finite(checkpoint.previous, 2):
        raise CheckpointError("the previous weights must be two finite numbers")
    size = build_optimizer(checkpoint.config).state_size
    if len(checkpoint.state) > MAX_OPTIMIZER_STATE or not _finite(checkpoint.state, size):
        raise CheckpointError(
            f"the {checkpoint.config.optimizer} optimizer's state is {size} finite numbers"
        )


def _check_timeline(timeline: tuple[tuple[int, Config], ...], epoch: int) -> None:
    if not timeline or timeline[0][0] != 0:
        raise CheckpointError("the run's timeline must start at epoch 0")
    for (before_epoch, before), (first, config) in itertools.pairwise(timeline):
        if not before_epoch < first:
            raise CheckpointError("the run's config changes are not in epoch order")
        keys = config.changed_keys(before)
        if keys & RESET_KEYS or keys <= NO_HISTORY_KEYS:
            raise CheckpointError(f"the change at epoch {first:,} is not one a run can make")
    if timeline[-1][0] > epoch:
        raise CheckpointError(f"the timeline goes past epoch {epoch:,}")


def _finite(values: tuple[float, ...], size: int) -> bool:
    return len(values) == size and all(type(v) is float and math.isfinite(v) for v in values)


def check_reached(wanted: Checkpoint, got: Checkpoint) -> None:
    """Raise :class:`HistoryMismatch` unless ``got``, from a run computed from epoch 0, is
    ``wanted`` exactly: the same timeline, weights (at the epoch and the one before) and
    optimizer state, to the bit."""
    if got.timeline != wanted.timeline:
        raise HistoryMismatch(
            f"the history computed has another timeline to epoch {wanted.epoch:,}"
        )
    reached = (got.previous, got.weights, got.state)
    expected = (wanted.previous, wanted.weights, wanted.state)
    if exact_bits(reached) != exact_bits(expected):
        raise HistoryMismatch(
            f"the history computed from epoch 0 reaches {reached} at epoch {wanted.epoch:,}, "
            f"not the checkpoint's {expected}"
        )


def exact_bits(value: object) -> object:
    """``value`` with every float as its exact bits (so -0.0 and 0.0 differ)."""
    if isinstance(value, float):
        return value.hex()
    if isinstance(value, tuple | list):
        return tuple(exact_bits(v) for v in value)
    return value
