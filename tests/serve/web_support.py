"""Shared by the web tests: an in-process `rnn-tui web` server on a free loopback port
(the stand-in app by default), a signed-in aiohttp client, and screen reading."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from rnn_tui.serve.session_args import Experiment
from rnn_tui.serve.web import ClassroomWeb, WebSettings

from .helpers import PASSWORD, loopback_settings, started_servers, text_of

STAND_IN_WEB = Path(__file__).with_name("stand_in_web_app.py")

WebSocket = aiohttp.ClientWebSocketResponse
StartWeb = Callable[..., Awaitable[ClassroomWeb]]


def stand_in_web(*flags: str) -> Callable[[Experiment], list[str]]:
    return lambda experiment: [sys.executable, str(STAND_IN_WEB), *flags, *experiment.argv()]


@pytest.fixture
async def start_web() -> AsyncIterator[StartWeb]:
    """start_web(**WebSettings fields) -> a running server; the stand-in app by default."""

    def build(**overrides: Any) -> ClassroomWeb:
        fields = loopback_settings(password=PASSWORD, command=stand_in_web())
        return ClassroomWeb(WebSettings(**(fields | overrides)))

    async with started_servers(build, lambda server: server.apps) as start:
        yield start


def origin(address: str) -> dict[str, str]:
    return {"Origin": f"http://{address}"}


def browser_like(**options: Any) -> aiohttp.ClientSession:
    """A client that keeps cookies for an IP address, as a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), **options)


@contextlib.asynccontextmanager
async def signed_in(address: str, token: str) -> AsyncIterator[aiohttp.ClientSession]:
    """A client holding the sign-in cookie, got through the token link."""
    async with browser_like() as http:
        async with http.get(f"http://{address}/?token={token}") as response:
            assert response.status == 200
            assert "data-session-websocket-url" in await response.text()
        yield http


def open_tab(
    http: aiohttp.ClientSession, address: str, query: str = ""
) -> aiohttp.client._WSRequestContextManager:
    return http.ws_connect(f"ws://{address}/ws{query}", headers=origin(address))


async def read_until(ws: aiohttp.ClientWebSocketResponse, pattern: str) -> str:
    """The tab's screen up to the first match of `pattern` (ANSI codes removed)."""
    raw = b""
    async with asyncio.timeout(30):
        while not re.search(pattern, text := text_of(raw), re.IGNORECASE):
            message = await ws.receive()
            # Screen bytes only: text messages would be the app asking the browser to
            # open a URL or download a file, which the server must not pass on.
            assert message.type == aiohttp.WSMsgType.BINARY, message
            raw += message.data
    return text


def address_of(server: ClassroomWeb) -> str:
    return f"127.0.0.1:{server.port}"


@contextlib.asynccontextmanager
async def tab(server: ClassroomWeb, query: str = "") -> AsyncIterator[WebSocket]:
    """A signed-in browser tab's websocket."""
    address = address_of(server)
    token = server.sign_in.token
    async with signed_in(address, token) as http, open_tab(http, address, query) as ws:
        yield ws
