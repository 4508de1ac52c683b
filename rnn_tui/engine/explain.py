"""Every number of the unrolled table as an equation with its numbers filled in.

``explain(trace, column, sample, t)`` returns, for one cell, the rule that
produced it, the same rule with the engine's numbers substituted, and the
result::

    a_2 = x_2·wx + s_1·wrec = 1 × 0.2000 + 0.2000 × 1.5000 = 0.5000

The result is always the engine's own number (``Explanation.value`` is read from
the :class:`~rnn_tui.engine.model.Trace`, never recomputed); the middle part
only shows the arithmetic. The weight update is explained with the optimizer's
own ``step`` so momentum, Adam and Rprop show their real rule.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .model import Trace
from .optimizers import Adam, Momentum, Optimizer, Rprop
from .quantities import COLUMNS, QUANTITIES, Quantity
from .trainer import Trainer

A, S, FPRIME, DELTA, LOSS = (QUANTITIES[k] for k in ("a", "s", "fprime", "delta", "loss"))
# Each gradient's total and the per-timestep share it sums.
_SHARE = {"dwx": "delta_x", "dwrec": "delta_s_prev"}


def num(value: float) -> str:
    """A number as shown in equations: 4 decimals, scientific when tiny or huge."""
    if not math.isfinite(value):
        return str(value)
    magnitude = abs(value)
    if magnitude == 0.0:
        return "0"
    if magnitude < 1e5 and float(value).is_integer():
        return f"{value:.0f}"
    if 1e-3 <= magnitude < 1e5:
        return f"{value:.4f}"
    return f"{value:.3e}"


def factor(value: float) -> str:
    """A number inside a product: negative ones in parentheses."""
    text = num(value)
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True)
class Equation:
    """``segments`` joined by `` = ``: the rule, the substituted numbers, the result."""

    segments: tuple[str, ...]

    def __str__(self) -> str:
        return " = ".join(self.segments)

    def lines(self, width: int) -> list[str]:
        """Fit in ``width`` columns, breaking before each ``=`` and then at spaces."""
        if len(str(self)) <= width:
            return [str(self)]
        out: list[str] = []
        for i, segment in enumerate(self.segments):
            text = segment if i == 0 else f"  = {segment}"
            out.extend(textwrap.wrap(text, width, subsequent_indent="    ") or [""])
        return out


@dataclass(frozen=True)
class Explanation:
    title: str
    """What is explained, e.g. "a_2, sequence 1"."""
    equations: tuple[Equation, ...]
    value: float
    """The engine's number for this cell (the last equation's result)."""
    why: str
    notebook: str = ""
    """The matching line of the notebook, where there is one."""

    def lines(self, width: int) -> list[str]:
        """The whole explanation wrapped to ``width`` columns."""
        out = textwrap.wrap(self.title, width)
        for equation in self.equations:
            out.extend(equation.lines(width))
        out.append("")
        out.extend(textwrap.wrap(self.why, width))
        if self.notebook:
            out.append("")
            out.extend(textwrap.wrap(f"notebook: {self.notebook}", width, subsequent_indent="  "))
        return out


def _value(trace: Trace, column: str, sample: int, t: int) -> float:
    array: np.ndarray = getattr(trace, column)
    return float(array[sample, t - 1])


def _check(trace: Trace, column: str, sample: int, t: int) -> None:
    if column not in COLUMNS:
        raise ValueError(f"unknown column {column!r}; columns are {', '.join(COLUMNS)}")
    if not (0 <= sample < trace.n and 1 <= t <= trace.t):
        raise IndexError(
            f"no cell at sequence {sample + 1}, t = {t} (N = {trace.n}, T = {trace.t})"
        )


def explain(trace: Trace, column: str, sample: int, t: int) -> Explanation:
    """The equation behind one table cell; ``sample`` is 0-based, ``t`` is 1..T."""
    _check(trace, column, sample, t)
    value = _value(trace, column, sample, t)
    segments = _SEGMENTS[column](trace, sample, t)
    quantity = QUANTITIES[column]
    return Explanation(
        f"{quantity.symbol_at(t)}, sequence {sample + 1}",
        (Equation((*segments, num(value))),),
        value,
        quantity.why,
        notebook_line(column, t, trace.t, trace.activation),
    )


def _x(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    return (QUANTITIES["x"].rule_at(t, trace.t),)


def _a(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    x, s_prev = _value(trace, "x", n, t), float(trace.s_prev[n, t - 1])
    return (
        A.rule_at(t, trace.t),
        f"{factor(x)} × {factor(trace.wx)} + {factor(s_prev)} × {factor(trace.wrec)}",
    )


def _s(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    a = _value(trace, "a", n, t)
    if t == trace.t:
        return (S.rule_at(t, trace.t),)
    act = get_activation(trace.activation)
    shown = {
        "identity": f"a_{t}",
        "sigmoid": f"1 / (1 + e^{num(-a)})",
        "tanh": f"tanh({num(a)})",
        "relu": f"max({num(a)}, 0)",
        "leaky_relu": f"{num(a)}" if a > 0 else f"0.01 × {factor(a)}",
    }.get(act.name, f"f({num(a)})")
    return (S.rule_at(t, trace.t), shown)


def _fprime(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    if t == trace.t:
        return (FPRIME.rule_at(t, trace.t),)
    act = get_activation(trace.activation)
    if act.unit_derivative:
        return (FPRIME.rule_at(t, trace.t), f"d/da {act.formula.split('=', 1)[1].strip()}")
    a, s = _value(trace, "a", n, t), _value(trace, "s", n, t)
    rule = act.derivative_formula.split("=", 1)[1].strip()
    shown = {
        "sigmoid": f"{num(s)} × (1 − {num(s)})",
        "tanh": f"1 − {factor(s)}²",
        "relu": f"a_{t} = {num(a)} {'>' if a > 0 else '≤'} 0",
        "leaky_relu": f"a_{t} = {num(a)} {'>' if a > 0 else '≤'} 0",
    }.get(act.name)
    head = f"{FPRIME.rule_at(t, trace.t)} = {rule}"
    return (head,) if shown is None else (head, shown)


def _delta(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    if t == trace.t:
        y_hat, y = float(trace.prediction[n]), float(trace.target[n])
        return (
            DELTA.rule_at(t, trace.t),
            f"2 × ({num(y_hat)} − {num(y)}) / {trace.n}",
        )
    after, fp = _value(trace, "delta", n, t + 1), _value(trace, "fprime", n, t)
    return (
        DELTA.rule_at(t, trace.t),
        f"{factor(after)} × {factor(trace.wrec)} × {factor(fp)}",
    )


def _delta_x(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    d, x = _value(trace, "delta", n, t), _value(trace, "x", n, t)
    return (QUANTITIES["delta_x"].rule_at(t, trace.t), f"{factor(d)} × {factor(x)}")


def _delta_s_prev(trace: Trace, n: int, t: int) -> tuple[str, ...]:
    d, s_prev = _value(trace, "delta", n, t), float(trace.s_prev[n, t - 1])
    return (QUANTITIES["delta_s_prev"].rule_at(t, trace.t), f"{factor(d)} × {factor(s_prev)}")


_SEGMENTS = {
    "x": _x,
    "a": _a,
    "s": _s,
    "fprime": _fprime,
    "delta": _delta,
    "delta_x": _delta_x,
    "delta_s_prev": _delta_s_prev,
}


# -- outside the grid: prediction, loss, totals, update ---------------------------------


def _sum_shown(values: np.ndarray, limit: int = 3) -> str:
    """a + b + c, or a + b + … + z (N terms) when there are many."""
    terms = [factor(float(v)) for v in values]
    if len(terms) > limit + 1:
        terms = [*terms[: limit - 1], "…", terms[-1]]
        return " + ".join(terms) + f" ({len(values)} terms)"
    return " + ".join(terms)


def explain_prediction(trace: Trace, sample: int) -> Explanation:
    y_hat, y, error = (float(v[sample]) for v in (trace.prediction, trace.target, trace.error))
    t = trace.t
    return Explanation(
        f"prediction and error, sequence {sample + 1}",
        (
            Equation((QUANTITIES["prediction"].rule_at(t, t), num(y_hat))),
            Equation((QUANTITIES["error"].rule_at(), f"{num(y_hat)} − {num(y)}", num(error))),
        ),
        error,
        QUANTITIES["prediction"].why,
        notebook_line("prediction", t, t, trace.activation),
    )


def explain_loss(trace: Trace) -> Explanation:
    squares = _sum_shown(trace.squared_error)
    return Explanation(
        "loss (mean squared error)",
        (Equation((LOSS.rule_at(), f"({squares}) / {trace.n}", num(trace.loss))),),
        trace.loss,
        LOSS.why,
        notebook_line("loss", trace.t, trace.t, trace.activation),
    )


def _gradient(which: str) -> tuple[Quantity, Quantity]:
    """The total gradient ``which`` (dwx or dwrec) and the per-timestep share it sums."""
    if which not in _SHARE:
        raise ValueError(f"which must be dwx or dwrec, got {which!r}")
    return QUANTITIES[which], QUANTITIES[_SHARE[which]]


def explain_total(trace: Trace, which: str) -> Explanation:
    """dL/dwx or dL/dwrec as the sum of each sequence's share."""
    total, _ = _gradient(which)
    shares: np.ndarray = getattr(trace, f"sample_{which}")
    value: float = getattr(trace, which)
    return Explanation(
        f"{total.symbol}, summed over t and sequences",
        (Equation((total.rule_at(), _sum_shown(shares), num(value))),),
        value,
        total.why,
        notebook_line(which, trace.t, trace.t, trace.activation),
    )


