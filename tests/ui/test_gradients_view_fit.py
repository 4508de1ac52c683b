"""The gradients view never contradicts itself (issue 9): its caption and its chart
read the same numbers, its axes are labelled, and a divergence does not crush it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from rnn_tui.engine import PRESETS, Trainer, gradient_growth, gradient_through_time
from rnn_tui.ui.views.gradients import DeltaChart, GradientsView, NormChart, log_axis, verdict

from .conftest import driving


def test_a_flat_flow_is_drawn_flat_as_the_caption_says() -> None:
    trainer = Trainer(PRESETS["seed-linear"])
    trainer.step(20_000)  # near convergence: |delta_t| ~1e-9, equal at every t
    trace = trainer.trace()
    flow = gradient_through_time(trace)
    assert "(×1 per step back)" in verdict(gradient_growth(trace), trace.wrec, trace.t)
    logs = np.log10(flow)
    (low, high), ticks, labels = log_axis(logs)
    assert high - low >= 1  # plotext would stretch a 1e-7 relative spread to full height
    assert (logs.max() - logs.min()) / (high - low) < 0.01
    assert low <= min(ticks) and max(ticks) <= high and labels[-1] == f"1e{high}"


@pytest.mark.parametrize(
    ("low", "high"), [(-5.0, 1.5), (99.0, 198.0), (-9.3, -9.2), (0.0, 0.0), (-300.0, 308.0)]
)
def test_ticks_lie_inside_the_range_evenly(low: float, high: float) -> None:
    (bottom, top), ticks, labels = log_axis(np.array([low, high]))
    assert bottom <= low and high <= top and top - bottom >= 1
    assert all(bottom <= t <= top for t in ticks) and len(labels) == len(ticks) <= 7
    assert len({b - a for a, b in itertools.pairwise(ticks)}) <= 1


def test_nothing_finite_still_gives_an_axis() -> None:
    assert log_axis(np.array([np.inf, np.nan]))[0] == (0, 1)


async def test_after_a_divergence_the_charts_keep_their_height() -> None:
    async with driving("exploding", size=(100, 40)) as (app, pilot):
        await pilot.press("g", "space", "space")
        await pilot.pause()
        assert app.trainer.diverged
        view = app.query_one(GradientsView)
        delta, norm = view.query_one(DeltaChart), view.query_one(NormChart)
        assert delta.region.height >= 8
        assert norm.region.height == 0 or norm.region.height >= 8
        figure = delta.render()
        plain = figure.__rich__().plain if hasattr(figure, "__rich__") else str(figure)
        assert "|δ_t|" in "\n".join(plain.splitlines()[-2:])
