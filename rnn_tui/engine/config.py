"""One experiment as one value: the :class:`Config` and its ``key=value,...`` string.

The string is what a teacher writes on the board. ``Config.parse(str(c)) == c``
for every config, and floats are printed with ``repr`` so the numbers survive
the round trip bit for bit.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import limits
from .activations import ACTIVATIONS
from .datasets import (
    BUILT_IN_DATASETS,
    MAX_SAMPLES,
    MAX_STEPS,
    RANDOM_PREFIX,
    DataError,
    parse_random_spec,
)
from .optimizers import OPTIMIZER_NAMES, Clip

MAX_WEIGHT = 1e6
MAX_EPOCHS = 10_000_000


class ConfigError(ValueError):
    """A config key or value that was refused; ``key`` names it ('' for the whole string)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.reason = message


@dataclass(frozen=True)
class Config:
    wx: float = 0.2
    wrec: float = 1.5
    lr_wx: float = 0.02
    lr_wrec: float = 0.0006
    activation: str = "identity"
    optimizer: str = "gd"
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    eta_plus: float = 1.2
    eta_minus: float = 0.5
    step0: float = 0.001
    clip: str = "none"
    epochs: int = 50_000
    seed: int = 0
    data: str = "notebook"

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            _KEYS[field.name].check(getattr(self, field.name))

    @classmethod
    def parse(cls, text: str, base: Config | None = None) -> Config:
        """Apply ``key=value,...`` on top of ``base`` (the defaults when omitted)."""
        changes: dict[str, Any] = {}
        for part in text.split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, raw = part.partition("=")
            key, raw = key.strip(), raw.strip()
            if not sep:
                raise ConfigError(key, "expected key=value")
            keys = ("lr_wx", "lr_wrec") if key == "lr" else (key,)
            for name in keys:
                spec = _lookup(name)
                if name in changes:
                    raise ConfigError(name, "given twice")
                changes[name] = spec.parse(raw)
        return (base or cls()).replace(**changes)

    def replace(self, **changes: Any) -> Config:
        for key in changes:
            _lookup(key)
        return dataclasses.replace(self, **changes)

    def __str__(self) -> str:
        defaults = Config()
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.name in ALWAYS_SHOWN or value != getattr(defaults, field.name):
                parts.append(f"{field.name}={_KEYS[field.name].format(value)}")
        return ",".join(parts)

    def changed_keys(self, other: Config) -> set[str]:
        return {
            f.name
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        }

    @property
    def clip_rule(self) -> Clip:
        if self.clip == "none":
            return Clip()
        mode, limit = self.clip.split(":")
        return Clip(mode, float(limit))


# Keys that define the starting point of a run: changing one restarts at epoch 0.
RESET_KEYS = frozenset({"wx", "wrec", "activation", "data", "seed"})
# Keys that leave the past untouched and only affect what comes next.
NO_HISTORY_KEYS = frozenset({"epochs"})
ALWAYS_SHOWN = ("wx", "wrec", "lr_wx", "lr_wrec", "activation", "optimizer", "epochs", "data")


@dataclass(frozen=True)
class KeySpec:
    help: str
    allowed: str  # what the refusal message says is allowed
    parse_value: Callable[[str], Any]
    valid: Callable[[Any], bool]
    format: Callable[[Any], str] = str

    def parse(self, raw: str) -> Any:
        try:
            value = self.parse_value(raw)
        except (ValueError, OverflowError):
            raise ConfigError(self.name, f"{self.allowed}; got {raw!r}") from None
        self.check(value)
        # A served app's bounds hold for what is typed, not for a preset's own values: a
        # run that reaches the epoch limit stops there and says so (Trainer.step).
        if (beyond := limits.refusal(self.name, value)) is not None:
            raise ConfigError(self.name, beyond)
        return value

    def check(self, value: Any) -> None:
        if not self.valid(value):
            raise ConfigError(self.name, f"{self.allowed}; got {value!r}")

    @property
    def name(self) -> str:
        return next(k for k, v in _KEYS.items() if v is self)


def _float(raw: str) -> float:
    value = float(raw)
    if math.isnan(value):
        raise ValueError("NaN")
    return value


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        value = float(raw)  # allow 5e4
        if not value.is_integer():
            raise
        return int(value)


