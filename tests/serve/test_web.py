"""`rnn-tui web` as a browser sees it, started as a teacher would: the page, its
files, a websocket app session, and what a foreign page or a student may not do."""

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
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from rnn_tui.serve import defaults

from .browser import Browser, require_chromium
from .helpers import PASSWORD, free_port, listening
from .web_support import open_tab, origin, read_until, signed_in

EPOCH_0 = r"\bepoch\W{0,3}0\b"


@dataclass
class RunningWeb:
    proc: subprocess.Popen[str]
    address: str
    token: str


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


def start_rnn_tui_web(log: Path) -> Iterator[RunningWeb]:
    """`rnn-tui web` as a teacher starts it (class password set), ended afterwards."""
    port = free_port()
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rnn_tui", "web", "--port", str(port), "--max-sessions", "1"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=os.environ | {"RNN_TUI_PASSWORD": PASSWORD},
        )
    try:
        assert proc.stdout is not None
        announced = proc.stdout.readline()  # printed once listening
        assert proc.poll() is None and listening(port), log.read_text()
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=([\w-]+)", announced)
        assert found, announced
        yield RunningWeb(proc, f"127.0.0.1:{port}", found.group(1))
    finally:
        for pid in children_of(proc.pid):  # tabs' apps, should the server not end them
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def shared_web_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningWeb]:
    yield from start_rnn_tui_web(tmp_path_factory.mktemp("web") / "server.log")


@pytest.fixture
def web_server(shared_web_server: RunningWeb) -> RunningWeb:
    """The module's server (one start saved per test), its one seat free again."""
    deadline = time.monotonic() + 15
    while children_of(shared_web_server.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert shared_web_server.proc.poll() is None
    return shared_web_server


@pytest.fixture
def own_web_server(tmp_path: Path) -> Iterator[RunningWeb]:
    """A server of the test's own, for a test that stops it."""
    yield from start_rnn_tui_web(tmp_path / "server.log")


async def test_page_works_offline(web_server: RunningWeb) -> None:
    address = web_server.address
    async with signed_in(address, web_server.token) as http:
        async with http.get(f"http://{address}/") as response:
            assert response.status == 200
            page = await response.text()
        assert f'data-session-websocket-url="ws://{address}/ws"' in page
        # Nothing from the internet: every script, sheet and font is served from here.
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
        assert "googleapis" not in page
        assets = re.findall(r"""(?:src|href)=["'](/(?:static|assets)/[^"']+)""", page)
        for asset in [*assets, "/static/fonts/RobotoMono-VariableFont_wght.ttf"]:
            async with http.get(f"http://{address}{asset}") as response:
                assert response.status == 200, asset


async def test_websocket_session_renders_the_app(web_server: RunningWeb) -> None:
    pytest.importorskip("rnn_tui.ui.app")
    server, address = web_server.proc, web_server.address
    query = "?width=80&height=24"
    async with signed_in(address, web_server.token) as http, open_tab(http, address, query) as ws:
        await read_until(ws, EPOCH_0)
        await ws.send_json(["stdin", " "])
        await read_until(ws, r"\bepoch\W{0,3}1\b")
        # One tab per seat here (--max-sessions 1): a second tab is turned away.
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await open_tab(http, address)
        assert refused.value.status == 503
        assert len(children_of(server.pid)) == 1
    # Closing the tab ends its app.
    deadline = time.monotonic() + 15
    while children_of(server.pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert children_of(server.pid) == []


async def test_foreign_pages_and_strangers_get_nothing(web_server: RunningWeb) -> None:
    server, address = web_server.proc, web_server.address
    ws_url = f"ws://{address}/ws"
    async with aiohttp.ClientSession() as stranger:
        # Not signed in: the sign-in form instead of the app, nothing else at all.
        async with stranger.get(f"http://{address}/") as response:
            assert response.status == 401
            assert 'name="password"' in await response.text()
            assert response.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        for path in ("/static/js/textual.js", "/assets/page.js"):
            async with stranger.get(f"http://{address}{path}") as response:
                assert response.status == 401, path
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await stranger.ws_connect(ws_url, headers=origin(address))
        assert refused.value.status == 401
    async with signed_in(address, web_server.token) as http:
        # A page elsewhere (or on another port of this machine) drives no app, even in
        # a browser holding the cookie; nor does a rebound name for this address.
        for headers, status in [
            ({"Origin": "http://evil.example"}, 403),
            (origin("127.0.0.1:1"), 403),
            ({}, 403),
            (origin(address) | {"Host": f"evil.example:{address.split(':')[1]}"}, 421),
        ]:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(ws_url, headers=headers)
            assert refused.value.status == status, headers
        assert children_of(server.pid) == []
        # A huge window is clamped like over SSH; the app sees none of the server's secrets.
        async with open_tab(http, address, "?width=10000&height=10000") as ws:
            await ws.receive()
            [app] = children_of(server.pid)
            environ = Path(f"/proc/{app}/environ").read_bytes().split(b"\0")
            assert b"COLUMNS=1000" in environ and b"ROWS=1000" in environ
            assert not [line for line in environ if line.startswith(b"RNN_TUI_PASSWORD=")]
            assert f"RNN_TUI_MAX_MEMORY_MB={defaults.MEMORY_MB}".encode() in environ


@pytest.mark.slow
async def test_headless_chromium_shows_the_app(web_server: RunningWeb, tmp_path: Path) -> None:
    require_chromium()
    pytest.importorskip("rnn_tui.ui.app")
    async with Browser(tmp_path / "profile") as browser:
        page = await browser.open(f"http://{web_server.address}/?token={web_server.token}")
        # textual.js marks the body once the app's first bytes have arrived.
        await page.wait_for("document.body.classList.contains('-first-byte')")
        assert await page.evaluate("location.search") == ""  # the token left the address bar
        # The first frame paints a moment later: a blank canvas makes a PNG of ~3 KB,
        # the app's screen one of ~75 KB.
        async with asyncio.timeout(20):
            while len(await page.screenshot(tmp_path / "tab.png")) < 10_000:
                await asyncio.sleep(0.5)
        assert await page.csp_violations() == []


async def test_headless_chromium_signs_in_with_the_class_password(
    web_server: RunningWeb, tmp_path: Path
) -> None:
    require_chromium()
    async with Browser(tmp_path / "profile") as browser:
        page = await browser.open(f"http://{web_server.address}/")
        await page.wait_for("!!document.querySelector('input[name=password]')")
        await page.evaluate(
            f"document.querySelector('input[name=password]').value = {PASSWORD!r};"
            "document.querySelector('form').submit()"
        )
        await page.wait_for("document.body.classList.contains('-first-byte')")
        assert await page.csp_violations() == []


async def test_ctrl_c_ends_open_tabs_apps(own_web_server: RunningWeb) -> None:
    pytest.importorskip("rnn_tui.ui.app")
    server, address = own_web_server.proc, own_web_server.address
    async with signed_in(address, own_web_server.token) as http, open_tab(http, address) as ws:
        await read_until(ws, EPOCH_0)
        apps = children_of(server.pid)
        server.send_signal(signal.SIGINT)
        async with asyncio.timeout(30):
            while not ws.closed:  # reading answers the server's close handshake
                await ws.receive()
        returncode = await asyncio.to_thread(server.wait, 30)
    assert returncode == 0
    assert [pid for pid in apps if os.path.exists(f"/proc/{pid}")] == []
