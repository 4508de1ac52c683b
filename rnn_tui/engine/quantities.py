"""Every quantity of one epoch, written once: its symbol, rule and meaning.

The unrolled table, the per-sample table, the micro-steps, the explain panel and
the help screen all read this registry, so the equation ``a_t = x_t·wx +
s_{t-1}·wrec`` (and every other) exists in one place, in one notation (δ for
dL/da_t everywhere a student reads it).

Rules and symbols are templates: ``{t}`` is the timestep, ``{p}`` is t − 1,
``{n}`` is t + 1 and ``{T}`` the last timestep. :meth:`Quantity.rule_at` fills
them with numbers (``a_2 = x_2·wx + s_1·wrec``); :attr:`Quantity.equation`
writes the general form (``a_t = x_t·wx + s_{t-1}·wrec``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .lookup import look_up

Phase = Literal["forward", "loss", "backward", "update"]


def _fill(template: str, t: int | None, steps: int | None) -> str:
    if t is None:  # the general form, as the help screen writes it
        return template.format(t="t", p="{t-1}", n="{t+1}", T="T")
    last = "T" if steps is None else str(steps)
    return template.format(t=t, p=t - 1, n=t + 1, T=last)


def _fill_last(template: str) -> str:
    """The general form of a rule at the last timestep: ``s_T = a_T``."""
    return template.format(t="T", p="{T-1}", n="{T+1}", T="T")


@dataclass(frozen=True)
class Quantity:
    """One quantity a student computes by hand in an epoch."""

    key: str
    """The registry key; the :class:`~rnn_tui.engine.model.Trace` field holding its
    numbers is the same name, except for ``update`` (see :attr:`trace_field`)."""

    symbol: str
    """How equations name it (a template, see the module docstring)."""

    heading: str
    """The table's column heading: short, fixed width."""

    meaning: str
    """What it is, in a few words."""

    rule: str
    """How it is computed (a template)."""

    why: str
    """One paragraph a student can read: what it means and why it matters."""

    phase: Phase
    """The part of the epoch that computes it."""

    gradient: bool = False
    """A derivative of the loss: the tables colour and mark these by magnitude."""

    last_rule: str = ""
    """The rule at t = T, where it differs (the output step is linear)."""

    @property
    def trace_field(self) -> str | None:
        """The Trace field with its numbers; None for the update (the optimizer's)."""
        return None if self.key == "update" else self.key

    @property
    def per_timestep(self) -> bool:
        """A column of the unrolled table (one number per timestep and sample)."""
        return self.key in COLUMNS

    def symbol_at(self, t: int | None = None, steps: int | None = None) -> str:
        """``δ_2·x_2`` at ``t`` = 2; ``δ_t·x_t`` when ``t`` is None."""
        return _fill(self.symbol, t, steps)

    def rule_at(self, t: int | None = None, steps: int | None = None) -> str:
        """The rule at timestep ``t`` of ``steps``; the general form when ``t`` is None."""
        last = self.last_rule and t is not None and steps is not None and t == steps
        return _fill(self.last_rule if last else self.rule, t, steps)

    @property
    def help(self) -> str:
        """One line for a help screen: what it is, and its equation where it has one."""
        equation = self.equation
        return f"{self.meaning}: {equation}" if "=" in equation else self.meaning

    @property
    def equation(self) -> str:
        """The general rule, plus the last step's where it differs."""
        if not self.last_rule:
            return self.rule_at()
        return f"{self.rule_at()}; at t = T: {_fill_last(self.last_rule)}"


_LINEAR_OUTPUT = "(the output step is linear)"
_WHY_PREDICTION = (
    "The network's answer ŷ = s_T and its error ŷ − y: the only place the target enters, and "
    "where the backward pass starts."
)