def _is_real(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _in_range(
    lo: float, hi: float, lo_open: bool = False, hi_open: bool = False
) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not _is_real(value):
            return False
        above = value > lo if lo_open else value >= lo
        below = value < hi if hi_open else value <= hi
        return bool(above and below)

    return check


def _number(lo: float, hi: float, lo_open: bool = False, hi_open: bool = False) -> str:
    left = "(" if lo_open else "["
    right = ")" if hi_open else "]"
    return f"must be a number in {left}{lo:g}, {hi:g}{right}"


def _choice(options: tuple[str, ...]) -> tuple[str, Callable[[str], str], Callable[[Any], bool]]:
    return (f"must be one of {', '.join(options)}", str, lambda v: v in options)


def _clip_valid(value: Any) -> bool:
    if value == "none":
        return True
    mode, _, limit = str(value).partition(":")
    try:
        number = float(limit)
    except ValueError:
        return False
    return mode in ("value", "norm") and math.isfinite(number) and 0 < number <= 1e6


def _data_valid(value: Any) -> bool:
    if not isinstance(value, str) or not value or "," in value or "=" in value:
        return False
    if value.startswith(RANDOM_PREFIX):
        try:
            parse_random_spec(value)
        except DataError:
            return False
    return True


def _float_key(
    help: str, lo: float, hi: float, lo_open: bool = False, hi_open: bool = False
) -> KeySpec:
    return KeySpec(
        help, _number(lo, hi, lo_open, hi_open), _float, _in_range(lo, hi, lo_open, hi_open), repr
    )


_KEYS: dict[str, KeySpec] = {
    "wx": _float_key("initial input weight", -MAX_WEIGHT, MAX_WEIGHT),
    "wrec": _float_key("initial recurrent weight", -MAX_WEIGHT, MAX_WEIGHT),
    "lr_wx": _float_key("learning rate of wx", 0, 10),
    "lr_wrec": _float_key("learning rate of wrec", 0, 10),
    "activation": KeySpec("hidden activation f", *_choice(tuple(ACTIVATIONS))),
    "optimizer": KeySpec("update rule", *_choice(OPTIMIZER_NAMES)),
    "momentum": _float_key("momentum coefficient", 0, 1, hi_open=True),
    "beta1": _float_key("Adam first-moment decay", 0, 1, hi_open=True),
    "beta2": _float_key("Adam second-moment decay", 0, 1, hi_open=True),
    "eps": _float_key("Adam epsilon", 0, 1, lo_open=True),
    "eta_plus": _float_key("Rprop growth factor", 1, 10),
    "eta_minus": _float_key("Rprop shrink factor", 0, 1, lo_open=True),
    "step0": _float_key("Rprop initial step", 0, 1000, lo_open=True),
    "clip": KeySpec(
        "gradient clipping",
        "must be none, value:C or norm:C with 0 < C <= 1e6",
        str,
        _clip_valid,
    ),
    "epochs": KeySpec(
        "epochs to train",
        f"must be a whole number in [1, {MAX_EPOCHS}]",
        _int,
        lambda v: isinstance(v, int) and 1 <= v <= MAX_EPOCHS,
    ),
    "seed": KeySpec(
        "random seed (random data)",
        "must be a whole number in [0, 4294967295]",
        _int,
        lambda v: isinstance(v, int) and 0 <= v <= 2**32 - 1,
    ),
    "data": KeySpec(
        f"dataset: {', '.join(BUILT_IN_DATASETS)} or a CSV path",
        f"must be {', '.join(BUILT_IN_DATASETS)} (N ≤ {MAX_SAMPLES}, T ≤ {MAX_STEPS}) "
        "or a CSV path without commas",
        str,
        _data_valid,
    ),
}

KEYS: tuple[str, ...] = tuple(_KEYS)


def key_help(key: str) -> str:
    return _lookup(key).help


def key_allowed(key: str) -> str:
    return _lookup(key).allowed


def parse_value(key: str, raw: str) -> Any:
    """Parse and check one value, as the parameter panel does for a single field."""
    return _lookup(key).parse(raw.strip())


def format_value(key: str, value: Any) -> str:
    return _lookup(key).format(value)


def _lookup(key: str) -> KeySpec:
    try:
        return _KEYS[key]
    except KeyError:
        close = difflib.get_close_matches(key, [*_KEYS, "lr"], n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(key, f"unknown key{hint}; known keys: {', '.join(_KEYS)}") from None
