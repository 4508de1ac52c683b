"""The weight update explained with the optimizer's own ``step``, so momentum, Adam and
Rprop show their real rule (and clipping its effect) with the engine's numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .equations import Equation, Explanation, factor, num
from .notebook_lines import notebook_line
from .optimizers import Adam, Momentum, Optimizer, Rprop
from .quantities import QUANTITIES
from .trainer import Trainer


@dataclass(frozen=True)
class Update:
    """The update from the current epoch to the next, computed by the optimizer itself."""

    weights: tuple[float, float]
    gradients: tuple[float, float]
    """As the trainer records them (before clipping)."""
    clipped: tuple[float, float]
    """As the optimizer receives them."""
    state_before: tuple[float, ...]
    state_after: tuple[float, ...]
    new_weights: tuple[float, float]


def next_update(trainer: Trainer) -> Update:
    """Run the trainer's optimizer once on a copy of its state at the cursor."""
    weights, gradients = trainer.weights, trainer.gradients
    clipped = trainer.config.clip_rule.apply(*gradients)
    before = trainer.optimizer_state()
    state = list(before)
    with np.errstate(all="ignore"):
        new = trainer.optimizer.step(weights, clipped, state)
    return Update(weights, gradients, clipped, tuple(before), tuple(state), new)


def explain_update(trainer: Trainer, which: str) -> Explanation:
    """``wx ← ...`` or ``wrec ← ...`` with the optimizer's own rule and numbers."""
    if which not in ("wx", "wrec"):
        raise ValueError(f"which must be wx or wrec, got {which!r}")
    i = 0 if which == "wx" else 1
    update = next_update(trainer)
    optimizer = trainer.optimizer
    equations = list(_clip_equations(trainer, update, i, which))
    equations.extend(_rule_equations(optimizer, update, i, which))
    return Explanation(
        f"update of {which} ({optimizer.name}: {optimizer.describe()})",
        tuple(equations),
        update.new_weights[i],
        QUANTITIES["update"].why,
        notebook_line(which, 0, 0, trainer.config.activation) if optimizer.name == "gd" else "",
    )


def _clip_equations(trainer: Trainer, update: Update, i: int, which: str) -> list[Equation]:
    if update.clipped == update.gradients:
        return []
    rule = trainer.config.clip_rule
    return [
        Equation(
            (
                f"g = clip(dL/d{which}, {rule})",
                f"clip({num(update.gradients[i])})",
                num(update.clipped[i]),
            )
        )
    ]


def _rule_equations(optimizer: Optimizer[float], u: Update, i: int, which: str) -> list[Equation]:
    w, g, new = u.weights[i], u.clipped[i], u.new_weights[i]
    g_name = "g" if u.clipped != u.gradients else f"dL/d{which}"
    if isinstance(optimizer, Momentum):
        v0, v1 = u.state_before[i], u.state_after[i]
        mu, lr = optimizer.momentum, optimizer.lr[i]
        return [
            Equation(
                (
                    f"v ← μ·v − lr·{g_name}",
                    f"{num(mu)} × {factor(v0)} − {num(lr)} × {factor(g)}",
                    num(v1),
                )
            ),
            Equation((f"{which} ← {which} + v", f"{num(w)} + {factor(v1)}", num(new))),
        ]
    if isinstance(optimizer, Adam):
        m, v, k = u.state_after[i], u.state_after[2 + i], u.state_after[4]
        m_hat, v_hat = optimizer.bias_corrected(list(u.state_after), i)
        lr = optimizer.lr[i]
        return [
            Equation(("m ← β1·m + (1−β1)·g", num(m))),
            Equation(("v ← β2·v + (1−β2)·g²", num(v))),
            Equation((f"m̂, v̂ (step {k:.0f})", f"{num(m_hat)}, {num(v_hat)}")),
            Equation(
                (
                    f"{which} ← {which} − lr·m̂/(√v̂ + ε)",
                    f"{num(w)} − {num(lr)} × {factor(m_hat)} / {num(math.sqrt(v_hat))}",
                    num(new),
                )
            ),
        ]
    if isinstance(optimizer, Rprop):
        step0, step1 = u.state_before[i], u.state_after[i]
        sign0, sign1 = u.state_before[2 + i], u.state_after[2 + i]
        grow = sign0 == sign1
        eta = optimizer.eta_plus if grow else optimizer.eta_minus
        return [
            Equation(
                (
                    f"step ← step·{'η+' if grow else 'η−'} (sign {sign0:+.0f} → {sign1:+.0f})",
                    f"{num(step0)} × {num(eta)}",
                    num(step1),
                )
            ),
            Equation(
                (
                    f"{which} ← {which} − sign(g)·step",
                    f"{num(w)} − ({sign1:+.0f}) × {num(step1)}",
                    num(new),
                )
            ),
        ]
    lr = optimizer.lr[i]
    return [
        Equation(
            (
                f"{which} ← {which} − lr·{g_name}",
                f"{num(w)} − {num(lr)} × {factor(g)}",
                num(new),
            )
        )
    ]
