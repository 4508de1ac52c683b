"""A leader's run, rebuilt by this app's own engine: followers redo the numbers.

Only the leader's timeline (the config from each epoch on) and its epoch travel
over the class channel; a follower replays them with the deterministic engine, so
its numbers are bit-identical to the leader's. Every config received is checked as
if it were typed here, with this app's limits (a spotlighted student's config
reaches the whole class), and a timeline no real run could have is refused: epochs
that do not start at 0 and grow, or a later config that changes what restarts a
run (data, seed, activation, initial weights) or nothing that shapes it.

A follower that already shows a prefix of the timeline only computes what is new,
so following a running teacher costs the epochs the teacher computes, no more.

A late joiner (more than :data:`LATE_JOIN_EPOCHS` to compute) does not redo the
epochs: it resumes from the leader's exact point (weights and optimizer state at its
epoch, checked by the engine) and shows that epoch at once; the history before it is
computed afterwards (:mod:`rnn_tui.classroom.history_fill`) and must reach the same
numbers bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine import (
    NO_HISTORY_KEYS,
    RESET_KEYS,
    Checkpoint,
    CheckpointError,
    Config,
    ConfigError,
    DataError,
    Trainer,
    check_checkpoint,
)
from .messages import ExactPoint, LessonState

Timeline = tuple[tuple[int, str], ...]
# More epochs than this to compute (0.17 s here), and the follower resumes from the
# leader's exact point instead.
LATE_JOIN_EPOCHS = 20_000


class StateRefused(ValueError):
    """A lesson state this app will not show; the text says why, for a notice."""


def timeline_of(trainer: Trainer) -> Timeline:
    """The run's config history as it travels: ``(first epoch, config string)``."""
    return tuple((epoch, str(config)) for epoch, config in trainer.timeline)


def checked_timeline(timeline: Sequence[tuple[int, str]]) -> tuple[tuple[int, Config], ...]:
    """Each config parsed and checked as if typed here; the whole a timeline a run can have."""
    checked: list[tuple[int, Config]] = []
    for epoch, text in timeline:
        try:
            config = Config.parse(text)
        except ConfigError as error:
            raise StateRefused(f"the class's config is refused here: {error}") from None
        if not checked:
            if epoch != 0:
                raise StateRefused("the class's run does not start at epoch 0")
        else:
            before_epoch, before = checked[-1]
            keys = config.changed_keys(before)
            if epoch <= before_epoch:
                raise StateRefused("the class's config changes are not in epoch order")
            if keys & RESET_KEYS:
                raise StateRefused(f"a mid-run change of {', '.join(sorted(keys & RESET_KEYS))}")
            if keys <= NO_HISTORY_KEYS:
                raise StateRefused(f"a mid-run change at epoch {epoch} that changes nothing")
        checked.append((epoch, config))
    if not checked:
        raise StateRefused("the class's run has no config")
    return tuple(checked)


def exact_point(trainer: Trainer) -> ExactPoint | None:
    """The run's exact state at its cursor, as it travels to a late joiner; None when no
    run could resume from it (Adam's second moment overflows to infinity before the
    weights do, and JSON carries none): joiners replay then."""
    checkpoint = trainer.checkpoint()
    try:
        check_checkpoint(checkpoint)
    except CheckpointError:
        return None
    return ExactPoint(checkpoint.weights, checkpoint.previous, checkpoint.state)


def follow(trainer: Trainer | None, state: LessonState, *, resume: bool = True) -> Trainer:
    """``trainer`` (or a new one) standing on the leader's ``state``: replayed when that
    is cheap, else resumed from the state's exact point (its earlier history unknown
    until filled; ``resume`` False: always replayed). Raises :class:`StateRefused` as
    :func:`replay` does, and for an exact point no run here could have."""
    wanted = checked_timeline(state.timeline)
    exact, epoch = state.exact, state.epoch
    cheap = replay_cost(trainer, wanted, epoch) <= LATE_JOIN_EPOCHS
    if not resume or exact is None or wanted[-1][0] > epoch or cheap:
        return replay(trainer, state.timeline, epoch)
    checkpoint = Checkpoint(wanted, epoch, exact.weights, exact.previous, exact.optimizer)
    try:
        return Trainer.resume(checkpoint)
    except CheckpointError as error:
        raise StateRefused(f"the class's exact state is refused here: {error}") from None
    except DataError as error:
        raise StateRefused(f"the class's data is refused here: {error}") from None


def replay_cost(trainer: Trainer | None, wanted: tuple[tuple[int, Config], ...], epoch: int) -> int:
    """About how many epochs :func:`replay` would compute to show ``epoch`` of ``wanted``."""
    start = _reusable(trainer, wanted)
    if trainer is None or start is None:
        return epoch
    base = min([trainer.head, *(first for first, _ in wanted[start:])])
    unknown = trainer.known_from if min(base, epoch) < trainer.known_from else 0
    return max(0, epoch - base) + unknown


def replay(trainer: Trainer | None, timeline: Sequence[tuple[int, str]], epoch: int) -> Trainer:
    """``trainer`` (or a new one) standing on ``epoch`` of the run ``timeline`` describes.

    The same trainer comes back when its own timeline leads to the new one (the new
    one extends it, or changes its last config at the same epoch); otherwise the run
    is rebuilt from epoch 0. Raises :class:`StateRefused` for a config refused here
    or a run that cannot reach an epoch the timeline names (diverged, or beyond this
    app's epoch limit).
    """
    wanted = checked_timeline(timeline)
    start = _reusable(trainer, wanted)
    if trainer is None or start is None:
        trainer, start = _new_trainer(wanted[0][1]), 1
    for first, config in wanted[start:]:
        _reach(trainer, first)
        try:
            trainer.configure(config)
        except DataError as error:  # cannot happen mid-run (data is a reset key); be safe
            raise StateRefused(f"the class's data is refused here: {error}") from None
    _reach(trainer, epoch)
    return trainer


def _reusable(trainer: Trainer | None, wanted: tuple[tuple[int, Config], ...]) -> int | None:
    """From which segment of ``wanted`` on ``trainer`` must be configured, or None: rebuild."""
    if trainer is None:
        return None
    have = trainer.timeline
    common = 0
    while common < min(len(have), len(wanted)) and have[common] == wanted[common]:
        common += 1
    if common == len(have):
        return common  # the new timeline extends ours
    last = len(have) - 1
    if common != last or common >= len(wanted) or have[last][0] != wanted[last][0]:
        return None
    if wanted[last][1].changed_keys(have[last][1]) & RESET_KEYS:
        return None
    return last  # our last config changed at its own epoch: configure it there


def _new_trainer(config: Config) -> Trainer:
    try:
        return Trainer(config)
    except DataError as error:
        raise StateRefused(f"the class's data is refused here: {error}") from None


def _reach(trainer: Trainer, epoch: int) -> None:
    trainer.goto(epoch)
    if trainer.epoch != epoch:
        why = "the run diverged" if trainer.divergence is not None else "the epoch limit"
        raise StateRefused(f"epoch {epoch:,} cannot be reached here: {why}")
