"""The registry of quantities: one notation, read by the micro-steps and the explanations."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import rnn_tui.engine
from rnn_tui.engine import (
    PRESETS,
    QUANTITIES,
    Trainer,
    explain,
    explain_loss,
    explain_prediction,
    explain_sample_sum,
    explain_total,
    explain_update,
    quantity,
)
from rnn_tui.engine.microsteps import COLUMNS, plan


def test_every_quantity_names_a_trace_field_except_the_update() -> None:
    trace = Trainer(PRESETS["seed-linear"]).trace()
    for q in QUANTITIES.values():
        if q.key == "update":
            assert q.trace_field is None
        else:
            assert q.trace_field is not None and hasattr(trace, q.trace_field)
        assert q.phase in ("forward", "loss", "backward", "update")
        assert q.symbol and q.heading and q.meaning and q.rule and q.why
    assert [k for k in QUANTITIES if QUANTITIES[k].per_timestep] == list(COLUMNS)
    assert {k for k, q in QUANTITIES.items() if q.gradient} == {
        "delta",
        "delta_x",
        "delta_s_prev",
        "dwx",
        "dwrec",
    }


def test_rules_in_general_form_and_at_a_timestep() -> None:
    assert quantity("a").equation == "a_t = x_t·wx + s_{t-1}·wrec"
    assert quantity("a").rule_at(2, 3) == "a_2 = x_2·wx + s_1·wrec"
    assert quantity("delta").rule_at(2, 3) == "δ_2 = δ_3·wrec·f'(a_2)"
    assert quantity("delta").rule_at(3, 3) == "δ_3 = 2·(ŷ − y)/N"
    assert quantity("delta").equation == "δ_t = δ_{t+1}·wrec·f'(a_t); at t = T: δ_T = 2·(ŷ − y)/N"
    assert quantity("delta_s_prev").symbol_at(1) == "δ_1·s_0"
    assert quantity("prediction").rule_at(3, 3) == "ŷ = s_3"
    with pytest.raises(ValueError, match="unknown quantity 'b'; choose one of x, a,"):
        quantity("b")


def test_students_read_delta_as_one_symbol_everywhere() -> None:
    trainer = Trainer(PRESETS["seed-sigmoid"])
    trainer.step(2)
    trace = trainer.trace()
    texts = [step.title for step in plan(trace.t).steps]
    for column in COLUMNS:
        for t in range(1, trace.t + 1):
            texts += explain(trace, column, 0, t).lines(200)
    for explanation in (
        explain_prediction(trace, 0),
        explain_loss(trace),
        explain_total(trace, "dwx"),
        explain_total(trace, "dwrec"),
        explain_sample_sum(trace, "dwrec", 1),
        explain_update(trainer, "wrec"),
    ):
        texts += explanation.lines(200)
    texts += [q.equation for q in QUANTITIES.values()] + [q.why for q in QUANTITIES.values()]
    assert not [text for text in texts if "delta" in text]
    assert any("δ_2 = δ_3·wrec·f'(a_2)" in text for text in texts)


def _strings_in_code(path: Path) -> list[str]:
    """Every string literal of a module except docstrings (which may show examples)."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("fragment", ["·wx + s_", "·wrec·f'(a_", "2·(ŷ − y)/N", "Σ_n (ŷ − y)²"])
def test_the_engine_writes_each_equation_once(fragment: str) -> None:
    engine = Path(rnn_tui.engine.__file__).parent
    holders = [
        p.name
        for p in sorted(engine.glob("*.py"))
        if any(fragment in s for s in _strings_in_code(p))
    ]
    assert holders == ["quantities.py"]


def test_help_lines_carry_the_equation_where_there_is_one() -> None:
    assert quantity("a").help == "pre-activation: a_t = x_t·wx + s_{t-1}·wrec"
    assert quantity("delta_x").help == "this timestep's share of dL/dwx"
    assert quantity("x").help == "the input at timestep t"
