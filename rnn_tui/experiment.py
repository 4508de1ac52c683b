"""Which experiment a command line asks for: one resolver for the CLI and the server.

An experiment is a preset (default: the notebook's first example) with a config
string applied on top of it. Both `rnn-tui --preset X --config S` and a served
session's `--preset X --config S` go through :func:`resolve_config`, so the same
words give the same numbers everywhere.
"""

from __future__ import annotations

from .engine import DEFAULT_PRESET, PRESETS, Config


class UsageError(Exception):
    """Reported as one line on stderr with exit status 2."""


def resolve_config(preset: str | None, config: str | None) -> Config:
    """The config of ``preset`` (default :data:`DEFAULT_PRESET`) with ``config`` on top.

    Raises :class:`UsageError` for an unknown preset and
    :class:`~rnn_tui.engine.ConfigError` for a bad config string."""
    name = DEFAULT_PRESET if preset is None else preset
    if name not in PRESETS:
        raise UsageError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return Config.parse(config or "", base=PRESETS[name].config)
