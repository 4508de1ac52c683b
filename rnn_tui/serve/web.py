"""`rnn-tui web`: the app in a browser, one app process per tab.

The browser side is textual-serve's (its textual.js and the static files it ships);
the server side is ours: it checks every request (web_guard), starts each tab's app
through web_app and ends it with the tab. textual-serve's own page asks Google Fonts
for Roboto Mono, which fails in a classroom without internet (and tells a third
party who opened the page). The page here loads the same font from the files
textual-serve ships under /static, so the route works offline. Its URLs follow the
address the browser used (already checked against the allowed names).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import socket
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import textual_serve
from aiohttp import WSCloseCode, WSMsgType, web

from . import defaults
from .app_entry import NO_FILES_ENV, SERVED_ENV
from .child import HANGUP_GRACE, TermSize, app_command, served_child_env
from .class_hub import ChannelEnd
from .lifecycle import close_when_stopped, log_serving, stop_on_signals
from .limits import ChildLimits
from .session_args import Experiment
from .throttle import FailureBudget, ThrottleSettings
from .web_app import WebApp, requested_size, web_app_env
from .web_guard import HostCheck, SignIn, add_security_headers, guard

log = logging.getLogger("rnn_tui.serve")

WEB_STUDENT = "web"  # a tab's name in the class (web, web#2, ...): no user name on the web
TEXTUAL_SERVE_STATIC = Path(textual_serve.__file__).parent / "static"
ASSETS = Path(__file__).with_name("web_assets")
MAX_MESSAGE = 64 * 1024  # a websocket message from a tab: keys, a resize, a ping
MAX_BODY = 16 * 1024  # the sign-in form

PAGE = string.Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rnn-tui</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<link rel="stylesheet" href="/assets/page.css">
<link rel="preload" href="/static/fonts/RobotoMono-VariableFont_wght.ttf" as="font"
      type="font/ttf" crossorigin>
<script src="/static/js/textual.js"></script>
<script src="/assets/page.js" defer></script>
</head>
<body>
<div id="starting" class="notice"><p>Starting rnn-tui&hellip;</p>
  <button id="start" type="button">Start</button></div>
<div id="ended" class="notice"><p>Session ended.</p>
  <button id="again" type="button">Start again</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="$websocket_url"
     data-font-size="$font_size"></div>
</body>
</html>
""")


@dataclass(frozen=True)
class WebSettings:
    experiment: Experiment = field(default_factory=lambda: Experiment(None, None))
    host: str = defaults.HOST
    port: int = defaults.WEB_PORT
    allow_hosts: tuple[str, ...] = ()
    max_sessions: int = defaults.MAX_SESSIONS
    password: str | None = None
    no_auth: bool = False
    files: bool = False  # whether the apps may read data files (this machine's)
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)
    hangup_grace: float = HANGUP_GRACE
    fps: int = defaults.FPS
    limits: ChildLimits = field(default_factory=ChildLimits)
    sessions_dir: Path | None = None  # the teacher's read-only folder of named sessions
    command: Callable[[Experiment], list[str]] = app_command
    # Inside `rnn-tui serve --web PORT`: each tab's end of a student channel to the class
    # hub, by the name the tab is shown under (None: that tab runs alone).
    class_channel: Callable[[str], ChannelEnd | None] | None = None


