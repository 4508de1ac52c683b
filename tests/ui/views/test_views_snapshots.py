"""Snapshots of each teaching view at 100×30 (deterministic: fixed presets and epochs)."""

from __future__ import annotations

from typing import Any

from .demo import ViewsDemo

SIZE = (100, 30)


def test_landscape(snap_compare: Any) -> None:
    assert snap_compare(ViewsDemo("seed-linear", epochs=3000), terminal_size=SIZE)


def test_landscape_zoomed_on_the_weights(snap_compare: Any) -> None:
    app = ViewsDemo("roelants-rprop", epochs=200)
    assert snap_compare(app, press=["o", "z"], terminal_size=SIZE)


def test_gradients_exploding(snap_compare: Any) -> None:
    assert snap_compare(ViewsDemo("exploding", view="gradients"), terminal_size=SIZE)


def test_explain_micro_step(snap_compare: Any) -> None:
    app = ViewsDemo("seed-sigmoid", epochs=5, view="explain")
    assert snap_compare(app, press=["full_stop"] * 6, terminal_size=SIZE)


def test_gradient_check(snap_compare: Any) -> None:
    assert snap_compare(ViewsDemo("roelants-rprop", view="gradcheck"), terminal_size=SIZE)


def test_lessons(snap_compare: Any) -> None:
    assert snap_compare(ViewsDemo("vanishing", view="lessons"), terminal_size=SIZE)