_ALL: tuple[Quantity, ...] = (
    Quantity(
        "x",
        "x_{t}",
        "x_t",
        "the input at timestep t",
        "x_{t} (input data)",
        "The input at step t. It is data, never learned; where x_t = 0 this step teaches wx "
        "nothing, because dL/dwx collects δ_t·x_t.",
        "forward",
    ),
    Quantity(
        "a",
        "a_{t}",
        "a_t",
        "pre-activation",
        "a_{t} = x_{t}·wx + s_{p}·wrec",
        "The pre-activation: this step's input weighted by wx plus the previous state weighted "
        "by wrec. The same two weights are used at every step (weight sharing).",
        "forward",
    ),
    Quantity(
        "s",
        "s_{t}",
        "s_t",
        "hidden state",
        "s_{t} = f(a_{t})",
        "The hidden state, the network's memory carried to the next step. The last step is "
        "linear, so s_T = a_T is the prediction ŷ.",
        "forward",
        last_rule=f"s_{{t}} = a_{{t}} = ŷ {_LINEAR_OUTPUT}",
    ),
    Quantity(
        "fprime",
        "f'(a_{t})",
        "f'(a_t)",
        "slope of the activation at a_t",
        "f'(a_{t})",
        "How much s_t moves when a_t moves. Going back one step multiplies the gradient by "
        "wrec·f'(a_t): a sigmoid's f' ≤ 0.25, so unless |wrec| > 4 the gradient shrinks at every "
        "step back and vanishes over long sequences.",
        "backward",
        last_rule=f"f'(a_{{t}}) {_LINEAR_OUTPUT}",
    ),
    Quantity(
        "delta",
        "δ_{t}",
        "δ_t",
        "dL/da_t, flowing back in time",
        "δ_{t} = δ_{n}·wrec·f'(a_{t})",
        "dL/da_t: how much the loss changes when a_t changes. It flows backwards in time, "
        "multiplied by wrec·f'(a_t) per step: |wrec·f'| > 1 explodes, < 1 vanishes.",
        "backward",
        gradient=True,
        last_rule="δ_{t} = 2·(ŷ − y)/N",
    ),
    Quantity(
        "delta_x",
        "δ_{t}·x_{t}",
        "δ_t·x_t",
        "this timestep's share of dL/dwx",
        "δ_{t}·x_{t}",
        "This step's share of dL/dwx. wx is used at every step, so its gradient is the sum "
        "of these shares over all timesteps and sequences.",
        "backward",
        gradient=True,
    ),
    Quantity(
        "delta_s_prev",
        "δ_{t}·s_{p}",
        "δ_t·s_t-1",
        "this timestep's share of dL/dwrec",
        "δ_{t}·s_{p}",
        "This step's share of dL/dwrec. wrec multiplied s_{t-1} here, so the state it "
        "multiplied weights how much the error at a_t blames it.",
        "backward",
        gradient=True,
    ),
    Quantity(
        "prediction",
        "ŷ",
        "predict",
        "what the network outputs",
        "ŷ = s_{T}",
        _WHY_PREDICTION,
        "loss",
    ),
    Quantity(
        "error",
        "ŷ − y",
        "error",
        "how far off the prediction is",
        "error = ŷ − y",
        _WHY_PREDICTION,
        "loss",
    ),
    Quantity(
        "loss",
        "L",
        "loss",
        "mean squared error over the N sequences",
        "L = Σ_n (ŷ − y)² / N",
        "The mean squared error over the N sequences: the single number training drives "
        "down. (The notebook's first experiment computes its cost with y of shape (3, 1), which "
        "broadcasts to 3×3 and would read 4.0 at the exact answer, but never prints it: it "
        "prints the predictions layer_3. This is the true MSE.)",
        "loss",
    ),
    Quantity(
        "dwx",
        "dL/dwx",
        "dL/dwx",
        "gradient of wx",
        "dL/dwx = Σ_n Σ_t δ_t·x_t",
        "Total gradient of wx: sum of δ_t·x_t over every timestep and sequence.",
        "update",
        gradient=True,
    ),
    Quantity(
        "dwrec",
        "dL/dwrec",
        "dL/dwrec",
        "gradient of wrec",
        "dL/dwrec = Σ_n Σ_t δ_t·s_{{t-1}}",
        "Total gradient of wrec: sum of δ_t·s_{t-1} over every timestep and sequence. "
        "Its size does not set the learning rate: stability does. A step overshoots when lr is "
        "above 2 / (d²L/dwrec²); near the notebook's answer d²L/dwrec² = 14.7, so with "
        "lr_wx = 0.02 any lr_wrec above 0.124 never settles. Its 0.0006 is far on the safe side "
        "(0.02 converges faster), not a sign of a steeper gradient (at epoch 0 "
        "dL/dwx = -10.44, dL/dwrec = -1.98).",
        "update",
        gradient=True,
    ),
    Quantity(
        "update",
        "w",
        "update",
        "the step both weights take",
        "w ← w − lr·dL/dw",
        "One step downhill: each weight moves against its gradient. The optimizer decides how far.",
        "update",
    ),
)

QUANTITIES: dict[str, Quantity] = {q.key: q for q in _ALL}
"""Every quantity by key, in the order an epoch computes them."""

COLUMNS: tuple[str, ...] = ("x", "a", "s", "fprime", "delta", "delta_x", "delta_s_prev")
"""The unrolled table's columns, one number per timestep and sample."""

FORWARD_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS[1:] if QUANTITIES[c].phase == "forward")
"""Computed by a forward micro-step (the inputs x are data, known from the start)."""

BACKWARD_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if QUANTITIES[c].phase == "backward")
"""Computed by a backward micro-step."""

LOSS_QUANTITIES: tuple[str, ...] = ("prediction", "error", "loss")
"""Computed by the loss micro-step: per sample, and the loss itself."""

UPDATE_QUANTITIES: tuple[str, ...] = ("dwx", "dwrec", "update")
"""Computed by the update micro-step."""

GRADIENT_SHARES: dict[str, str] = {"dwx": "delta_x", "dwrec": "delta_s_prev"}
"""Each total gradient and the per-timestep column whose sum it is."""


def quantity(key: str) -> Quantity:
    """The quantity named ``key``; a ValueError naming the known ones otherwise."""
    return look_up(QUANTITIES, key, "quantity")
