"""The engine reproduces the notebook's and Roelants' numbers (reference/expected.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rnn_tui.engine import PRESETS, Trainer

DATA = Path(__file__).parents[1] / "data" / "expected.json"
SHARED = Path(__file__).parents[2].parent / "shared" / "reference" / "expected.json"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return dict(json.loads(DATA.read_text()))


def test_copy_of_reference_matches_shared_file() -> None:
    if not SHARED.exists():
        pytest.skip("shared/reference/expected.json is not beside this checkout")
    assert json.loads(DATA.read_text()) == json.loads(SHARED.read_text())


@pytest.fixture(scope="module")
def linear_run() -> Trainer:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(50_000)
    return trainer


def test_seed_linear_final_weights(linear_run: Trainer, expected: dict[str, Any]) -> None:
    ref = expected["seed_linear"]
    wx, wrec = linear_run.weights
    assert linear_run.epoch == ref["epochs"]
    assert wx == pytest.approx(ref["final_wx"], rel=1e-12, abs=0)
    assert wrec == pytest.approx(ref["final_wrec"], rel=1e-12, abs=0)
    assert abs(wx - 1) < 2e-11 and abs(wrec - 1) < 2e-11


@pytest.mark.parametrize(
    "epoch", ["0", "1", "2", "10", "100", "1000", "10000", "20000", "30000", "40000", "49999"]
)
def test_seed_linear_at_epoch(linear_run: Trainer, expected: dict[str, Any], epoch: str) -> None:
    ref = expected["seed_linear"]["at_epoch"][epoch]
    linear_run.goto(int(epoch))
    wx, wrec = linear_run.weights
    trace = linear_run.trace()
    assert wx == pytest.approx(ref["wx_before"], rel=1e-12, abs=0)
    assert wrec == pytest.approx(ref["wrec_before"], rel=1e-12, abs=0)
    np.testing.assert_allclose(trace.prediction, ref["prediction"], rtol=1e-12, atol=0)
    # the true mean squared error, not the notebook's broadcast (3, 3) "cost"
    assert linear_run.loss == pytest.approx(ref["mse"], rel=1e-9, abs=1e-30)


def test_seed_linear_start_matches_notebook_config(expected: dict[str, Any]) -> None:
    ref = expected["seed_linear"]
    config = PRESETS["seed-linear"].config
    assert (config.wx, config.wrec) == (ref["wx0"], ref["wrec0"])
    assert (config.lr_wx, config.lr_wrec) == (ref["lr_wx"], ref["lr_wrec"])
    assert config.epochs == ref["epochs"]
    trainer = Trainer(config)
    np.testing.assert_array_equal(trainer.dataset.x, ref["x"])
    np.testing.assert_array_equal(trainer.dataset.y, ref["y"])


@pytest.fixture(scope="module")
def sigmoid_run() -> Trainer:
    trainer = Trainer(PRESETS["seed-sigmoid"])
    trainer.step(15_000)
    return trainer


def test_seed_sigmoid_initial_weights(expected: dict[str, Any]) -> None:
    ref = expected["seed_sigmoid"]
    config = PRESETS["seed-sigmoid"].config
    assert config.wx == ref["wx0"] and config.wrec == ref["wrec0"]
    assert (config.lr_wx, config.lr_wrec, config.epochs) == (
        ref["lr_wx"],
        ref["lr_wrec"],
        ref["epochs"],
    )


def test_seed_sigmoid_printed_costs(sigmoid_run: Trainer, expected: dict[str, Any]) -> None:
    costs = expected["seed_sigmoid"]["cost_every_1000"]
    assert len(costs) == 15
    history = sigmoid_run.history.column("loss")
    for epoch, cost in costs.items():
        assert history[int(epoch)] == pytest.approx(cost, rel=1e-12, abs=0), epoch


def test_seed_sigmoid_final_output(sigmoid_run: Trainer, expected: dict[str, Any]) -> None:
    ref = expected["seed_sigmoid"]
    np.testing.assert_allclose(sigmoid_run.trace().prediction, ref["final_output"], rtol=1e-12)
    assert sigmoid_run.weights[0] == pytest.approx(ref["final_wx"], rel=1e-12)
    assert sigmoid_run.weights[1] == pytest.approx(ref["final_wrec"], rel=1e-12)
    np.testing.assert_array_equal(np.round(sigmoid_run.trace().prediction), [1, 2, 3])


def test_roelants_rprop(expected: dict[str, Any]) -> None:
    ref = expected["roelants_rprop"]
    trainer = Trainer(PRESETS["roelants-rprop"])
    np.testing.assert_array_equal(trainer.dataset.y, ref["targets"])
    assert (trainer.config.wx, trainer.config.wrec) == tuple(ref["w0"])
    assert trainer.config.eta_plus == ref["rprop"]["eta_plus"]
    assert trainer.config.eta_minus == ref["rprop"]["eta_minus"]
    assert trainer.config.step0 == ref["rprop"]["delta0"][0]
    trainer.step(ref["iterations"])
    wx, wrec = trainer.weights
    assert wx == pytest.approx(ref["final_wx"], rel=1e-9, abs=0)
    assert wrec == pytest.approx(ref["final_wrec"], rel=1e-9, abs=0)
    assert trainer.loss == pytest.approx(ref["final_mse"], rel=1e-6)
