"""What the SSH and the web server share between start and close: the line that says
they are serving, and waiting for Ctrl+C or SIGTERM to close them."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable

log = logging.getLogger("rnn_tui.serve")


def stop_on_signals() -> asyncio.Event:
    """An event Ctrl+C (SIGINT) or SIGTERM sets; call it as soon as the server runs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


def log_serving(host: str, port: int, most: int, seats: str, sign_in: str) -> None:
    log.info("serving on %s:%d, at most %d %s, sign-in: %s", host, port, most, seats, sign_in)


async def close_when_stopped(
    stop: asyncio.Event, close: Callable[[], Awaitable[None]], closing: Callable[[], str]
) -> None:
    """Wait for ``stop``, then log ``closing()`` (what is left at that moment) and close."""
    try:
        await stop.wait()
    finally:
        log.info("stopping: closing %s", closing())
        await close()
