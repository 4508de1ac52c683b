"""A steppable training run with an exact, rewindable history.

The trainer moves a cursor (``epoch``) along a timeline of epochs. Stepping at
the head of the timeline computes new epochs; stepping after a rewind walks the
recorded ones again (they would be recomputed bit for bit anyway). Changing a
hyperparameter cuts the timeline at the cursor and continues from the current
weights; changing the data, activation or initial weights restarts at epoch 0.

Optimizer state (momentum, Adam moments, Rprop steps) is stored in periodic
checkpoints; any epoch's state is rebuilt by replaying from the nearest one,
which is exact because every step is deterministic.

A run can also start at epoch E from a :class:`Checkpoint` (a class follower that
joins late): its history before E is unknown until :meth:`Trainer.fill_history`
brings it (computed from epoch 0 elsewhere, checked to reach the checkpoint bit for
bit); moving the cursor before E computes it then.
"""

from __future__ import annotations

import math

import numpy as np

from . import limits
from .checkpoint import (
    Checkpoint,
    CheckpointError,
    HistoryMismatch,
    check_checkpoint,
    check_reached,
)
from .config import NO_HISTORY_KEYS, RESET_KEYS, Config
from .datasets import load
from .diagnostics import divergence_after
from .history import History
from .model import Trace, Unrolled, trace
from .optimizers import Optimizer
from .presets import Preset
from .reports import ConfigChange, Divergence, StepReport
from .rules import build_optimizer, replay_rule

CHECKPOINT_EVERY = 1024
CONVERGED_GRADIENT = 1e-9  # gradient norm below which the weights have come to rest
# The loss is at its floor (the data fitted) at or below this fraction of mean(y²).
LOSS_FLOOR = 1e-12


