"""Every number the teaching text quotes is the one the engine computes, and the text
says what the notebook (/work/shared/seed) really does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnn_tui.engine import PRESETS, Trainer, sweep_learning_rates
from rnn_tui.engine.model import loss_and_grads
from rnn_tui.engine.notebook_lines import _NOTEBOOK_LINEAR
from rnn_tui.engine.quantities import QUANTITIES

ROOT = Path(__file__).parents[2]
LESSON = (ROOT / "docs" / "lesson.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINEAR_NOTE = PRESETS["seed-linear"].note
TEXTS = {
    "lesson": LESSON,
    "readme": README,
    "seed-linear": LINEAR_NOTE,
    "why-dwrec": QUANTITIES["dwrec"].why,
}


def run(epochs: int, **changes: object) -> Trainer:
    trainer = Trainer(PRESETS["seed-linear"].config.replace(**changes))
    trainer.goto(epochs)
    return trainer


def test_the_gradients_at_epoch_0_are_as_quoted() -> None:
    dwx, dwrec = run(0).gradients
    assert f"{dwx:.2f}" == "-10.44" and f"{dwrec:.2f}" == "-1.98"
    for name in ("lesson", "seed-linear", "why-dwrec"):
        text = TEXTS[name].replace("−", "-")
        assert "dL/dwx = -10.44" in text and "dL/dwrec = -1.98" in text, name
        assert "far steeper" not in text and "is steeper because" not in text, name


@pytest.mark.slow
def test_the_stability_bound_on_lr_wrec_is_as_quoted() -> None:
    x, y = run(0).dataset.x, run(0).dataset.y
    h = 1e-6
    grads = loss_and_grads(1.0, np.array([1.0 + h, 1.0 - h]), x, y)[2]
    curvature = (grads[0] - grads[1]) / (2 * h)  # d²L/dwrec² at the answer
    assert f"{curvature:.1f}" == "14.7"
    hessian = np.array([[28 / 3, 34 / 3], [34 / 3, 44 / 3]])  # exact at wx = wrec = 1

    def largest(lr_wrec: float) -> float:
        root = np.diag(np.sqrt([0.02, lr_wrec]))
        return float(np.linalg.eigvalsh(root @ hessian @ root).max())

    assert largest(0.1243) < 2 < largest(0.1245)  # the bound: 0.124
    config = PRESETS["seed-linear"].config
    result = sweep_learning_rates(config, 0.02, [0.12, 0.13, 1.0], 50_000)
    assert result.loss[0] < 1e-20  # below the bound: converges
    assert f"{result.loss[1]:.2g}" == "0.047"  # above: never settles
    assert result.diverged_at[2] == 5
    for name in ("lesson", "seed-linear", "why-dwrec"):
        assert "14.7" in TEXTS[name] and "0.124" in TEXTS[name], name


def test_a_larger_lr_wrec_is_faster_as_quoted() -> None:
    assert f"{run(1000, lr_wrec=0.02).loss:.2g}" == "1.6e-07"
    assert f"{run(1000).loss:.2g}" == "0.044"
    for name in ("lesson", "seed-linear"):
        assert "1.6e-7 by epoch 1000" in TEXTS[name] and "0.044" in TEXTS[name], name


def test_epoch_0_predicts_what_the_text_says() -> None:
    prediction = run(0).trace().prediction
    np.testing.assert_allclose(prediction, [0.45, 0.75, 0.95], rtol=1e-12)
    assert "[0.45 0.75 0.95]" in README and "0.45, 0.75, 0.95" in LESSON
    assert "In[6] → In[8]" in README and "In[6] → In[8]" in LESSON


@pytest.mark.parametrize("name", ["lesson", "readme"])
def test_the_notebook_is_never_said_to_print_a_cost_for_its_first_experiment(
    name: str,
) -> None:
    text = TEXTS[name]
    assert "prints a cost near" not in text and 'printed "cost"' not in text
    assert "never printed" in text or "never prints a cost" in text
    assert "never printed" in _NOTEBOOK_LINEAR["loss"]
    assert "never prints it" in QUANTITIES["loss"].why


def test_the_lesson_names_the_mark_the_app_shows() -> None:
    assert "stay blank" not in LESSON and "show `·`" in LESSON


def test_the_valley_figures_in_the_lesson() -> None:
    assert [f"{run(e).loss:.3f}" for e in (0, 5, 100)] == ["2.022", "0.062", "0.060"]
    assert "from 2.02 to 0.062 in the first 5 epochs" in LESSON
    assert "0.060\n  by epoch 100" in LESSON or "0.060 by epoch 100" in LESSON


def test_the_sigmoid_printout_matches_to_1e12_not_digit_for_digit() -> None:
    import json

    printed = json.loads((ROOT / "tests" / "data" / "expected.json").read_text())
    costs = printed["seed_sigmoid"]["cost_every_1000"]
    trainer = Trainer(PRESETS["seed-sigmoid"])
    same = 0
    for epoch, cost in costs.items():
        trainer.goto(int(epoch))
        assert abs(trainer.loss - cost) < 1e-12
        same += repr(trainer.loss) == repr(cost)
    assert (same, len(costs)) == (11, 15)
    assert "to 1e-12 (11 digit for digit, 4\ndiffer in the last two digits)" in README
    assert "to 1e-12" in " ".join(PRESETS["seed-sigmoid"].lesson)
