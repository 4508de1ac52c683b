"""Computing a view's data off the UI thread, one computation at a time.

A view asks for its data again on every redraw (30 a second while running); a
computation that takes longer than a frame must not start a thread per request.
:class:`LatestJob` runs one job at a time in a thread worker of its widget; a job
asked for meanwhile waits, replacing any job already waiting: only the latest
request matters, and the view keeps its last frame until the result comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widget import Widget
from textual.worker import Worker, WorkerState

Job = Callable[[], Any]
Done = Callable[[Any], None]


class LatestJob:
    def __init__(self, owner: Widget, group: str) -> None:
        self._owner, self._group = owner, group
        self._worker: Worker[Any] | None = None
        self._done: Done | None = None
        self._waiting: tuple[Job, Done] | None = None

    def run(self, job: Job, done: Done) -> None:
        """Run ``job`` in a thread, then ``done(result)`` on the UI thread."""
        self._waiting = (job, done)
        if self._worker is None or self._worker.is_finished:
            self._start()

    def finished(self, event: Worker.StateChanged) -> bool:
        """For the owner's ``on_worker_state_changed``: True if ``event`` was this job's
        (its result handed to ``done``, the waiting job started)."""
        if event.worker is not self._worker or not event.worker.is_finished:
            return False
        if event.state is WorkerState.SUCCESS and self._done is not None:
            self._done(event.worker.result)
        if self._waiting is not None:
            self._start()
        return True

    def _start(self) -> None:
        assert self._waiting is not None
        job, self._done = self._waiting
        self._waiting = None
        self._worker = self._owner.run_worker(job, thread=True, group=self._group)