class ClassroomWeb:
    """The web route: start() on a socket, close() ends every tab's app."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.sign_in = SignIn(
            settings.password, FailureBudget(settings.throttle), required=not settings.no_auth
        )
        self.tabs: set[asyncio.Task[object]] = set()  # one handler task per open tab
        self.apps: dict[int, WebApp] = {}  # by pid, while alive or not yet reaped
        self.port = settings.port
        self._runner: web.AppRunner | None = None

    @property
    def active(self) -> int:
        return len(self.tabs)

    def make_app(self) -> web.Application:
        hosts = HostCheck(self.settings.host.lower(), self.port, self.settings.allow_hosts)
        app = web.Application(middlewares=[guard(hosts, self.sign_in)], client_max_size=MAX_BODY)
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws", self.handle_websocket),
                web.static("/static", TEXTUAL_SERVE_STATIC),
                web.static("/assets", ASSETS),
            ]
        )
        app.on_response_prepare.append(add_security_headers)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.settings.host else socket.AF_INET
        sock = socket.create_server((self.settings.host, self.settings.port), family=family)
        self.port = sock.getsockname()[1]  # port 0 (tests): the one the system chose
        self._runner = web.AppRunner(self.make_app(), access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def link(self) -> str:
        host = self.settings.host
        host = "HOST" if host in ("0.0.0.0", "::") else f"[{host}]" if ":" in host else host
        url = f"http://{host}:{self.port}/"
        return url if self.settings.no_auth else f"{url}?token={self.sign_in.token}"

    async def handle_index(self, request: web.Request) -> web.Response:
        scheme = "wss" if request.secure else "ws"
        font_size = request.query.get("fontsize", "16")
        page = PAGE.substitute(
            websocket_url=html.escape(f"{scheme}://{request.host}/ws", quote=True),
            font_size=font_size if font_size.isdigit() and len(font_size) < 3 else "16",
        )
        return web.Response(text=page, content_type="text/html")

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        # A full class gets a plain 503 response instead of a websocket.
        if self.active >= self.settings.max_sessions:
            log.info("refused %s: all %d tabs in use", request.remote, self.settings.max_sessions)
            return web.Response(status=503, text="The class is full right now; try again soon.")
        task = asyncio.current_task()
        assert task is not None
        self.tabs.add(task)  # the seat is taken until the app is reaped, below
        try:
            return await self._run_tab(request)
        finally:
            self.tabs.discard(task)
            log.info("tab closed from %s (%d open)", request.remote, self.active)

    async def _run_tab(self, request: web.Request) -> web.WebSocketResponse:
        size = requested_size(request.query.get("width", 80), request.query.get("height", 24))
        # timeout: how long a close waits for the browser's answer (a gone one never does).
        websocket = web.WebSocketResponse(heartbeat=15, timeout=1.0, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        argv = self.settings.command(self.settings.experiment)
        try:
            app = await self._spawn(argv, self._env(size))
        except OSError as error:  # out of processes or descriptors: this tab only
            log.warning("tab from %s: cannot start the app: %s", request.remote, error)
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER)
            return websocket
        self.apps[app.pid] = app
        log.info("tab opened from %s pid=%d (%d open)", request.remote, app.pid, self.active)
        relay = asyncio.create_task(_relay(app, websocket))
        receive = asyncio.create_task(_receive(websocket, app))
        try:
            await asyncio.wait({relay, receive}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            relay.cancel()
            receive.cancel()
            await asyncio.gather(relay, receive, return_exceptions=True)
            # Shielded: a cancelled handler (server stopping) still reaps its app.
            await asyncio.shield(app.stop(self.settings.hangup_grace))
            del self.apps[app.pid]
            with contextlib.suppress(ConnectionError):
                await websocket.close()
        return websocket

    async def _spawn(self, argv: list[str], env: dict[str, str]) -> WebApp:
        """The tab's app, a student of the class when this route serves one."""
        opened = self.settings.class_channel
        channel = None if opened is None else opened(WEB_STUDENT)
        if channel is None:
            return await WebApp.spawn(argv, env)
        try:
            return await WebApp.spawn(argv, env | channel.env(), pass_fds=(channel.fd,))
        finally:
            channel.close()  # the app holds its own copy

    def _env(self, size: TermSize) -> dict[str, str]:
        settings = self.settings
        extra = {
            SERVED_ENV: "web",
            NO_FILES_ENV: "0" if settings.files else "1",
            **settings.limits.served_env(settings.fps, settings.sessions_dir),
        }
        return web_app_env(served_child_env("xterm-256color", None, extra), size)

    async def _on_shutdown(self, app: web.Application) -> None:
        # Ctrl+C: without this aiohttp waits up to a minute for open tabs.
        for task in list(self.tabs):
            task.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)


async def _relay(app: WebApp, websocket: web.WebSocketResponse) -> None:
    """The app's frames to the browser; a slow browser holds back its own app only."""
    with contextlib.suppress(ConnectionError):
        async for frame in app.frames():
            await websocket.send_bytes(frame)


async def _receive(websocket: web.WebSocketResponse, app: WebApp) -> None:
    """The browser's messages to the app, checked one by one; anything else is dropped."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not (isinstance(envelope, list) and len(envelope) == 2):
            continue
        kind, data = envelope
        if kind == "stdin" and isinstance(data, str):
            await app.send_keys(data)
        elif kind == "resize" and isinstance(data, dict):
            await app.resize(requested_size(data.get("width"), data.get("height")))
        elif kind in ("focus", "blur"):
            await app.focus(kind == "focus")
        elif kind == "ping" and isinstance(data, str | int | float):
            await websocket.send_json(["pong", data])


def serve_web(settings: WebSettings) -> None:
    """Serve until Ctrl+C or SIGTERM."""
    asyncio.run(_serve(settings))


async def _serve(settings: WebSettings) -> None:
    server = ClassroomWeb(settings)
    await server.start()
    stop = stop_on_signals()
    log_serving(
        settings.host, server.port, settings.max_sessions, "tabs", server.sign_in.describe()
    )
    # On stdout, not in the log: the link is the class's key.
    print(
        f"rnn-tui web: open {server.link()} in a browser "
        f"(one app per tab, at most {settings.max_sessions}); Ctrl+C stops.",
        flush=True,
    )
    await close_when_stopped(stop, server.close, lambda: f"{server.active} tabs")
