"""Strict checks of one decoded JSON field each: anything off is a :class:`ProtocolError`."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from .messages import MAX_COUNT, MAX_REASON, MAX_WORD


class ProtocolError(ValueError):
    """A line that is not a valid message; the text says what was wrong."""


T = TypeVar("T")
S = TypeVar("S", bound=str)


def json_object(line: bytes, limit: int) -> dict[str, Any]:
    if len(line) > limit:
        raise ProtocolError(f"line longer than {limit} bytes")
    try:
        value = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ProtocolError(f"not JSON: {error}") from None
    return as_dict(value, "message")


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def as_dict(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ProtocolError(f"{what} must be an object")
    return cast(dict[str, Any], value)


def exact_keys(obj: Mapping[str, Any], *keys: str) -> None:
    if set(obj) != set(keys):
        extra = sorted(set(obj) - set(keys))
        missing = sorted(set(keys) - set(obj))
        raise ProtocolError(f"wrong keys: extra {shown(extra)}, missing {shown(missing)}")


def as_list(value: object, limit: int, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProtocolError(f"{what} must be a list")
    if len(value) > limit:
        raise ProtocolError(f"{what} holds more than {limit} items")
    return value


def count(value: object, what: str) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNT:
        raise ProtocolError(f"{what} must be a whole number from 0 to {MAX_COUNT}")
    return value


def finite(value: object, what: str) -> float:
    if type(value) not in (int, float) or not math.isfinite(cast(float, value)):
        raise ProtocolError(f"{what} must be a finite number or null")
    return float(cast(float, value))


def boolean(value: object, what: str) -> bool:
    if type(value) is not bool:
        raise ProtocolError(f"{what} must be true or false")
    return value


def printable_text(value: object, limit: int, what: str) -> str:
    if not isinstance(value, str) or len(value) > limit or not value.isprintable():
        raise ProtocolError(f"{what} must be printable text of at most {limit} characters")
    return value


def word(value: object, what: str) -> str:
    text = printable_text(value, MAX_WORD, what)
    if not text:
        raise ProtocolError(f"{what} is empty")
    return text


def one_of(value: object, choices: tuple[S, ...], what: str) -> S:
    for choice in choices:
        if value == choice:
            return choice
    raise ProtocolError(f"{what} must be one of {', '.join(choices)}")


def optional(check: Callable[[object, str], T], value: object, what: str) -> T | None:
    return None if value is None else check(value, what)


def shown(value: object) -> str:
    """A short, printable rendering of hostile input, for error messages and logs."""
    return printable(repr(value), 60)


def printable(text: str, limit: int = MAX_REASON) -> str:
    """``text`` with control characters replaced and cut to ``limit``: safe to log."""
    clean = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
