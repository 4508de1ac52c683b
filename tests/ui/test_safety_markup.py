"""Issue 8: text from a student, a file, a path or a config string is never markup.

It shows literally (a lone ``[`` used to crash the app with MarkupError) and runs
nothing (``[@click=app.screenshot(...)]`` typed into a field used to become a
clickable link that truncated any file the app could write).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widgets import Input, Static

from rnn_tui.engine import KEYS, PRESETS, Config
from rnn_tui.ui.app import RnnTuiApp
from rnn_tui.ui.params.panel import CHOICES, ParameterPanel
from rnn_tui.ui.screens.session import SessionScreen

from .conftest import driving
from .safety import PAYLOADS, live_links, markup_like, shown_text, submit

T = TypeVar("T")
TEXT_KEYS = tuple(key for key in KEYS if key not in CHOICES)


def shown(app: RnnTuiApp, selector: str) -> str:
    return shown_text(app.screen.query_one(selector, Static))


async def test_markup_typed_into_a_field_is_refused_literally_and_clicks_nothing(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("the teacher's notes")
    payload = f"[@click=app.screenshot('victim.txt','{tmp_path}')]ZZ[/]"
    async with driving() as (app, pilot):
        await pilot.press("i")  # the parameter panel
        await submit(pilot, "#param-wx", payload)
        error = app.query_one(ParameterPanel).error_text("wx")
        assert repr(payload) in error
        assert live_links(app) == []
        await pilot.click("#error-wx", offset=(3, 0))  # where "ZZ" would have been a link
        # A lone "[" used to raise MarkupError and end the app.
        await submit(pilot, "#param-wrec", "1e[?p")
        assert "'1e[?p'" in app.query_one(ParameterPanel).error_text("wrec")
        assert app.is_running
    assert victim.read_text() == "the teacher's notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["victim.txt"]


async def test_a_config_string_with_markup_shows_literally(tmp_path: Path) -> None:
    """The config string (from --config or a session) reaches the status, the panel and the
    session dialog; a CSV path is the part of it a user names freely."""
    name = "[b]x[i]y[link].csv"  # no "=", "," or "/" in a file name
    (tmp_path / name).write_text("1,2,3\n2,3,5\n")
    config = Config(data=str(tmp_path / name))
    async with driving(config) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert name in shown(app, "#config-string")
        assert live_links(app) == []
        app.pop_screen()
        every = " ".join(PAYLOADS)  # as a session file's config could hold them
        await app.push_screen(SessionScreen(every, 0, "save"))
        await pilot.pause()
        assert shown(app, "#config-string") == every
        assert live_links(app) == []


# -- the property: every input the app has, one running app for all examples ------------


class AppThread:
    """One app running in its own event loop thread, so that Hypothesis (synchronous)
    can drive it across many examples without paying for an app start each time."""

    def __init__(self, app: RnnTuiApp) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._ready: Future[Pilot[None]] = Future()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._main(),))

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        async with self.app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            self._ready.set_result(pilot)
            await self._stop.wait()

    def __enter__(self) -> AppThread:
        self._thread.start()
        self.pilot = self._ready.result(timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    def run(self, step: Callable[[RnnTuiApp, Pilot[None]], Awaitable[T]]) -> T:
        async def in_app_context() -> T:
            with self.app._context():  # as Textual does for its own tasks
                return await step(self.app, self.pilot)

        future = asyncio.run_coroutine_threadsafe(in_app_context(), self._loop)
        return future.result(timeout=60)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppThread, Path]]:
    folder = tmp_path_factory.mktemp("markup")
    before = Path.cwd()
    os.chdir(folder)  # a relative path typed anywhere lands here, where we can see it
    try:
        with AppThread(RnnTuiApp(PRESETS["seed-linear"].config, "seed-linear")) as thread:
            yield thread, folder
    finally:
        os.chdir(before)


async def _submit_field(app: RnnTuiApp, pilot: Pilot[None], key: str, text: str) -> str:
    field = app.query_one(f"#param-{key}", Input)
    field.value = text
    await field.action_submit()
    await pilot.pause()
    return app.query_one(ParameterPanel).error_text(key)


async def _open(app: RnnTuiApp, pilot: Pilot[None], where: str) -> str:
    """What Open in the session dialog does with the text in its field."""
    app.open_session(where)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return shown(app, "#notice")


async def _links(app: RnnTuiApp, pilot: Pilot[None]) -> list[str]:
    await pilot.pause()
    return live_links(app)


# Each example drives the real app through three inputs (~0.6 s on a loaded machine);
# the session dialog's config string gets every payload at once above.
@pytest.mark.slow
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=markup_like, key=st.sampled_from(TEXT_KEYS))
@example(text="[", key="wx")
@example(text="[@click=app.screenshot('victim.txt','.')]ZZ[/]", key="data")
def test_markup_anywhere_shows_literally_and_runs_nothing(
    running: tuple[AppThread, Path], text: str, key: str
) -> None:
    thread, folder = running

    def field(app: RnnTuiApp, pilot: Pilot[None]) -> Awaitable[str]:
        return _submit_field(app, pilot, key, text)

    error = thread.run(field)
    if key != "data" and text.strip():  # a data path is normalised (Path) before it is quoted
        assert repr(text.strip()) in error or not error
    assert thread.run(_links) == []

    # A file name typed into the session dialog, and a session file's contents.
    notice = thread.run(lambda app, pilot: _open(app, pilot, text))
    assert notice.startswith(f"Could not open {text}:")
    session = folder / "hostile.json"
    session.write_text(
        json.dumps(
            {
                "format": "rnn-tui-session",
                "config": f"data={text}",
                "epoch": 1,
                "preset": text,
                "changes": [{"epoch": 1, "config": text}],
            }
        )
    )
    notice = thread.run(lambda app, pilot: _open(app, pilot, str(session)))
    assert notice.startswith("Could not open")
    assert thread.run(_links) == []
    assert thread.app.is_running
    assert sorted(p.name for p in folder.iterdir()) == ["hostile.json"]
