"""The `serve` and `web` subcommands' handlers: check the options, then run the server.

Their options are declared in :mod:`.arguments`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import pwd
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..experiment import UsageError
from .lifecycle import close_when_stopped, log_serving, stop_on_signals
from .session_args import Experiment, RefusedArgs, check_experiment

if TYPE_CHECKING:
    from .child import RunAs
    from .limits import ChildLimits
    from .ssh_server import ClassroomServer, ServeSettings
    from .web import WebSettings

# asyncssh and aiohttp are imported by the handlers only: this module is imported
# by every `rnn-tui` run (the parser names its handlers).

log = logging.getLogger("rnn_tui.serve")


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


def _experiment(args: argparse.Namespace, allow_files: bool) -> Experiment:
    try:
        return check_experiment(Experiment(args.preset, args.config), allow_files)
    except RefusedArgs as error:
        raise UsageError(str(error)) from None


def _serve_settings(args: argparse.Namespace) -> ServeSettings:
    from .auth import AuthPolicy, AuthSetupError, build_policy, read_password
    from .class_hub import HubSettings
    from .class_roles import build_teacher_auth
    from .hostkey import HostKeyError, load_or_create
    from .ssh_server import ServeSettings
    from .throttle import ThrottleSettings

    try:
        password = read_password(args.password_env, args.password_file)
        auth = build_policy(args.host, args.authorized_keys, password, args.no_auth)
        if args.no_class and (args.teacher_password_file or args.teacher_keys):
            raise AuthSetupError("--no-class has no teacher: drop the teacher's credentials")
        teacher = (
            AuthPolicy()
            if args.no_class
            else build_teacher_auth(auth, args.teacher_password_file, args.teacher_keys)
        )
        host_key = load_or_create(args.host_key)
    except (AuthSetupError, HostKeyError) as error:
        raise UsageError(str(error)) from None
    return ServeSettings(
        host_key=host_key,
        auth=auth,
        teacher=teacher,
        classroom=None if args.no_class else HubSettings(),
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
        asyncio.run(_serve(settings, args.web))
    except OSError as error:  # the port is taken, or the address is not ours
        print(f"rnn-tui: error: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    return 0


async def _serve(settings: ServeSettings, web_port: int | None = None) -> None:
    from .hostkey import fingerprint
    from .ssh_server import ClassroomServer
    from .web import ClassroomWeb

    server = ClassroomServer(settings)
    await server.start()
    browsers = None
    if web_port is not None:
        browsers = ClassroomWeb(class_web_settings(server, web_port))
        await browsers.start()
    stop = stop_on_signals()
    user_host = "class@" + ("HOST" if settings.host in ("0.0.0.0", "::") else settings.host)
    log_serving(
        settings.host, server.port, settings.max_sessions, "students", settings.auth.describe()
    )
    log.info("host key fingerprint %s", fingerprint(settings.host_key))
    if settings.run_as is None and os.geteuid() == 0:
        log.warning("apps run as root: give --run-as USER to run them as an ordinary account")
    log.info("students connect with: ssh -p %d %s   (Ctrl+C here stops)", server.port, user_host)
    log.info("class mode: %s", _teacher_sign_in(settings))
    if browsers is not None:  # on stdout, not in the log: the link is the class's key
        print(f"rnn-tui serve: browsers open {browsers.link()} (each tab a student)", flush=True)

    async def close() -> None:
        if browsers is not None:
            await browsers.close()
        await server.close()

    await close_when_stopped(stop, close, lambda: f"{len(server.children)} sessions")


def class_web_settings(server: ClassroomServer, port: int) -> WebSettings:
    """The web route of `serve --web`: the same sign-in, limits and class as over SSH."""
    from .web import WebSettings

    settings = server.settings
    return WebSettings(
        experiment=settings.default,
        host=settings.host,
        port=port,
        max_sessions=settings.max_sessions,
        password=settings.auth.password,
        no_auth=settings.auth.is_open,
        throttle=settings.throttle,
        fps=settings.fps,
        limits=settings.limits,
        sessions_dir=settings.sessions_dir,
        class_channel=None if server.hub is None else partial(server.class_channel, "student"),
    )


def _teacher_sign_in(settings: ServeSettings) -> str:
    if settings.classroom is None:
        return "off (--no-class): every app runs alone"
    if settings.auth.is_open:
        return "anyone may sign in as `teacher` (no authentication)"
    if settings.teacher.is_open:
        return "nobody may sign in as `teacher`: give teacher credentials to lead the class"
    return "the teacher signs in as `teacher` with the teacher's own credentials"


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
