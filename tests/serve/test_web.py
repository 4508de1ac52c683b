"""`rnn-tui web` as a browser sees it: the page, its files, and a websocket app session."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from .browser import Browser, chromium
from .helpers import free_port, listening, text_of

EPOCH_0 = r"\bepoch\W{0,3}0\b"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def web_server() -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rnn_tui", "web", "--port", str(port), "--max-sessions", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not listening(port) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[1]
        yield proc, f"127.0.0.1:{port}"
    finally:
        for pid in children_of(proc.pid):  # tabs' apps, should the server not end them
            with_kill(pid)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def with_kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


async def test_page_works_offline(web_server: tuple[subprocess.Popen[str], str]) -> None:
    _, address = web_server
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://{address}/") as response:
            assert response.status == 200
            page = await response.text()
        assert f'data-session-websocket-url="ws://{address}/ws"' in page
        # Nothing from the internet: every script, sheet and font is served from here.
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
        assert "googleapis" not in page
        assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)""", page)
        for asset in [*assets, "/static/fonts/RobotoMono-VariableFont_wght.ttf"]:
            async with http.get(f"http://{address}{asset}") as response:
                assert response.status == 200, asset


async def test_websocket_session_renders_the_app(
    web_server: tuple[subprocess.Popen[str], str],
) -> None:
    pytest.importorskip("rnn_tui.ui.app")
    server, address = web_server
    url = f"ws://{address}/ws?width=80&height=24"
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        screen = await _read_until(ws, b"", EPOCH_0)
        await ws.send_json(["stdin", " "])
        await _read_until(ws, screen, r"\bepoch\W{0,3}1\b")
        # One tab per seat here (--max-sessions 1): a second tab is turned away.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"ws://{address}/ws")
        assert refused.value.status == 503
        assert len(children_of(server.pid)) == 1
    # Closing the tab ends its app.
    deadline = time.monotonic() + 15
    while children_of(server.pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert children_of(server.pid) == []


async def _read_until(ws: aiohttp.ClientWebSocketResponse, seen: bytes, pattern: str) -> bytes:
    raw = b""
    async with asyncio.timeout(30):
        while not re.search(pattern, text_of(raw), re.IGNORECASE):
            message = await ws.receive()
            assert message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), message
            if message.type == aiohttp.WSMsgType.BINARY:
                raw += message.data
    return seen + raw


@pytest.mark.skipif(chromium() is None, reason="needs Chromium")
async def test_headless_chromium_shows_the_app(
    web_server: tuple[subprocess.Popen[str], str], tmp_path: Path
) -> None:
    pytest.importorskip("rnn_tui.ui.app")
    _, address = web_server
    async with Browser(tmp_path / "profile") as browser:
        page = await browser.open(f"http://{address}/")
        # textual.js marks the body once the app's first bytes have arrived.
        await page.wait_for("document.body.classList.contains('-first-byte')")
        await asyncio.sleep(1.0)  # let the first frame paint
        await page.screenshot(tmp_path / "tab.png")
    assert (tmp_path / "tab.png").stat().st_size > 10_000


async def test_ctrl_c_ends_open_tabs_apps(web_server: tuple[subprocess.Popen[str], str]) -> None:
    pytest.importorskip("rnn_tui.ui.app")
    server, address = web_server
    async with aiohttp.ClientSession() as http, http.ws_connect(f"ws://{address}/ws") as ws:
        await _read_until(ws, b"", EPOCH_0)
        apps = children_of(server.pid)
        server.send_signal(signal.SIGINT)
        async with asyncio.timeout(30):
            while not ws.closed:  # reading answers the server's close handshake
                await ws.receive()
        returncode = await asyncio.to_thread(server.wait, 30)
    assert returncode == 0
    assert [pid for pid in apps if os.path.exists(f"/proc/{pid}")] == []
