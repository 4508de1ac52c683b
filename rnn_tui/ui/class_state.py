"""What travels between a run and its class: the run's lesson state (for followers), a
student's status (for the teacher's class view), and a leader's state applied to a run."""

from __future__ import annotations

import dataclasses

from rnn_tui.classroom.protocol import (
    MAX_TEXT,
    MAX_TIMELINE,
    MAX_WORD,
    LessonState,
    Mode,
    StudentStatus,
    printable,
)
from rnn_tui.classroom.replay import exact_point, follow, timeline_of
from rnn_tui.engine import PRESETS

from .controller import RunController
from .view_names import HOME_VIEW, VIEWS


def lesson_state(run: RunController) -> LessonState:
    """What a follower needs to show this run (``micro`` 0: at the epoch, else position+1),
    without the exact point (:func:`with_exact_point` adds it)."""
    micro = run.micro
    return LessonState(
        timeline=timeline_of(run.trainer),
        epoch=run.trainer.epoch,
        micro=0 if micro is None else micro.position + 1,
        sample=run.sample,
        view=run.view,
        preset=run.preset,
        running=run.running,
    )


def with_exact_point(state: LessonState, run: RunController) -> LessonState:
    """``state`` with the run's exact point at its epoch, for a late joiner."""
    return dataclasses.replace(state, exact=exact_point(run.trainer))


def shareable(state: LessonState) -> bool:
    """Within what the channel carries (beyond it the hub would cut this app off)."""
    return (
        len(state.timeline) <= MAX_TIMELINE
        and all(len(config) <= MAX_TEXT for _, config in state.timeline)
        and (state.preset is None or len(state.preset) <= MAX_WORD)
    )


def apply_state(run: RunController, state: LessonState, *, resume: bool = True) -> None:
    """Show ``state`` in ``run``: the engine replays it or resumes from its exact point
    (:func:`~rnn_tui.classroom.replay.follow`); raises :class:`StateRefused`."""
    trainer = follow(run.trainer, state, resume=resume)
    preset = state.preset if state.preset in PRESETS else None
    if trainer is not run.trainer:
        run.adopt(trainer, preset)
    else:
        run.runner.pause()  # the leader's epochs arrive here; this run computes no more
        if preset is not None:
            run.preset = preset
    run.sample = min(state.sample, trainer.dataset.n - 1)
    run.view = state.view if state.view in VIEWS else HOME_VIEW
    run.stand_at_micro(state.micro - 1 if state.micro else None)


def state_word(run: RunController) -> str:
    """The run in one word, for the teacher's class view (trouble sorts on top)."""
    trainer = run.trainer
    if trainer.diverged:
        return "diverged"
    if run.running:
        return "running"
    if trainer.converged:
        return "converged"
    if trainer.stalled:
        return "stalled"
    return "starting" if trainer.epoch == 0 else "paused"


def student_status(run: RunController, mode: Mode) -> StudentStatus:
    trainer = run.trainer
    return StudentStatus(
        config=printable(str(trainer.config), MAX_TEXT),
        epoch=trainer.epoch,
        loss=trainer.loss,
        state=state_word(run),
        mode=mode,
    )
