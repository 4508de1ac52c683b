"""`rnn-tui web`: the app in a browser through textual-serve, one app process per tab.

textual-serve's own page asks Google Fonts for Roboto Mono, which fails in a
classroom without internet (and tells a third party who opened the page). The page
here loads the same font from the files textual-serve ships under /static, so the
route works offline. Its URLs follow the address the browser used, so the page
also works when the server listens on 0.0.0.0 or behind a name.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import shlex
import string
import sys

from aiohttp import web
from textual_serve.server import Server

from . import defaults
from .app_entry import NO_FILES_ENV
from .session_args import Experiment

log = logging.getLogger("rnn_tui.serve")


PAGE = string.Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<link rel="preload" href="/static/fonts/RobotoMono-VariableFont_wght.ttf" as="font"
      type="font/ttf" crossorigin>
<style>
  @font-face { font-family: "Roboto Mono"; font-weight: 100 700;
    src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
  @font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
    src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
  body { margin: 0; background: #0c181f; color: #eee; font-family: "Roboto Mono", monospace; }
  .notice { position: absolute; inset: 0; display: flex; align-items: center;
    justify-content: center; flex-direction: column; z-index: 10; }
  body.-first-byte #starting, #ended, #start { display: none; }
  body.-closed #ended { display: flex; background: #0c181f; }
  .textual-terminal { opacity: 0; }
  body.-first-byte .textual-terminal { opacity: 1; }
  button { font: inherit; padding: 0.8em 2em; margin: 1em; cursor: pointer; }
</style>
<script src="/static/js/textual.js"></script>
</head>
<body>
<div id="starting" class="notice"><p>Starting $title&hellip;</p>
  <button id="start" type="button" onclick="location.reload()">Start</button></div>
<div id="ended" class="notice"><p>Session ended.</p>
  <button type="button" onclick="location.reload()">Start again</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="$websocket_url"
     data-font-size="$font_size"></div>
</body>
</html>
""")


def web_command(experiment: Experiment) -> str:
    # textual-serve runs its command through a shell, so every word is quoted.
    return shlex.join([sys.executable, "-m", "rnn_tui.serve.app_entry", *experiment.argv()])


class ClassroomWebServer(Server):
    """textual-serve with an offline page and a cap on concurrent tabs."""

    def __init__(
        self,
        experiment: Experiment,
        host: str,
        port: int,
        max_sessions: int = defaults.MAX_SESSIONS,
    ) -> None:
        super().__init__(web_command(experiment), host=host, port=port, title="rnn-tui")
        self.max_sessions = max_sessions
        self.tabs: set[asyncio.Task[object]] = set()  # one handler task per open tab

    @property
    def active(self) -> int:
        return len(self.tabs)

    async def handle_index(self, request: web.Request) -> web.Response:
        scheme = "wss" if request.secure else "ws"
        font_size = request.query.get("fontsize", "16")
        page = PAGE.substitute(
            title=html.escape(self.title),
            websocket_url=html.escape(f"{scheme}://{request.host}/ws", quote=True),
            font_size=font_size if font_size.isdigit() and len(font_size) < 3 else "16",
        )
        return web.Response(text=page, content_type="text/html")

    # A full class gets a plain 503 response instead of a websocket.
    async def handle_websocket(  # type: ignore[override]
        self, request: web.Request
    ) -> web.StreamResponse:
        if self.active >= self.max_sessions:
            log.info("refused %s: all %d tabs in use", request.remote, self.max_sessions)
            return web.Response(status=503, text="The class is full right now; try again soon.")
        task = asyncio.current_task()
        assert task is not None
        self.tabs.add(task)
        log.info("tab opened from %s (%d open)", request.remote, self.active)
        try:
            response: web.StreamResponse = await super().handle_websocket(request)
            return response
        finally:
            self.tabs.discard(task)
            log.info("tab closed from %s (%d open)", request.remote, self.active)

    async def on_shutdown(self, app: web.Application) -> None:
        # Ctrl+C: without this aiohttp waits up to a minute for open tabs. Cancelling a
        # tab's handler makes textual-serve close its websocket and tell its app to quit.
        for task in list(self.tabs):
            task.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        print(
            f"rnn-tui web: open http://{self.host}:{self.port}/ in a browser "
            f"(one app per tab, at most {self.max_sessions}); Ctrl+C stops.",
            flush=True,
        )


def serve_web(experiment: Experiment, host: str, port: int, max_sessions: int, files: bool) -> None:
    """Serve until Ctrl+C; `files`: whether the apps may read data files (this machine's)."""
    # Inherited by every tab's app: one BLAS thread each, and a hint that it is served.
    os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", RNN_TUI_SERVED="web")
    if not files:
        os.environ[NO_FILES_ENV] = "1"
    ClassroomWebServer(experiment, host, port, max_sessions).serve()
