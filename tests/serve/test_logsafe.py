"""The serving log: client text cannot forge lines or send escapes, and floods are capped."""

from __future__ import annotations

import logging

import pytest

from rnn_tui.serve.logsafe import SafeLogFilter, install_log_safety, printable


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def record(msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("rnn_tui.serve", logging.INFO, __file__, 1, msg, args, None)


def test_control_characters_are_shown_as_escapes() -> None:
    forged = "bob\n2026-01-01 00:00:00 login admin\x1b[2J\x07\u202etxt.exe\x85"
    assert printable(forged) == (
        "bob\\n2026-01-01 00:00:00 login admin\\x1b[2J\\x07\\u202etxt.exe\\x85"
    )
    assert printable("café, ß, 日本") == "café, ß, 日本"


def test_filter_formats_then_escapes_the_whole_line() -> None:
    line = record("auth failure %s: %s", "1.2.3.4 user=x\ny", "\x1b]0;pwned\x07")
    assert SafeLogFilter().filter(line)
    assert line.getMessage() == "auth failure 1.2.3.4 user=x\\ny: \\x1b]0;pwned\\x07"


def test_repeated_lines_are_capped_and_counted() -> None:
    clock = Clock()
    safe = SafeLogFilter(per_second=5, clock=clock)
    passed = [safe.filter(record("connect %s", f"10.0.0.{i}")) for i in range(1000)]
    assert sum(passed) == 5
    assert safe.filter(record("login %s", "other template"))  # its own budget
    clock.now += 1.0
    after = record("connect %s", "10.0.0.1")
    assert safe.filter(after)
    assert after.getMessage().endswith("(995 similar lines suppressed)")


def test_serve_logger_gets_the_filter(caplog: pytest.LogCaptureFixture) -> None:
    install_log_safety()
    with caplog.at_level(logging.INFO, logger="rnn_tui.serve"):
        logging.getLogger("rnn_tui.serve").info("refused %s", "x\r\ny")
    assert caplog.messages == ["refused x\\r\\ny"]