class Trainer:
    def __init__(self, setup: Config | Preset | str = ""):
        if isinstance(setup, Preset):
            config = setup.config
        elif isinstance(setup, str):
            config = Config.parse(setup)
        else:
            config = setup
        self.config = config
        self.dataset = load(config.data, config.seed)
        self._start(config)

    # -- state ------------------------------------------------------------------

    def _start(self, config: Config, resumed: Checkpoint | None = None) -> None:
        """Epoch 0 of ``config``; or, ``resumed``, standing on the checkpoint's epoch."""
        self.config = config
        self._unrolled = Unrolled(self.dataset.x, self.dataset.y, config.activation)
        self._loss_floor = LOSS_FLOOR * float(np.mean(np.square(self.dataset.y)))
        self._wx_col = np.empty((1, 1))
        self._wrec_col = np.empty((1, 1))
        self.divergence: Divergence | None = None
        self._timeline: list[tuple[int, Config]] = [(0, config)]
        self._optimizer = build_optimizer(config)
        self._state = self._optimizer.initial_state()  # optimizer state at the head
        self._trace_cache: tuple[int, Trace] | None = None
        self._resumed = resumed  # where a resumed run's known history starts
        self.epoch = 0 if resumed is None else resumed.epoch
        self.history = History() if resumed is None else History.unknown(self.epoch - 1)
        rows = [(config.wx, config.wrec)]
        if resumed is not None:
            self._timeline, self._state = list(resumed.timeline), list(resumed.state)
            rows = [resumed.previous or resumed.weights, resumed.weights]
        self._checkpoints: dict[int, list[float]] = {self.epoch: list(self._state)}
        for wx, wrec in rows:
            loss, dwx, dwrec = self._evaluate(wx, wrec)
            if not (math.isfinite(loss) and math.isfinite(dwx) and math.isfinite(dwrec)):
                if resumed is not None:
                    raise CheckpointError(
                        "the checkpoint's weights give an infinite loss or gradient"
                    )
                self.divergence = Divergence(
                    1, "loss", "The initial weights already give an infinite loss or gradient."
                )
            self.history.append((wx, wrec, loss, dwx, dwrec))

    @classmethod
    def resume(cls, checkpoint: Checkpoint) -> Trainer:
        """A run standing on ``checkpoint.epoch`` with the checkpoint's weights and optimizer
        state, without computing the epochs before it (its history there is unknown until
        :meth:`fill_history`). Stepping on gives the numbers a run from epoch 0 gives, bit
        for bit. Raises :class:`CheckpointError` for a checkpoint no run here could have."""
        check_checkpoint(checkpoint)
        trainer = cls(checkpoint.timeline[0][1])
        if checkpoint.epoch == 0:
            if checkpoint.weights != trainer.weights or list(checkpoint.state) != trainer._state:
                raise CheckpointError("epoch 0 is not at the config's initial weights")
            return trainer
        trainer._start(checkpoint.config, resumed=checkpoint)
        return trainer

    @property
    def known_from(self) -> int:
        """The first epoch whose history is known (0 unless resumed and not yet filled)."""
        return 0 if self._resumed is None else self._resumed.epoch

    @property
    def resumed_from(self) -> Checkpoint | None:
        """The checkpoint this run started from while its earlier history is unknown."""
        return self._resumed

    def checkpoint(self, epoch: int | None = None) -> Checkpoint:
        """The run's exact state at ``epoch`` (default: the cursor): :meth:`resume`
        continues from it."""
        epoch = self.epoch if epoch is None else epoch
        self._need(epoch)
        row = self.history.row
        previous = row(epoch - 1)[:2] if epoch > 0 else None
        timeline = tuple((s, c) for s, c in self._timeline if s <= epoch)
        state = tuple(self.optimizer_state(epoch))
        return Checkpoint(timeline, epoch, row(epoch)[:2], previous, state)

    def fill_history(self, source: Trainer) -> None:
        """Take the unknown history before the resumed epoch from ``source``, a run
        computed from epoch 0 along the same timeline to at least that epoch. Raises
        :class:`HistoryMismatch` (and takes nothing) unless ``source`` reaches the
        checkpoint's weights and optimizer state bit for bit."""
        checkpoint = self._resumed
        if checkpoint is None:
            return
        epoch = checkpoint.epoch
        if source.head < epoch or source.known_from > 0:
            raise HistoryMismatch(f"the history computed stops before epoch {epoch:,}")
        check_reached(checkpoint, source.checkpoint(epoch))
        self.history.fill_prefix(source.history, epoch - 1)
        self._checkpoints.update({e: s for e, s in source._checkpoints.items() if e < epoch})
        self._resumed = None

    def complete_history(self) -> None:
        """Compute the unknown history before the resumed epoch now (it may take seconds)."""
        if self._resumed is not None:
            self.fill_history(trained_along(self._resumed))

    def _need(self, epoch: int) -> None:
        """The history at ``epoch`` is about to be read: compute it now if it is unknown."""
        if epoch < self.known_from:
            self.complete_history()

    def _evaluate(self, wx: float, wrec: float) -> tuple[float, float, float]:
        self._wx_col[0, 0] = wx
        self._wrec_col[0, 0] = wrec
        with np.errstate(all="ignore"):
            loss, grads = self._unrolled.evaluate(self._wx_col, self._wrec_col)
        return loss.item(0), grads.item(0), grads.item(1)

    @property
    def head(self) -> int:
        """The last epoch computed so far."""
        return self.history.length - 1

    @property
    def weights(self) -> tuple[float, float]:
        wx, wrec, *_ = self.history.row(self.epoch)
        return wx, wrec

    @property
    def loss(self) -> float:
        return self.history.row(self.epoch)[2]

    @property
    def gradients(self) -> tuple[float, float]:
        _, _, _, dwx, dwrec = self.history.row(self.epoch)
        return dwx, dwrec

    @property
    def at_rest(self) -> bool:
        """The gradient is too small to move the weights (below CONVERGED_GRADIENT), or the
        last update no longer changed them (a step that rounds to nothing)."""
        if math.hypot(*self.gradients) < CONVERGED_GRADIENT:
            return True
        return self.epoch > 0 and self.history.row(self.epoch - 1)[:2] == self.weights

    @property
    def converged(self) -> bool:
        """At rest with the loss at its floor: the network fits the data."""
        return self.at_rest and self.loss <= self._loss_floor

    @property
    def stalled(self) -> bool:
        """At rest with the loss above its floor: gradient descent cannot go further
        from here, though the data are not fitted (the vanishing preset stops at 3.09)."""
        return self.at_rest and not self.loss <= self._loss_floor

    @property
    def diverged(self) -> bool:
        """True when the cursor stands on the last finite epoch of a diverged run."""
        return self.divergence is not None and self.epoch == self.head

    @property
    def timeline(self) -> tuple[tuple[int, Config], ...]:
        """(first epoch, config) of each stretch of the run made with one config, the
        first at epoch 0: the one record of the config history (a saved session is this)."""
        return tuple(self._timeline)

    @property
    def optimizer(self) -> Optimizer[float]:
        return self._optimizer

    def trace(self) -> Trace:
        """Every number of the forward/backward pass at the current epoch."""
        if self._trace_cache is None or self._trace_cache[0] != self.epoch:
            wx, wrec = self.weights
            result = trace(wx, wrec, self.dataset.x, self.dataset.y, self.config.activation)
            self._trace_cache = (self.epoch, result)
        return self._trace_cache[1]

    def optimizer_state(self, epoch: int | None = None) -> list[float]:
        """The optimizer's state at the start of ``epoch`` (default: the cursor)."""
        epoch = self.epoch if epoch is None else epoch
        self._need(epoch)
        if epoch == self.head:
            return list(self._state)
        return self._replay_state(epoch)

    # -- moving -----------------------------------------------------------------

    def step(self, n: int = 1) -> StepReport:
        """Move ``n`` epochs forward, computing new ones past the head."""
        if n < 0:
            return self.back(-n)
        start = self.epoch
        along = min(n, self.head - self.epoch)  # recorded epochs ahead of a rewound cursor
        self.epoch += along
        remaining = n - along
        allowed = limits.epochs_allowed(self.head, remaining)  # a served app's bound
        if allowed and self.divergence is None:
            self._compute(allowed)
        if self.epoch < start + n and self.divergence:
            return StepReport(self.epoch - start, "diverged")
        if allowed < remaining:
            return StepReport(self.epoch - start, "limit")
        return StepReport(self.epoch - start)

    def back(self, n: int = 1) -> StepReport:
        target = max(0, self.epoch - n)
        self._need(target)
        moved = self.epoch - target
        self.epoch = target
        return StepReport(-moved)

    def goto(self, epoch: int) -> StepReport:
        """Rewind or replay to ``epoch`` (computing forward if it is past the head)."""
        if epoch < 0:
            raise ValueError(f"epoch must be >= 0, got {epoch}")
        if epoch <= self.head:
            self._need(epoch)
            moved = epoch - self.epoch
            self.epoch = epoch
            return StepReport(moved)
        return self.step(epoch - self.epoch)

    def run_to_target(self) -> StepReport:
        return self.goto(self.config.epochs)

    def reset(self) -> None:
        """Back to epoch 0 with the current config, forgetting the history."""
        self._start(self.config)

    def _compute(self, n: int) -> None:
        """Append ``n`` epochs at the head (the cursor is at the head)."""
        history = self.history
        state = self._state
        optimizer_step = self._optimizer.step
        clip = self.config.clip_rule
        clipping = clip.mode != "none"
        stateful = self._optimizer.state_size > 0
        evaluate = self._unrolled.evaluate
        wx_col, wrec_col = self._wx_col, self._wrec_col
        wx, wrec, _, dwx, dwrec = history.row(self.head)
        isfinite = math.isfinite
        append = history.append
        with np.errstate(all="ignore"):
            for _ in range(n):
                saved = list(state) if stateful else state
                gradient = clip.apply(dwx, dwrec) if clipping else (dwx, dwrec)
                new_wx, new_wrec = optimizer_step((wx, wrec), gradient, state)
                wx_col[0, 0] = new_wx
                wrec_col[0, 0] = new_wrec
                loss_arr, grads = evaluate(wx_col, wrec_col)
                loss, dwx, dwrec = loss_arr.item(0), grads.item(0), grads.item(1)
                if not (isfinite(loss) and isfinite(dwx) and isfinite(dwrec)):
                    state[:] = saved
                    self._diverge(new_wx, new_wrec, loss)
                    break
                wx, wrec = new_wx, new_wrec
                append((wx, wrec, loss, dwx, dwrec))
                if stateful and history.length % CHECKPOINT_EVERY == 1:
                    self._checkpoints[history.length - 1] = list(state)
        self.epoch = self.head

    def _diverge(self, wx: float, wrec: float, loss: float) -> None:
        """Stop at the last finite epoch and say why the next one failed."""
        dataset, activation = self.dataset, self.config.activation
        self.divergence = divergence_after(
            self.history, self.head, (wx, wrec), loss, dataset, activation
        )

    def _replay_state(self, epoch: int) -> list[float]:
        """Rebuild the optimizer state at ``epoch`` from the nearest checkpoint."""
        if epoch > self.head:
            raise IndexError(f"epoch {epoch} is past the head {self.head}")
        self._need(epoch)
        checkpoints = self._checkpoints
        if self._resumed is not None:  # the state the run resumed from, unless changed there
            checkpoints = {self._resumed.epoch: list(self._resumed.state), **checkpoints}
        start = max(c for c in checkpoints if c <= epoch)
        state = list(checkpoints[start])
        if not state:
            return state  # a rule without state (gradient descent): nothing to replay
        rows = (self.history.row(k) for k in range(start, epoch))
        return replay_rule(self._config_at(start), state, rows)

    def _config_at(self, epoch: int) -> Config:
        return next(c for s, c in reversed(self._timeline) if s <= epoch)

    # -- changing the experiment --------------------------------------------------

    def configure(self, config: Config) -> ConfigChange:
        """Apply a new config: restart for data/activation/initial weights, else
        continue from the current epoch's weights with the new hyperparameters."""
        keys = frozenset(config.changed_keys(self.config))
        if not keys:
            return ConfigChange(False, keys)
        if keys & RESET_KEYS:
            if keys & {"data", "seed"}:
                self.dataset = load(config.data, config.seed)
            self._start(config)
            return ConfigChange(True, keys)
        if keys <= NO_HISTORY_KEYS:
            self.config = config
            self._timeline[-1] = (self._timeline[-1][0], config)
            return ConfigChange(False, keys)
        self._change_rule(config)
        return ConfigChange(False, keys)

    def _change_rule(self, config: Config) -> None:
        """A new update rule from the cursor on: keep the past, drop the old future.

        What it changes is judged against the rule in force before this epoch, not
        against a change made a moment ago at the same epoch: a rule changed twice at
        one epoch counts once, so the timeline alone redoes the run (a saved session,
        a class follower) with the same numbers.
        """
        epoch = self.epoch
        if epoch == self.known_from and any(s == epoch for s, _ in self._timeline):
            # The checkpoint's state is the one after that change; the rule before it
            # needs the state before it: compute the history.
            self.complete_history()
        # At the head of a stretch begun earlier, the live state is the one wanted.
        live = list(self._state) if epoch == self.head and self._timeline[-1][0] < epoch else None
        self.history.truncate(epoch + 1)
        self._checkpoints = {e: s for e, s in self._checkpoints.items() if e < epoch}
        self._timeline = [(s, c) for s, c in self._timeline if s < epoch]
        before = self._timeline[-1][1] if self._timeline else None
        self.config = config
        self._optimizer = build_optimizer(config)
        changed = config.changed_keys(before) if before is not None else {"optimizer"}
        if "optimizer" in changed or (config.optimizer == "rprop" and "step0" in changed):
            state = self._optimizer.initial_state()  # a new rule starts from its own state
        else:
            state = live if live is not None else self._replay_state(epoch)
        if changed <= NO_HISTORY_KEYS:  # the rule before it, again: one stretch
            self._timeline[-1] = (self._timeline[-1][0], config)
        else:
            self._timeline.append((epoch, config))
        self._state = state
        self._checkpoints[epoch] = list(state)
        self.divergence = None


def trained_along(checkpoint: Checkpoint) -> Trainer:
    """A run trained from epoch 0 along ``checkpoint``'s timeline to its epoch (the
    history a resumed run lacks; a thread may compute it: it shares nothing)."""
    first, *changes = checkpoint.timeline
    trainer = Trainer(first[1])
    for epoch, config in changes:
        trainer.goto(epoch)
        trainer.configure(config)
    trainer.goto(checkpoint.epoch)
    if trainer.epoch != checkpoint.epoch:
        raise HistoryMismatch(f"the run from epoch 0 stops at epoch {trainer.epoch:,}")
    return trainer
