"""A config's update rule: the optimizer it names, with its settings."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .config import Config, ConfigError
from .optimizers import Adam, GradientDescent, Momentum, Optimizer, Rprop, V


def build_optimizer(config: Config) -> Optimizer[float]:
    """The config's update rule for one run."""
    if config.optimizer == "rprop":
        return Rprop(config.eta_plus, config.eta_minus, config.step0)
    return rate_optimizer(config, (config.lr_wx, config.lr_wrec))


def rate_optimizer(config: Config, lr: tuple[V, V]) -> Optimizer[V]:
    """The config's update rule with the learning rates ``lr``: floats for one run,
    arrays for a sweep's runs. Rprop is refused: it has no learning rate."""
    if config.optimizer == "momentum":
        return Momentum(lr, config.momentum)
    if config.optimizer == "adam":
        return Adam(lr, config.beta1, config.beta2, config.eps)
    if config.optimizer == "rprop":
        raise ConfigError(
            "optimizer", "rprop has no learning rate (its steps start at step0 and adapt)"
        )
    return GradientDescent(lr)


def replay_rule(
    config: Config, state: list[float], rows: Iterable[tuple[float, float, float, float, float]]
) -> list[float]:
    """``state`` moved along recorded epochs ``rows`` by ``config``'s rule (in place): the
    optimizer's state at a later epoch, exactly as the run computed it."""
    optimizer = build_optimizer(config)
    clip = config.clip_rule
    with np.errstate(all="ignore"):
        for wx, wrec, _, dwx, dwrec in rows:
            optimizer.step((wx, wrec), clip.apply(dwx, dwrec), state)
    return state
