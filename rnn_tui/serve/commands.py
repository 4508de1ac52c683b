"""The `serve` and `web` subcommands' arguments and handlers (being built)."""

from __future__ import annotations

import argparse


def _not_ready(args: argparse.Namespace) -> int:
    raise SystemExit("rnn-tui: serving is not available in this build")


def configure_serve_parser(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=_not_ready)


def configure_web_parser(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(handler=_not_ready)
