"""A view's data computed off the UI thread: one thread at a time, the latest request."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.worker import Worker

from rnn_tui.ui.views.background import LatestJob


class Owner(Widget):
    def __init__(self) -> None:
        super().__init__()
        self.jobs = LatestJob(self, "test")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.jobs.finished(event)


class OneOwner(App[None]):
    def compose(self) -> ComposeResult:
        yield Owner()


async def test_requests_while_a_job_runs_wait_and_only_the_latest_runs() -> None:
    app = OneOwner()
    async with app.run_test() as pilot:
        owner = app.query_one(Owner)
        release = threading.Event()
        started: list[int] = []
        done: list[int] = []

        def job(n: int) -> int:
            started.append(n)
            release.wait(5)
            return n

        for n in range(5):  # a redraw per frame while the first is still computing
            owner.jobs.run(lambda n=n: job(n), done.append)
        release.set()
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert started == [0, 4] and done == [0, 4]
