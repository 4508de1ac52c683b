"""Every number of the unrolled table as an equation with its numbers filled in.

``explain(trace, column, sample, t)`` returns, for one cell, the rule that
produced it, the same rule with the engine's numbers substituted, and the
result::

    a_2 = x_2·wx + s_1·wrec = 1 × 0.2000 + 0.2000 × 1.5000 = 0.5000

The result is always the engine's own number (``Explanation.value`` is read from
the :class:`~rnn_tui.engine.model.Trace`, never recomputed); the middle part
only shows the arithmetic. The weight update is explained in :mod:`.explain_update`.
"""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .equations import Equation, Explanation, factor, num
from .model import Trace
from .notebook_lines import notebook_line
from .quantities import COLUMNS, GRADIENT_SHARES, QUANTITIES, Quantity

A, S, FPRIME, DELTA, LOSS = (QUANTITIES[k] for k in ("a", "s", "fprime", "delta", "loss"))


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
    if which not in GRADIENT_SHARES:
        raise ValueError(f"which must be dwx or dwrec, got {which!r}")
    return QUANTITIES[which], QUANTITIES[GRADIENT_SHARES[which]]


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
