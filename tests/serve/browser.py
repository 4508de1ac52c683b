"""Headless Chromium driven over the DevTools protocol: open a page, wait, screenshot.

Chromium's own `--screenshot` fires before a websocket app has drawn anything,
so the test waits on the page's state instead (bounded in time).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")


def chromium() -> str | None:
    return next((path for name in NAMES if (path := shutil.which(name))), None)


class Browser:
    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.proc: asyncio.subprocess.Process | None = None
        self.port = 0

    async def __aenter__(self) -> Browser:
        binary = chromium()
        assert binary is not None
        self.proc = await asyncio.create_subprocess_exec(
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
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
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def open(self, url: str) -> Page:
        async with aiohttp.ClientSession() as http:
            new = f"http://127.0.0.1:{self.port}/json/new?{url}"
            async with http.put(new) as response:
                target = await response.json()
        return Page(target["webSocketDebuggerUrl"])


class Page:
    def __init__(self, ws_url: str) -> None:
        self.ws_url = ws_url
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        async with aiohttp.ClientSession() as http, http.ws_connect(self.ws_url) as ws:
            ident = next(self._ids)
            await ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
            async for message in ws:
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

    async def screenshot(self, path: Path) -> None:
        result = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))
