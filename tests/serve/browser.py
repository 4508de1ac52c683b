"""Headless Chromium driven over the DevTools protocol: open a page, wait, screenshot.

Chromium's own `--screenshot` fires before a websocket app has drawn anything,
so the test waits on the page's state instead (bounded in time). In CI (CI=true)
a missing Chromium fails the test instead of skipping it: .ci/run installs one.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip
# Collects the page's Content-Security-Policy violations from its first script on.
CSP_LISTENER = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));"""


def chromium() -> str | None:
    return next((path for name in NAMES if (path := shutil.which(name))), None)


def require_chromium() -> None:
    if chromium() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing in CI: .ci/run should have installed it")
        pytest.skip("needs Chromium")


class Browser:
    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.proc: asyncio.subprocess.Process | None = None
        self.port = 0
        self._http: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Browser:
        binary = chromium()
        assert binary is not None
        self.proc = await asyncio.create_subprocess_exec(
            binary, *FLAGS,
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            f"--user-data-dir={self.profile}", "--window-size=1000,700", "about:blank",
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        assert self.proc.stderr is not None
        async with asyncio.timeout(30):
            while not self.port:
                line = (await self.proc.stderr.readline()).decode()
                assert line, "Chromium exited before listening"
                if found := re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line):
                    self.port = int(found.group(1))
        self._http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._http is not None:
            await self._http.close()
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def open(self, url: str) -> Page:
        """A new tab: listening for CSP violations first, then loading `url`."""
        assert self._http is not None
        async with self._http.put(f"http://127.0.0.1:{self.port}/json/new?about:blank") as new:
            target = await new.json()
        page = Page(await self._http.ws_connect(target["webSocketDebuggerUrl"]))
        await page.call("Page.enable")
        await page.call("Page.addScriptToEvaluateOnNewDocument", source=CSP_LISTENER)
        await page.call("Page.navigate", url=url)
        return page


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        await self.ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        async for message in self.ws:  # events may come first
            reply = json.loads(message.data)
            if reply.get("id") == ident:
                return dict(reply.get("result", {}))
        raise AssertionError(f"no reply to {method}")

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout):
            while not await self.evaluate(expression):
                await asyncio.sleep(0.2)

    async def csp_violations(self) -> list[str]:
        return list(await self.evaluate("window.__csp") or [])

    async def screenshot(self, path: Path) -> bytes:
        result = await self.call("Page.captureScreenshot", format="png")
        png = base64.b64decode(result["data"])
        path.write_bytes(png)
        return png