def explain_sample_sum(trace: Trace, which: str, sample: int) -> Explanation:
    """One sequence's share of dL/dwx or dL/dwrec: its column summed over t."""
    total, share = _gradient(which)
    terms: np.ndarray = getattr(trace, share.key)[sample]
    value = float(getattr(trace, f"sample_{which}")[sample])
    return Explanation(
        f"sequence {sample + 1}'s share of {total.symbol}",
        (Equation((f"Σ_t {share.symbol_at()}", _sum_shown(terms), num(value))),),
        value,
        total.why,
    )


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


# -- the notebook's own lines --------------------------------------------------------------


def notebook_line(column: str, t: int, steps: int, activation: str) -> str:
    """The notebook line that computes the same number, when the run is shaped like the
    notebook's (T = 3, identity in In[8] or sigmoid in In[15]); '' otherwise."""
    if steps not in (0, 3) or activation not in ("identity", "sigmoid"):
        return ""
    lines = _NOTEBOOK_LINEAR if activation == "identity" else _NOTEBOOK_SIGMOID
    line = lines.get(column, "")
    if not line or (column == "fprime" and t == 3):
        return ""
    if column in ("delta", "s") and t == 3:
        line = lines[f"{column}_out"]
    return line.format(t=t, k=t - 1, after=t + 1)


