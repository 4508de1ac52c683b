"""Command line: the app by default, plus headless subcommands.

    rnn-tui [--preset NAME] [--config STR]           the app
    rnn-tui train --preset NAME [--print-every K] [--json]
    rnn-tui presets
    rnn-tui gradcheck --preset NAME [--epoch N]      exit 1 only if BPTT is wrong
    rnn-tui sweep --preset NAME [--rate lr_wrec] [--values 1e-4:1:9]
    rnn-tui serve ... / rnn-tui web ...              classroom serving

Every usage error, bad config string or unreadable data file ends with exit
status 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, NoReturn

import numpy as np

from .engine import (
    DEFAULT_PRESET,
    MAX_EPOCHS,
    PRESETS,
    Config,
    ConfigError,
    DataError,
    Trainer,
    gradient_check,
    sweep_learning_rates,
)
from .experiment import UsageError, resolve_config

PROG = "rnn-tui"
EXIT_DIVERGED = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _add_experiment_options(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """--preset and --config, accepted before the subcommand (dest top_preset,
    top_config) and after it; :func:`_merge_experiment_options` joins the two."""
    parser.add_argument(
        "--preset",
        dest=f"{prefix}preset",
        help=f"starting experiment (default {DEFAULT_PRESET}); see `{PROG} presets`",
    )
    parser.add_argument(
        "--config",
        dest=f"{prefix}config",
        metavar="STR",
        help='key=value,... applied on top of the preset, e.g. "wx=0.2,lr_wx=0.02"',
    )


def _merge_experiment_options(args: argparse.Namespace) -> None:
    """Give before the subcommand what was not given after it; refuse two different values."""
    for key in ("preset", "config"):
        before = getattr(args, f"top_{key}")
        after = getattr(args, key, None)
        if before is not None and after is not None and before != after:
            raise UsageError(
                f"--{key} given twice, {before!r} before {args.command} and {after!r} "
                "after it: give it once"
            )
        setattr(args, key, after if after is not None else before)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Watch a recurrent network learn by backpropagation through time.",
    )
    _add_experiment_options(parser, prefix="top_")
    parser.add_argument(
        "--projector",
        action="store_true",
        help="the app in projector mode: light high-contrast theme, fewer digits (key T)",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    train = sub.add_parser("train", help="train headless and print the notebook-style log")
    _add_experiment_options(train)
    train.add_argument("--epochs", type=int, help="epochs to train (default: the config's)")
    train.add_argument(
        "--print-every",
        type=int,
        default=0,
        metavar="K",
        help="print the cost every K epochs, like the notebook (default: epochs/15)",
    )
    train.add_argument("--json", action="store_true", help="print one JSON object at the end")

    sub.add_parser("presets", help="list the presets with their teaching notes")

    check = sub.add_parser("gradcheck", help="BPTT against a numerical derivative at one epoch")
    _add_experiment_options(check)
    check.add_argument("--epoch", type=int, default=0, help="train this far first (default 0)")

    sweep = sub.add_parser("sweep", help="many learning rates at once: which converge?")
    _add_experiment_options(sweep)
    sweep.add_argument(
        "--rate",
        choices=["lr", "lr_wx", "lr_wrec"],
        default="lr",
        help="which learning rate to vary (lr: both together; default lr)",
    )
    sweep.add_argument(
        "--values",
        default="1e-4:1:9",
        metavar="LO:HI:COUNT",
        help="COUNT rates spaced geometrically from LO to HI (default 1e-4:1:9)",
    )
    sweep.add_argument("--epochs", type=int, help="epochs per run (default: the config's)")

    _add_serving_parsers(sub)
    return parser


def _add_serving_parsers(sub: Any) -> None:
    from .serve import arguments

    arguments.configure_serve_parser(sub.add_parser("serve", help="serve the app over SSH"))
    arguments.configure_web_parser(sub.add_parser("web", help="serve the app to a browser"))


def _preset_label(preset: str, config: Config) -> str:
    return preset if PRESETS[preset].config == config else f"{preset} (modified)"


# -- subcommands -------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    config = resolve_config(args.preset, args.config)
    Trainer(config)  # load the data now so a bad file is reported here, not in the app
    from .ui.app import run_app

    run_app(config, args.preset or DEFAULT_PRESET, projector=args.projector)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    config = resolve_config(args.preset, args.config)
    if args.epochs is not None:
        config = config.replace(epochs=_checked_epochs(args.epochs))
    if args.print_every < 0:
        raise UsageError("--print-every must be >= 0")
    trainer = Trainer(config)
    every = args.print_every or max(1, config.epochs // 15)
    quiet = args.json
    for epoch in range(0, config.epochs, every):
        trainer.goto(epoch)
        if trainer.epoch != epoch:
            break  # diverged before reaching it
        if not quiet:
            print("Current iter : ", epoch, " Current cost: ", trainer.loss)
    trainer.goto(config.epochs)
    if quiet:
        print(json.dumps(_result(trainer, args.preset or DEFAULT_PRESET)))
    else:
        _print_summary(trainer)
    return EXIT_DIVERGED if trainer.diverged else 0


def _checked_epochs(epochs: int) -> int:
    try:
        return int(Config().replace(epochs=epochs).epochs)
    except ConfigError as error:
        raise UsageError(f"--epochs {error.reason}") from None


def _print_summary(trainer: Trainer) -> None:
    trace = trainer.trace()
    print()
    print(f"Epoch {trainer.epoch} of {trainer.config.epochs}")
    print("Final output Raw:     ", trace.prediction)
    print("Final output Rounded: ", trace.prediction.round())
    print("Ground Truth:         ", trace.target)
    print("Final weight X :      ", trainer.weights[0])
    print("Final weight Rec :    ", trainer.weights[1])
    print("Mean squared error:   ", trainer.loss)
    if trainer.divergence is not None:
        print()
        print(textwrap.fill(trainer.divergence.message, 88))


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _result(trainer: Trainer, preset: str) -> dict[str, Any]:
    trace = trainer.trace()
    return {
        "preset": _preset_label(preset, trainer.config),
        "config": str(trainer.config),
        "epoch": trainer.epoch,
        "epochs": trainer.config.epochs,
        "wx": trainer.weights[0],
        "wrec": trainer.weights[1],
        "loss": _finite_or_none(trainer.loss),
        "dwx": trainer.gradients[0],
        "dwrec": trainer.gradients[1],
        "predictions": trace.prediction.tolist(),
        "targets": trace.target.tolist(),
        "stopped": "diverged" if trainer.diverged else None,
        "divergence": trainer.divergence.message if trainer.divergence else None,
    }


def cmd_presets(args: argparse.Namespace) -> int:
    for preset in PRESETS.values():
        print(f"{preset.name}: {preset.title}")
        print(textwrap.fill(preset.note, 88, initial_indent="    ", subsequent_indent="    "))
        if preset.source:
            print(f"    Reproduces: {preset.source}")
        print(f'    {PROG} --config "{preset.config}"')
        print()
    return 0


def cmd_gradcheck(args: argparse.Namespace) -> int:
    config = resolve_config(args.preset, args.config)
    if not 0 <= args.epoch <= MAX_EPOCHS:
        raise UsageError(f"--epoch must be a whole number in [0, {MAX_EPOCHS}]")
    trainer = Trainer(config)
    trainer.goto(args.epoch)
    wx, wrec = trainer.weights
    checks = gradient_check(wx, wrec, trainer.dataset.x, trainer.dataset.y, config.activation)
    print(f"Gradient check at epoch {trainer.epoch}: wx = {wx!r}, wrec = {wrec!r}")
    print(f"numerical: {checks[0].method}, {checks[0].formula}")
    print(f"{'weight':<7}{'BPTT (analytic)':>24}{'numerical':>24}{'rel. error':>12}  verdict")
    for check in checks:
        print(
            f"{check.name:<7}{check.analytic:>24.15g}{check.numerical:>24.15g}"
            f"{check.relative_error:>12.2e}  {check.verdict}"
        )
    return 1 if any(check.wrong for check in checks) else 0


def _geometric_values(text: str) -> list[float]:
    parts = text.split(":")
    try:
        lo, hi, count = float(parts[0]), float(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        raise UsageError(f"--values must be LO:HI:COUNT, e.g. 1e-4:1:9; got {text!r}") from None
    if len(parts) != 3 or not (0 < lo <= hi <= 10) or not 1 <= count <= 1000:
        raise UsageError("--values needs 0 < LO <= HI <= 10 and 1 <= COUNT <= 1000")
    return [float(v) for v in np.geomspace(lo, hi, count)]


def cmd_sweep(args: argparse.Namespace) -> int:
    config = resolve_config(args.preset, args.config)
    epochs = config.epochs if args.epochs is None else _checked_epochs(args.epochs)
    rates = _geometric_values(args.values)
    lr_wx = rates if args.rate in ("lr", "lr_wx") else config.lr_wx
    lr_wrec = rates if args.rate in ("lr", "lr_wrec") else config.lr_wrec
    result = sweep_learning_rates(config, lr_wx, lr_wrec, epochs)
    print(f"{len(rates)} runs of {epochs} epochs from wx = {config.wx!r}, wrec = {config.wrec!r}")
    print(f"{'lr_wx':>12}{'lr_wrec':>12}{'final loss':>14}{'wx':>12}{'wrec':>12}  outcome")
    for i in range(len(rates)):
        outcome = (
            f"diverged at epoch {result.diverged_at[i]}" if result.diverged_at[i] > 0 else "finite"
        )
        print(
            f"{result.lr_wx[i]:>12.4g}{result.lr_wrec[i]:>12.4g}{result.loss[i]:>14.4g}"
            f"{result.wx[i]:>12.4g}{result.wrec[i]:>12.4g}  {outcome}"
        )
    return 0


COMMANDS = {
    None: cmd_app,
    "train": cmd_train,
    "presets": cmd_presets,
    "gradcheck": cmd_gradcheck,
    "sweep": cmd_sweep,
}


def _printable(text: str) -> str:
    """One line with no terminal controls: a path or config string may hold any character."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        _merge_experiment_options(args)
        handler = COMMANDS.get(args.command) or args.handler
        return int(handler(args))
    except (UsageError, ConfigError, DataError) as error:
        print(f"{PROG}: error: {_printable(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
