"""Who gets an app from `rnn-tui web`: Host, Origin, sign-in, throttling, headers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

import aiohttp
import pytest

from rnn_tui.serve.throttle import ThrottleSettings
from rnn_tui.serve.web import ClassroomWeb
from rnn_tui.serve.web_guard import HostCheck

from .helpers import PASSWORD
from .web_support import StartWeb, address_of, browser_like, open_tab, origin, read_until, start_web

__all__ = ["start_web"]  # the fixture, used by name


@pytest.mark.parametrize(
    ("bound", "host", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:8001", False),  # another port: another origin
        ("127.0.0.1", "127.0.0.1", False),  # port 80
        ("127.0.0.1", "attacker.example:8000", False),  # DNS rebinding
        ("0.0.0.0", "192.168.1.20:8000", True),  # an address of this machine
        ("0.0.0.0", "attacker.example:8000", False),
        ("0.0.0.0", "teacher-laptop.local:8000", True),  # --allow-host
        ("192.168.1.20", "192.168.1.20:8000", True),
        ("192.168.1.20", "10.0.0.1:8000", False),
        ("127.0.0.1", "127.0.0.1:99999", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", None, False),
    ],
)
def test_host_names_a_browser_may_use(bound: str, host: str | None, allowed: bool) -> None:
    assert HostCheck(bound, 8000, ("teacher-laptop.local",)).allows(host) is allowed


async def sign_in_with(
    server: ClassroomWeb, password: str, source: str = "127.0.0.1"
) -> tuple[int, str]:
    """One browser posting the sign-in form from `source` (any 127/8 address)."""
    address = address_of(server)
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with (
        aiohttp.ClientSession(connector=connector) as http,
        http.post(
            f"http://{address}/sign-in",
            data={"password": password},
            headers=origin(address),
            allow_redirects=False,
        ) as response,
    ):
        return response.status, response.headers.get("Set-Cookie", "")


async def fetch(url: str) -> str:
    async with browser_like() as http, http.get(url) as response:
        return await response.text()


async def test_class_password_gives_the_cookie_wrong_one_nothing(start_web: StartWeb) -> None:
    server = await start_web()
    status, cookie = await sign_in_with(server, "wrong")
    assert (status, cookie) == (401, "")
    status, cookie = await sign_in_with(server, PASSWORD)
    assert status == 303
    assert cookie.startswith(f"rnn_tui_signin={server.sign_in.token};")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


async def test_token_link_leaves_the_address_bar(start_web: StartWeb) -> None:
    server = await start_web()
    link = f"http://{address_of(server)}/?token={server.sign_in.token}"
    async with browser_like() as http:
        for _ in range(2):  # signing in, then opening the link again when signed in
            async with http.get(link) as response:
                assert response.status == 200 and response.url.query_string == ""
                assert [hop.status for hop in response.history] == [303]


async def test_sign_in_from_a_foreign_page_is_refused(start_web: StartWeb) -> None:
    server = await start_web()
    address = address_of(server)
    async with aiohttp.ClientSession() as http:
        for headers in ({"Origin": "http://evil.example"}, {}):
            async with http.post(
                f"http://{address}/sign-in", data={"password": PASSWORD}, headers=headers
            ) as response:
                assert response.status == 403
                assert "Set-Cookie" not in response.headers


async def test_wrong_tries_are_budgeted_per_address_whatever_the_parallelism(
    start_web: StartWeb,
) -> None:
    server = await start_web(throttle=ThrottleSettings(failures_per_address=5, base_delay=0.3))
    statuses = await asyncio.gather(*(sign_in_with(server, f"guess{i}") for i in range(40)))
    # Checked until the address has more than 5 wrong tries; each counted when checked.
    assert sorted(status for status, _ in statuses) == [401] * 6 + [429] * 34
    # Now even the right password is not checked from this address ...
    assert (await sign_in_with(server, PASSWORD))[0] == 429
    # ... but another address signs in, and the token link works for everyone.
    assert (await sign_in_with(server, PASSWORD, source="127.0.0.2"))[0] == 303
    page = await fetch(f"http://{address_of(server)}/?token={server.sign_in.token}")
    assert "data-session-websocket-url" in page


async def test_wrong_tries_are_budgeted_overall(start_web: StartWeb) -> None:
    server = await start_web(
        throttle=ThrottleSettings(failures_per_address=100, failures_global=4, base_delay=0.01)
    )
    for source in ("127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.3", "127.0.0.2"):
        assert (await sign_in_with(server, "guess", source))[0] == 401
    assert (await sign_in_with(server, PASSWORD, "127.0.0.4"))[0] == 429


async def test_every_response_carries_the_security_headers(start_web: StartWeb) -> None:
    server = await start_web()
    address = address_of(server)
    async with browser_like() as http:
        for url, headers, status, referrer in [
            (f"http://{address}/", {}, 401, "same-origin"),  # the sign-in form
            (f"http://{address}/?token={server.sign_in.token}", {}, 200, "no-referrer"),
            (f"http://{address}/static/css/xterm.css", {}, 200, "no-referrer"),
            (f"http://{address}/assets/page.css", {}, 200, "no-referrer"),
            (f"http://{address}/nothing-here", {}, 404, "no-referrer"),
            (f"http://{address}/", {"Host": "evil.example"}, 421, "no-referrer"),
        ]:
            async with http.get(url, headers=headers) as response:
                assert response.status == status, url
                assert response.headers["X-Frame-Options"] == "DENY"
                assert response.headers["X-Content-Type-Options"] == "nosniff"
                assert response.headers["Referrer-Policy"] == referrer
                policy = response.headers["Content-Security-Policy"]
                assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


async def test_token_only_server_shows_how_to_get_in(start_web: StartWeb) -> None:
    server = await start_web(password=None)
    page = await fetch(f"http://{address_of(server)}/")
    assert "?token=" in page and 'name="password"' not in page
    assert (await sign_in_with(server, "")) == (401, "")


async def test_no_auth_still_checks_origin_and_host(start_web: StartWeb) -> None:
    server = await start_web(password=None, no_auth=True)
    address = address_of(server)
    async with aiohttp.ClientSession() as http:
        async with open_tab(http, address) as ws:
            await read_until(ws, r"Epoch 0")
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"ws://{address}/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--no-auth", "--host", "0.0.0.0"], {}, "only accepted on a loopback host"),
        (["--no-auth"], {"RNN_TUI_PASSWORD": "x"}, "cannot be combined with a password"),
        (["--password-file", "/nonexistent"], {}, "cannot read password file"),
    ],
)
def test_unsafe_sign_in_setups_are_refused(
    args: list[str], env: dict[str, str], message: str
) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "rnn_tui", "web", "--port", "1", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env={k: v for k, v in os.environ.items() if k != "RNN_TUI_PASSWORD"} | env,
    )
    assert run.returncode == 2
    assert message in run.stderr and len(run.stderr.strip().splitlines()) == 1
