"""Looking a name up in one of the engine's registries (activations, quantities)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

V = TypeVar("V")


def look_up(table: Mapping[str, V], key: str, what: str) -> V:
    """``table[key]``; otherwise a ValueError naming the unknown ``what`` and the known keys."""
    try:
        return table[key]
    except KeyError:
        raise ValueError(f"unknown {what} {key!r}; choose one of {', '.join(table)}") from None
