"""Explanations show the engine's own numbers, with arithmetic that adds up."""

from __future__ import annotations

import math
import re

import pytest

from rnn_tui.engine import (
    PRESETS,
    Trainer,
    explain,
    explain_loss,
    explain_prediction,
    explain_total,
    explain_update,
    next_update,
    notebook_line,
    num,
)
from rnn_tui.engine.microsteps import COLUMNS

SETUPS = [
    PRESETS["seed-linear"].config,
    PRESETS["seed-sigmoid"].config,
    PRESETS["vanishing"].config,
    PRESETS["exploding"].config,
    PRESETS["seed-linear"].config.replace(activation="tanh", wrec=0.7),
    PRESETS["seed-linear"].config.replace(activation="relu", wrec=-0.4),
    PRESETS["seed-linear"].config.replace(activation="leaky_relu", wx=-0.3),
]


def _trainer(config: object, epochs: int = 2) -> Trainer:
    trainer = Trainer(config)  # type: ignore[arg-type]
    trainer.step(epochs)
    return trainer


def _evaluate(shown: str) -> float:
    """Evaluate a substituted segment such as '1 × 0.2000 + (-0.5) × 1.5000'."""
    expr = shown.replace("×", "*").replace("−", "-").replace("²", "**2")
    assert re.fullmatch(r"[0-9eE+\-*/(). ]+", expr), shown
    return float(eval(expr))


ARITHMETIC = {"a", "delta", "delta_x", "delta_s_prev"}


@pytest.mark.parametrize("config", SETUPS, ids=lambda c: f"{c.activation}-{c.data}")
def test_every_cell_shows_the_trace_value(config: object) -> None:
    trace = _trainer(config).trace()
    for column in COLUMNS:
        for sample in {0, trace.n - 1}:
            for t in range(1, trace.t + 1):
                explanation = explain(trace, column, sample, t)
                value = float(getattr(trace, column)[sample, t - 1])
                assert explanation.value == value
                segments = explanation.equations[-1].segments
                assert segments[-1] == num(value)
                smooth = trace.activation in ("sigmoid", "tanh")
                checked = column in ARITHMETIC or (column == "fprime" and smooth and t < trace.t)
                if checked and len(segments) == 3:
                    shown = _evaluate(segments[1])
                    assert math.isclose(shown, value, rel_tol=2e-2, abs_tol=2e-3), segments


def test_the_issue_example() -> None:
    trace = Trainer(PRESETS["seed-linear"]).trace()
    a2 = explain(trace, "a", 1, 2)  # sequence 110
    assert str(a2.equations[0]) == (
        "a_2 = x_2·wx + s_1·wrec = 1 × 0.2000 + 0.2000 × 1.5000 = 0.5000"
    )
    d1 = explain(trace, "delta", 2, 1)
    assert str(d1.equations[0]).startswith("δ_1 = δ_2·wrec·f'(a_1) = ")
    assert "wrec·f'(a_t)" in d1.why


@pytest.mark.parametrize("config", SETUPS[:4], ids=lambda c: c.activation)
def test_loss_prediction_and_totals(config: object) -> None:
    trace = _trainer(config).trace()
    assert explain_loss(trace).value == trace.loss
    assert explain_total(trace, "dwx").value == trace.dwx
    assert explain_total(trace, "dwrec").value == trace.dwrec
    prediction = explain_prediction(trace, 1)
    assert prediction.value == float(trace.error[1])
    assert prediction.equations[0].segments[-1] == num(float(trace.prediction[1]))


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam", "rprop"])
@pytest.mark.parametrize("clip", ["none", "norm:0.1"])
def test_update_uses_the_optimizers_own_rule(optimizer: str, clip: str) -> None:
    config = PRESETS["seed-linear"].config.replace(optimizer=optimizer, clip=clip)
    trainer = _trainer(config, epochs=3)
    wx = explain_update(trainer, "wx")
    wrec = explain_update(trainer, "wrec")
    trainer.step(1)
    assert (wx.value, wrec.value) == trainer.weights  # exactly what the trainer did
    assert wx.equations[-1].segments[-1] == num(trainer.weights[0])
    assert optimizer in wx.title
    assert any("clip" in str(e) for e in wx.equations) == (clip != "none")


def test_update_after_rewind_matches_the_recorded_next_epoch() -> None:
    trainer = _trainer(PRESETS["roelants-rprop"].config, epochs=20)
    trainer.goto(7)
    update = next_update(trainer)
    trainer.step(1)
    assert update.new_weights == trainer.weights


def test_gradient_descent_update_arithmetic() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    explanation = explain_update(trainer, "wrec")
    _, shown, result = explanation.equations[0].segments
    assert math.isclose(_evaluate(shown), explanation.value, rel_tol=1e-4)
    assert result == num(explanation.value)
    assert "wrec = wrec - learning_rate_rec * grad_rec" in explanation.notebook


@pytest.mark.parametrize("width", [28, 36, 50])
def test_text_fits_a_narrow_panel(width: int) -> None:
    trainer = _trainer(PRESETS["exploding"].config)
    trace = trainer.trace()
    explanations = [explain(trace, c, 3, t) for c in COLUMNS for t in (1, 2, trace.t)]
    explanations += [explain_loss(trace), explain_total(trace, "dwrec")]
    explanations += [explain_update(trainer, "wrec"), explain_prediction(trace, 0)]
    for explanation in explanations:
        lines = explanation.lines(width)
        assert lines and all(len(line) <= width for line in lines), explanation.title


def test_notebook_lines_only_for_notebook_shaped_runs() -> None:
    assert (
        notebook_line("a", 2, 3, "identity") == "In[8] layer_2 = x[:,1] * wx + states[:,1] * wrec"
    )
    assert "d_log(state_2_in)" in notebook_line("delta", 1, 3, "sigmoid") or notebook_line(
        "delta", 2, 3, "sigmoid"
    ).endswith("d_log(state_2_in)")
    assert "grad_out" in notebook_line("delta", 3, 3, "identity")
    assert notebook_line("a", 2, 20, "identity") == ""
    assert notebook_line("a", 2, 3, "tanh") == ""


def test_bad_cells_are_refused() -> None:
    trace = Trainer(PRESETS["seed-linear"]).trace()
    with pytest.raises(ValueError):
        explain(trace, "nonsense", 0, 1)
    with pytest.raises(IndexError):
        explain(trace, "a", 0, 4)
    with pytest.raises(IndexError):
        explain(trace, "a", 3, 1)


def test_vanishing_why_mentions_the_quarter() -> None:
    trace = Trainer(PRESETS["vanishing"]).trace()
    assert "0.25" in explain(trace, "fprime", 0, 1).why
