"""Who may use `rnn-tui web`: the right Host, the same Origin, a signed-in browser.

- Host must name this server (its --host, an --allow-host name, a loopback name, or
  any IP address when it listens on all of them): a web page that re-points its own
  name at this machine (DNS rebinding) is refused.
- A request that carries an Origin must come from this server's own pages; the
  websocket and every POST must carry one. A page the teacher has open elsewhere
  cannot drive an app.
- Every route but the sign-in form needs the sign-in cookie, given for the class
  password or for the token link printed at start. `--no-auth` (loopback only)
  skips this step, not the two above.
- Every response forbids framing, sniffing, referrers and foreign content.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import ipaddress
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web

from .auth import is_loopback
from .throttle import FailureBudget

log = logging.getLogger("rnn_tui.serve")

COOKIE = "rnn_tui_signin"
SIGN_IN_PATH = "/sign-in"
SECURITY_HEADERS = {
    # Scripts, fonts, sockets: this server's only. Inline style is allowed because
    # xterm.js writes its theme into <style> elements at run time (a blocked theme
    # leaves the terminal black); no inline script runs.
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
WILDCARDS = ("0.0.0.0", "::", "")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class HostCheck:
    """The names a browser may use for this server (its Host header)."""

    bound: str
    port: int
    extra_names: tuple[str, ...] = ()

    def allows(self, host_header: str | None) -> bool:
        try:
            url = urlsplit(f"//{host_header or ''}")
            name, port = url.hostname, url.port or 80
        except ValueError:
            return False
        if not name or port != self.port:
            return False
        name = name.rstrip(".")
        if is_loopback(name) or name in (self.bound.lower(), *self.extra_names):
            return True
        # An IP literal cannot be re-pointed by a foreign page's DNS.
        return self.bound in WILDCARDS and _is_ip(name)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass
class SignIn:
    """The class password and the token link; both give the same cookie."""

    password: str | None
    budget: FailureBudget
    required: bool = True
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def describe(self) -> str:
        if not self.required:
            return "none (--no-auth: anyone on this machine may connect)"
        return "the token link" + (" or the class password" if self.password else "")

    def has_cookie(self, request: web.Request) -> bool:
        return _matches(request.cookies.get(COOKIE), self.token)

    def signed_in(self, response: web.StreamResponse) -> web.StreamResponse:
        response.set_cookie(COOKIE, self.token, httponly=True, samesite="Lax", path="/")
        return response

    async def handle_token(self, request: web.Request, token: str) -> web.StreamResponse:
        if _matches(token, self.token):
            # Off the address bar at once: it may be on a projected screen.
            return self.signed_in(_see_other("/"))
        return await self._wrong(request, "That link has expired: ask for the new one.")

    async def handle_form(self, request: web.Request) -> web.StreamResponse:
        address = request.remote or "?"
        form = await request.post()
        # From here to the count in _wrong nothing awaits: parallel tries cannot all
        # pass the budget check before any of them is counted.
        if self._spent(address):
            log.info("sign-in from %s refused: too many wrong tries", address)
            window = self.budget.settings.window
            return self.page(
                f"Too many wrong tries: wait up to {window:.0f} s, "
                "or use the link your teacher shows.",
                status=429,
                headers={"Retry-After": f"{window:.0f}"},
            )
        attempt = form.get("password")
        if isinstance(attempt, str) and self.password and _matches(attempt, self.password):
            log.info("signed in from %s with the class password", address)
            return self.signed_in(_see_other("/"))
        return await self._wrong(request, "Wrong password.")

    async def _wrong(self, request: web.Request, message: str) -> web.StreamResponse:
        address = request.remote or "?"
        delay = self.budget.failed(address)  # counted now, before the slow reply
        log.info("wrong sign-in from %s", address)
        await asyncio.sleep(delay)
        return self.page(message, status=401)

    def _spent(self, address: str) -> bool:
        # Over HTTP any number of tries can be in flight at once, so slowing replies
        # alone would not bound guessing (a fast reply would mean a right guess):
        # beyond either budget, tries are not checked at all.
        budget = self.budget
        return budget.over_budget(address) or budget.recent > budget.settings.failures_global

    def page(
        self, message: str = "", status: int = 401, headers: dict[str, str] | None = None
    ) -> web.Response:
        if self.password is None:
            form = "<p>Open the link your teacher shows (it ends in <code>?token=…</code>).</p>"
        else:
            form = (
                f'<form method="post" action="{SIGN_IN_PATH}">'
                '<label>Class password <input type="password" name="password" autofocus '
                'autocomplete="current-password"></label> <button>Sign in</button></form>'
            )
        notice = f'<p role="alert">{html.escape(message)}</p>' if message else ""
        # Under no-referrer a browser posts the form with `Origin: null`, which the
        # Origin check refuses; same-origin still sends nothing to other sites.
        return web.Response(
            text=SIGN_IN_PAGE.format(notice=notice, form=form),
            status=status,
            content_type="text/html",
            headers={"Referrer-Policy": "same-origin", **(headers or {})},
        )


SIGN_IN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rnn-tui: sign in</title></head>
<body><h1>rnn-tui</h1>{notice}{form}</body></html>
"""


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _matches(given: str | None, secret: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), secret.encode())


def own_origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}".lower()


def guard(hosts: HostCheck, sign_in: SignIn) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not hosts.allows(request.host):
            log.info("refused %s: unknown Host %r", request.remote, request.host)
            return web.Response(status=421, text="Unknown host name.")
        origin = request.headers.get("Origin")
        needs_origin = request.method not in ("GET", "HEAD") or request.path == "/ws"
        if (origin is None and needs_origin) or (
            origin is not None and origin.lower() != own_origin(request)
        ):
            log.info("refused %s %s: Origin %r", request.remote, request.path, origin)
            return web.Response(status=403, text="Cross-site request refused.")
        if not sign_in.required or sign_in.has_cookie(request):
            if request.path == SIGN_IN_PATH or (request.path == "/" and "token" in request.query):
                return _see_other("/")  # nothing to sign in to; the token off the screen
            return await handler(request)
        if request.path == SIGN_IN_PATH and request.method == "POST":
            return await sign_in.handle_form(request)
        if request.path == "/" and (token := request.query.get("token")) is not None:
            return await sign_in.handle_token(request, token)
        if request.path in ("/", SIGN_IN_PATH):
            return sign_in.page()
        return web.Response(status=401, text="Sign in first.")

    return middleware


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
