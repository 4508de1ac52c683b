"""The `serve` and `web` subcommands' options: what each one accepts and checks.

Imported by every `rnn-tui` run to build the parser, so it imports nothing heavy;
the handlers that run a server live in :mod:`.commands`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

from . import defaults
from .commands import run_serve, run_web

CapRow = tuple[str, Callable[[str], float], float, str, str]
"""An option with a bound: flag, parser, default, metavar, help."""


def _int_at_least(lowest: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"must be at least {lowest}, got {value}")
        return value

    return parse


def _number_between(unit: str, highest: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {unit}, got {text!r}") from None
        if not 0 <= value <= highest:
            raise argparse.ArgumentTypeError(
                f"must be between 0 and {highest:g} {unit}, got {text}"
            )
        return value

    return parse


_positive = _int_at_least(1)
_whole = _int_at_least(0)
_seconds = _number_between("seconds", 24 * 3600)
_minutes = _number_between("minutes", 24 * 60)


def _port(text: str) -> int:
    value = _positive(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"must be at most 65535, got {value}")
    return value


def _add_common(parser: argparse.ArgumentParser, port: int, sessions: int) -> None:
    parser.add_argument(
        "--host",
        default=defaults.HOST,
        help=f"address to listen on (default {defaults.HOST}: this machine only; "
        "0.0.0.0 for the whole network)",
    )
    parser.add_argument("--port", type=_port, default=port, help=f"(default {port})")
    parser.add_argument(
        "--max-sessions",
        type=_positive,
        default=sessions,
        metavar="N",
        help=f"students at once; the next one is told the class is full (default {sessions})",
    )
    parser.add_argument("--preset", help="every session's starting preset (default: the app's)")
    parser.add_argument("--config", metavar="STR", help="every session's config string")
    parser.add_argument(
        "--sessions",
        type=Path,
        metavar="DIR",
        help="folder of named session files students may open by name (read-only)",
    )
    limits = parser.add_argument_group("what one student's app may use")
    _add_caps(limits, (
        ("--max-memory", _whole, defaults.MEMORY_MB, "MB", "address space of each app "
         "(RLIMIT_AS); 0 = no limit"),
        ("--nice", _whole, defaults.NICE, "N", "lower each app's CPU priority by N"),
        ("--max-epochs", _positive, defaults.MAX_EPOCHS, "N", "the most epochs a run may compute"),
        ("--max-cells", _positive, defaults.MAX_CELLS, "N", "the most N×T of random:NxT data"),
    ))  # fmt: skip


def _add_caps(group: argparse._ArgumentGroup, rows: Iterable[CapRow]) -> None:
    """Options with a bound, each with its default in its help."""
    for flag, parse, default, metavar, text in rows:
        shown = f"{default:,}" if isinstance(default, int) else f"{default:g}"
        group.add_argument(flag, type=parse, default=default, metavar=metavar,
                           help=f"{text} (default {shown})")  # fmt: skip


def _failure_caps(per_address: str, total: str) -> tuple[CapRow, CapRow]:
    """The wrong-password budgets both servers enforce; the tails say what happens beyond."""
    return (
        ("--failures-per-address", _positive, defaults.FAILURES_PER_ADDRESS, "N",
         f"wrong passwords per address per minute{per_address}"),
        ("--failures-total", _positive, defaults.FAILURES_GLOBAL, "N",
         f"wrong passwords per minute from everyone{total}"),
    )  # fmt: skip


def _add_password(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help=f"file holding the class password (else ${defaults.PASSWORD_ENV}, if set)",
    )
    parser.add_argument(
        "--password-env",
        default=defaults.PASSWORD_ENV,
        metavar="NAME",
        help="environment variable holding the class password (default %(default)s)",
    )
    parser.add_argument(
        "--no-auth",
        action="store_true",
        help="let anyone in without signing in: only with a loopback --host",
    )


def _add_class(parser: argparse.ArgumentParser) -> None:
    teacher = parser.add_argument_group(
        "class mode",
        "The SSH user `teacher` leads the class, signed in with the teacher's own "
        "credentials (never the class's); every other user name is a student.",
    )
    teacher.add_argument(
        "--teacher-password-file",
        type=Path,
        metavar="FILE",
        help=f"file holding the teacher's password (else ${defaults.TEACHER_PASSWORD_ENV}, if set)",
    )
    teacher.add_argument(
        "--teacher-keys",
        type=Path,
        metavar="FILE",
        help="the teacher's public keys (OpenSSH authorized_keys format)",
    )
    teacher.add_argument(
        "--web",
        type=_port,
        metavar="PORT",
        help="also serve the app to browsers on PORT, each tab a student of this class "
        "(signed in with the class password or the printed link)",
    )
    teacher.add_argument(
        "--no-class",
        action="store_true",
        help="no class mode: every app runs alone and nobody may sign in as teacher",
    )


def configure_serve_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the app over SSH: every student who connects gets their own simulator "
        "in their own terminal, and nothing else (no shell, no files, no forwarding). "
        "Students may pick their own start with `ssh -t -p PORT class@HOST -- --preset NAME`."
    )
    _add_common(parser, defaults.SSH_PORT, defaults.MAX_SESSIONS)
    parser.add_argument(
        "--host-key",
        type=Path,
        default=defaults.host_key_path(),
        metavar="FILE",
        help="SSH host key, created on first use with mode 0600 and reused (default %(default)s)",
    )
    parser.add_argument(
        "--authorized-keys",
        type=Path,
        metavar="FILE",
        help="students' public keys, one per line (OpenSSH authorized_keys format)",
    )
    _add_password(parser)
    _add_class(parser)
    parser.add_argument(
        "--idle-timeout",
        type=_minutes,
        default=defaults.IDLE_MINUTES,
        metavar="MIN",
        help="close a session after this many minutes without a key press; 0 = never "
        f"(default {defaults.IDLE_MINUTES:g})",
    )
    parser.add_argument(
        "--fps",
        type=_positive,
        default=defaults.FPS,
        help="frames per second sent to each student, at most: caps the app's redraw "
        f"rate (TEXTUAL_FPS) and the server's writes (default {defaults.FPS})",
    )
    signin = parser.add_argument_group("sign-in and connections")
    _add_caps(signin, (
        ("--tries", _positive, defaults.TRIES_PER_CONNECTION, "N",
         "wrong passwords before a connection is closed"),
        *_failure_caps(" before its replies slow down", " before replies slow down"),
        ("--max-failure-delay", _seconds, defaults.MAX_FAILURE_DELAY, "S",
         "the longest a wrong password's reply is held back"),
        ("--connections-per-address", _positive, defaults.CONNECTIONS_PER_ADDRESS, "N",
         "connections at once from one address (a class behind NAT shares one)"),
        ("--max-pending", _positive, defaults.MAX_PENDING, "N", "connections not signed in "
         "yet; beyond, the oldest from the busiest address is closed"),
        ("--sessionless-timeout", _seconds, defaults.SESSIONLESS_SECONDS, "S",
         "close a signed-in connection that opens no session (ssh -N); 0 = never"),
    ))  # fmt: skip
    parser.add_argument(
        "--run-as",
        metavar="USER",
        help="when started as root: run the students' apps as this account (e.g. nobody); "
        "it must be able to read the Python installation",
    )
    parser.set_defaults(handler=run_serve)


def configure_web_parser(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the app to web browsers: every tab gets its own simulator. "
        "Works offline: the page needs nothing from the internet."
    )
    _add_common(parser, defaults.WEB_PORT, defaults.MAX_SESSIONS)
    _add_password(parser)
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a name students' browsers may use for this server besides --host, loopback "
        "names and (on 0.0.0.0) IP addresses, e.g. teacher-laptop.local; repeatable",
    )
    signin = parser.add_argument_group("sign-in")
    _add_caps(
        signin,
        _failure_caps(
            "; beyond, its tries are refused unchecked", "; beyond, all tries are refused unchecked"
        ),
    )
    parser.set_defaults(handler=run_web)
