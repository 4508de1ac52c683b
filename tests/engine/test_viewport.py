"""The landscape window, its log-spaced bands and the thinned per-epoch series."""

from __future__ import annotations

import numpy as np

from rnn_tui.engine import PRESETS, Trainer, landscape, loss_and_grads
from rnn_tui.engine.datasets import load
from rnn_tui.engine.series import gradient_norms, thin, weight_path
from rnn_tui.engine.viewport import Viewport, band_edges, bands_of, known_optimum


def test_zoom_keeps_the_centre_and_scales_the_span() -> None:
    view = Viewport((0.0, 2.0), (-1.0, 3.0))
    zoomed = view.zoom(0.5)
    assert zoomed.centre == view.centre
    assert zoomed.span == (1.0, 2.0)
    assert view.zoom(2.0).span == (4.0, 8.0)


def test_centre_and_pan() -> None:
    view = Viewport().centred_on(1.0, 1.0)
    assert view.centre == (1.0, 1.0) and view.span == (6.0, 6.0)
    assert view.pan(0.5, -0.5).centre == (4.0, -2.0)


def test_cells_put_large_wrec_at_the_top() -> None:
    view = Viewport((0.0, 1.0), (0.0, 1.0))
    assert view.cell(0.0, 1.0, 11, 21) == (0, 0)
    assert view.cell(1.0, 0.0, 11, 21) == (10, 20)
    assert view.cell(0.5, 0.5, 11, 21) == (5, 10)
    assert view.cell(2.0, 0.5, 11, 21) is None
    assert view.cell(float("nan"), 0.5, 11, 21) is None


def test_around_holds_every_point() -> None:
    view = Viewport.around(np.array([0.2, 1.0]), np.array([1.5, 1.0]))
    assert view.wx[0] < 0.2 and view.wx[1] > 1.0
    assert view.wrec[0] < 1.0 and view.wrec[1] > 1.5


def test_bands_are_log_spaced_and_inf_is_top() -> None:
    loss = np.array([[1e-4, 3e-2], [1.0, np.inf]])
    edges = band_edges(loss, 4)
    assert np.allclose(np.log10(edges), [-3.0, -2.0, -1.0])
    assert bands_of(loss, edges).tolist() == [[0, 2], [3, 3]]


def test_landscape_grid_agrees_with_loss_and_grads() -> None:
    data = load("notebook")
    grid = landscape(data.x, data.y, "sigmoid", (-2.0, 2.0), (-1.0, 3.0), (7, 9))
    for i, j in [(0, 0), (3, 4), (6, 8)]:
        loss, _, _ = loss_and_grads(grid.wx[j], grid.wrec[i], data.x, data.y, "sigmoid")
        assert np.isclose(grid.loss[i, j], loss)


def test_known_optimum_only_for_linear_counting() -> None:
    assert known_optimum(load("notebook"), "identity") == (1.0, 1.0)
    assert known_optimum(load("roelants"), "identity") == (1.0, 1.0)
    assert known_optimum(load("notebook"), "sigmoid") is None


def test_thin_keeps_ends() -> None:
    assert thin(5, 10).tolist() == [0, 1, 2, 3, 4]
    picked = thin(10_001, 100)
    assert picked[0] == 0 and picked[-1] == 10_000 and len(picked) <= 100


def test_series_stop_at_the_cursor() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(1000)
    trainer.goto(500)
    wx, wrec = weight_path(trainer, max_points=50)
    assert (wx[-1], wrec[-1]) == trainer.weights
    epochs, norms = gradient_norms(trainer, max_points=50)
    assert epochs[-1] == 500 and len(norms) <= 50
    assert np.isclose(norms[-1], np.hypot(*trainer.gradients))
