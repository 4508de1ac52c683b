"""The `serve` and `web` subcommands: their options, checks and handlers."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import pwd
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..experiment import UsageError
from . import defaults
from .session_args import Experiment, RefusedArgs, check_experiment

if TYPE_CHECKING:
    from .child import RunAs
    from .limits import ChildLimits
    from .ssh_server import ServeSettings

# asyncssh and aiohttp are imported by the handlers only: this module is imported
# by every `rnn-tui` run, to build the parser.

log = logging.getLogger("rnn_tui.serve")


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
    for flag, parse, default, metavar, text in (
        ("--max-memory", _whole, defaults.MEMORY_MB, "MB", "address space of each app "
         "(RLIMIT_AS); 0 = no limit"),
        ("--nice", _whole, defaults.NICE, "N", "lower each app's CPU priority by N"),
        ("--max-epochs", _positive, defaults.MAX_EPOCHS, "N", "the most epochs a run may compute"),
        ("--max-cells", _positive, defaults.MAX_CELLS, "N", "the most N×T of random:NxT data"),
    ):  # fmt: skip
        _cap(limits, flag, parse, default, metavar, text)


def _cap(
    group: argparse._ArgumentGroup,
    flag: str,
    parse: Callable[[str], float],
    default: float,
    metavar: str,
    text: str,
) -> None:
    shown = f"{default:,}" if isinstance(default, int) else f"{default:g}"
    group.add_argument(flag, type=parse, default=default, metavar=metavar,
                       help=f"{text} (default {shown})")  # fmt: skip


def child_limits(args: argparse.Namespace) -> ChildLimits:
    """The per-student bounds the options ask for (SSH and web apps alike)."""
    from .limits import ChildLimits

    return ChildLimits(args.max_memory, args.nice, args.max_epochs, args.max_cells)


def sessions_dir(args: argparse.Namespace) -> Path | None:
    folder: Path | None = args.sessions
    if folder is None:
        return None
    if not folder.is_dir():
        raise UsageError(f"--sessions {folder} is not a folder")
    return folder.resolve()


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
    for flag, parse, default, metavar, text in (
        ("--tries", _positive, defaults.TRIES_PER_CONNECTION, "N",
         "wrong passwords before a connection is closed"),
        ("--failures-per-address", _positive, defaults.FAILURES_PER_ADDRESS, "N",
         "wrong passwords per address per minute before its replies slow down"),
        ("--failures-total", _positive, defaults.FAILURES_GLOBAL, "N",
         "wrong passwords per minute from everyone before replies slow down"),
        ("--max-failure-delay", _seconds, defaults.MAX_FAILURE_DELAY, "S",
         "the longest a wrong password's reply is held back"),
        ("--connections-per-address", _positive, defaults.CONNECTIONS_PER_ADDRESS, "N",
         "connections at once from one address (a class behind NAT shares one)"),
        ("--max-pending", _positive, defaults.MAX_PENDING, "N", "connections not signed in "
         "yet; beyond, the oldest from the busiest address is closed"),
        ("--sessionless-timeout", _seconds, defaults.SESSIONLESS_SECONDS, "S",
         "close a signed-in connection that opens no session (ssh -N); 0 = never"),
    ):  # fmt: skip
        _cap(signin, flag, parse, default, metavar, text)
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
    for flag, parse, default, metavar, text in (
        ("--failures-per-address", _positive, defaults.FAILURES_PER_ADDRESS, "N",
         "wrong passwords per address per minute; beyond, its tries are refused unchecked"),
        ("--failures-total", _positive, defaults.FAILURES_GLOBAL, "N",
         "wrong passwords per minute from everyone; beyond, all tries are refused unchecked"),
    ):  # fmt: skip
        _cap(signin, flag, parse, default, metavar, text)
    parser.set_defaults(handler=run_web)


def _experiment(args: argparse.Namespace, allow_files: bool) -> Experiment:
    try:
        return check_experiment(Experiment(args.preset, args.config), allow_files)
    except RefusedArgs as error:
        raise UsageError(str(error)) from None


def _serve_settings(args: argparse.Namespace) -> ServeSettings:
    from .auth import AuthSetupError, build_policy, read_password
    from .hostkey import HostKeyError, load_or_create
    from .ssh_server import ServeSettings
    from .throttle import ThrottleSettings

    try:
        password = read_password(args.password_env, args.password_file)
        auth = build_policy(args.host, args.authorized_keys, password, args.no_auth)
        host_key = load_or_create(args.host_key)
    except (AuthSetupError, HostKeyError) as error:
        raise UsageError(str(error)) from None
    return ServeSettings(
        host_key=host_key,
        auth=auth,
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        idle_timeout=args.idle_timeout * 60,
        fps=args.fps,
        default=_experiment(args, allow_files=False),
        run_as=_run_as(args.run_as),
        throttle=ThrottleSettings(
            tries_per_connection=args.tries,
            failures_per_address=args.failures_per_address,
            failures_global=args.failures_total,
        ),
        connections_per_address=args.connections_per_address,
        max_pending=args.max_pending,
        sessionless_timeout=args.sessionless_timeout,
        limits=child_limits(args),
        sessions_dir=sessions_dir(args),
    )


def _run_as(name: str | None) -> RunAs | None:
    from .child import RunAs

    if name is None:
        return None
    if os.geteuid() != 0:
        raise UsageError("--run-as needs the server to be started as root")
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        raise UsageError(f"--run-as: no such user {name!r}") from None
    if entry.pw_uid == 0:
        raise UsageError("--run-as must name an account other than root")
    return RunAs(name, entry.pw_uid, entry.pw_gid, entry.pw_dir)


def run_serve(args: argparse.Namespace) -> int:
    from ..engine import set_run_limits

    # Here too: a student's `--config epochs=...` beyond them is refused before an app starts.
    set_run_limits(args.max_epochs, args.max_cells)
    settings = _serve_settings(args)
    _log_to_stderr()
    raise_file_limit()
    try:
        asyncio.run(_serve(settings))
    except OSError as error:  # the port is taken, or the address is not ours
        print(f"rnn-tui: error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


async def _serve(settings: ServeSettings) -> None:
    from .hostkey import fingerprint
    from .ssh_server import ClassroomServer

    server = ClassroomServer(settings)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    user_host = "class@" + ("HOST" if settings.host in ("0.0.0.0", "::") else settings.host)
    log.info(
        "serving on %s:%d, at most %d students, sign-in: %s",
        settings.host,
        server.port,
        settings.max_sessions,
        settings.auth.describe(),
    )
    log.info("host key fingerprint %s", fingerprint(settings.host_key))
    if settings.run_as is None and os.geteuid() == 0:
        log.warning("apps run as root: give --run-as USER to run them as an ordinary account")
    log.info("students connect with: ssh -p %d %s   (Ctrl+C here stops)", server.port, user_host)
    try:
        await stop.wait()
    finally:
        log.info("stopping: closing %d sessions", len(server.children))
        await server.close()


def run_web(args: argparse.Namespace) -> int:
    from .auth import AuthSetupError, is_loopback, read_password
    from .throttle import ThrottleSettings
    from .web import WebSettings, serve_web

    try:
        password = read_password(args.password_env, args.password_file)
    except AuthSetupError as error:
        raise UsageError(str(error)) from None
    local = is_loopback(args.host)
    if args.no_auth and (password is not None or not local):
        raise UsageError(
            "--no-auth cannot be combined with a password"
            if password is not None
            else f"--no-auth is only accepted on a loopback host (127.0.0.1), not {args.host}"
        )
    settings = WebSettings(
        # On this machine only, the apps may read the teacher's data files; beyond it, not.
        experiment=_experiment(args, allow_files=local),
        host=args.host,
        port=args.port,
        allow_hosts=tuple(name.lower().rstrip(".") for name in args.allow_host),
        max_sessions=args.max_sessions,
        password=password,
        no_auth=args.no_auth,
        files=local,
        throttle=ThrottleSettings(
            failures_per_address=args.failures_per_address,
            failures_global=args.failures_total,
        ),
        limits=child_limits(args),
        sessions_dir=sessions_dir(args),
    )
    _log_to_stderr()
    try:
        serve_web(settings)
    except OSError as error:
        print(f"rnn-tui: error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


def raise_file_limit() -> int:
    """Every connection and app costs descriptors: use all the system grants (soft = hard)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
    log.info("open files limit %s", "unlimited" if soft == resource.RLIM_INFINITY else soft)
    return soft


def _log_to_stderr() -> None:
    from .logsafe import install_log_safety

    install_log_safety()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S"
    )
    # asyncssh logs every packet exchange at INFO; one line per event is ours to write.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    with contextlib.suppress(Exception):
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