# Cell In[8] (identity): states[:, t] is s_t and grad_over_time[:, t] is delta_t.
_NOTEBOOK_LINEAR = {
    "a": "In[8] layer_{t} = x[:,{k}] * wx + states[:,{k}] * wrec",
    "s": "In[8] states[:,{t}] = layer_{t}",
    "s_out": "In[8] states[:,3] = layer_3",
    "delta_out": "In[8] grad_out = (states[:,3] - np.squeeze(y)) * 2 / number_of_training_data",
    "delta": "In[8] grad_over_time[:,{t}] = grad_over_time[:,{after}] * wrec",
    "delta_x": "In[8] grad_wx term grad_over_time[:,{t}] * x[:,{k}]",
    "delta_s_prev": "In[8] grad_rec term grad_over_time[:,{t}] * states[:,{k}]",
    "prediction": "In[8] print(..., layer_3) every 1000 epochs; its [1. 2. 3.] at epoch 0 "
    "comes from weights an earlier run had trained (cells In[6] → In[8]); fresh weights give "
    "[0.45 0.75 0.95]",
    "loss": "In[8] cost = np.square(states[:,3] - y).sum() / number_of_training_data "
    "(y is (3, 1): this broadcasts to 3×3; computed, never printed)",
    "dwx": "In[8] grad_wx = np.sum(grad_over_time[:,3] * x[:,2] + ...)",
    "dwrec": "In[8] grad_rec = np.sum(grad_over_time[:,3] * states[:,2] + ...)",
    "wx": "In[8] wx = wx - learning_rate_x * grad_wx",
    "wrec": "In[8] wrec = wrec - learning_rate_rec * grad_rec",
}

# Cell In[15] (sigmoid): state[:, t] is s_t and grad_over_time[:, t-1] is delta_t.
_NOTEBOOK_SIGMOID = {
    "a": "In[15] state_{t}_in = state[:,{k}]*wrec + x[:,{k}]*wx",
    "s": "In[15] state_{t}_out = log(state_{t}_in)",
    "s_out": "In[15] state[:,3] = state_3_in",
    "fprime": "In[15] d_log(state_{t}_in)",
    "delta_out": "In[15] grad_over_time[:,2] = (state[:,3] - np.squeeze(y)) * (2/len(x))",
    "delta": "In[15] grad_over_time[:,{k}] = grad_over_time[:,{t}] * wrec * d_log(state_{t}_in)",
    "delta_x": "In[15] grad_wx term grad_over_time[:,{k}]*x[:,{k}]",
    "delta_s_prev": "In[15] grad_wrec term grad_over_time[:,{k}]*state[:,{k}]",
    "prediction": "In[15] state[:,3] = state_3_in",
    "loss": "In[15] cost = np.square(state[:,3] - np.squeeze(y)).sum() / len(x)",
    "dwx": "In[15] grad_wx = np.sum(grad_over_time[:,2]*x[:,2] + ...)",
    "dwrec": "In[15] grad_wrec = np.sum(grad_over_time[:,2]*state[:,2] + ...)",
    "wx": "In[15] wx = wx - lr_wx * grad_wx",
    "wrec": "In[15] wrec = wrec - lr_wrec * grad_wrec",
}
