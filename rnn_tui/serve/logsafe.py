"""The serving log: one line per event, never forged, never a flood.

Client text reaches the log (user names, a DISCONNECT reason, a forwarding host,
a `data=` value, a web path): escape sequences in it could recolour or clear the
teacher's terminal, and a newline could forge a whole log line. The filter here
formats each message and shows every non-printable character as an escape
(``\\x1b``, ``\\n``). It also caps repeated lines: more than `per_second` lines of
one template within a second are dropped and counted, and the next line of that
template says how many were dropped.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

# A logger's filter sees only records made at that very logger, so aiohttp's are named.
LOGGERS = ("rnn_tui.serve", "asyncssh", "aiohttp.access", "aiohttp.server", "aiohttp.web")
LINES_PER_SECOND = 20
_SUSPECT = re.compile(r"[^\x20-\x7e]")


def printable(text: str) -> str:
    """`text` with each control, format or separator character shown as an escape."""
    return _SUSPECT.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    char = found[0]
    return char if char.isprintable() else repr(char)[1:-1]  # repr escapes exactly these


@dataclass
class _Template:
    second: float
    lines: int = 0
    suppressed: int = 0


class SafeLogFilter(logging.Filter):
    """Escapes what a record says and drops repeats beyond `per_second` per template."""

    def __init__(
        self, per_second: int = LINES_PER_SECOND, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.per_second = per_second
        self._clock = clock
        self._templates: dict[tuple[str, str], _Template] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._admit(record):
            return False
        message = printable(record.getMessage())
        key = (record.name, str(record.msg))
        if (suppressed := self._templates[key].suppressed) > 0:
            message += f" … ({suppressed} similar lines suppressed)"
            self._templates[key].suppressed = 0
        record.msg, record.args = message, ()
        return True

    def _admit(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        key = (record.name, str(record.msg))
        template = self._templates.get(key)
        if template is None or now - template.second >= 1.0:
            suppressed = template.suppressed if template else 0
            if len(self._templates) > 10_000:  # templates are few; values never key this
                self._templates.clear()
            template = self._templates[key] = _Template(now, 0, suppressed)
        template.lines += 1
        if template.lines > self.per_second:
            template.suppressed += 1
            return False
        return True


def install_log_safety(per_second: int = LINES_PER_SECOND) -> SafeLogFilter:
    """Put one shared filter on the serving loggers (idempotent): `serve` and `web` call it."""
    for name in LOGGERS:
        for old in [f for f in logging.getLogger(name).filters if isinstance(f, SafeLogFilter)]:
            logging.getLogger(name).removeFilter(old)
    safe = SafeLogFilter(per_second)
    for name in LOGGERS:
        logging.getLogger(name).addFilter(safe)
    return safe
