"""The landscape reads as a student reads it (issue 9): axes named as axes, the optimum
visible beside the weights that reached it, a path that shows where it went."""

from __future__ import annotations

from rnn_tui.ui.views import LandscapeView
from rnn_tui.ui.views.landscape import ARROWS, NOW, OPTIMUM, START

from .views.demo import ViewsDemo


async def map_text(epochs: int) -> tuple[str, LandscapeView]:
    app = ViewsDemo("seed-linear", epochs=epochs)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.query_one(LandscapeView)
        return str(view.render()), view


async def test_the_axes_are_named_as_axes_not_as_a_ratio() -> None:
    text, _ = await map_text(10)
    assert "wrec/wx" not in text
    assert "wrec ↑│" in text
    assert text.splitlines()[-2].lstrip().startswith("wx → ")


async def test_the_optimum_shows_beside_the_converged_weights() -> None:
    text, _ = await map_text(50_000)
    rows = text.splitlines()[1:-2]
    assert sum(row.count(NOW) for row in rows) == 1
    assert sum(row.count(OPTIMUM) for row in rows) == 1
    row = next(r for r in rows if NOW in r)
    assert OPTIMUM in row and abs(row.index(NOW) - row.index(OPTIMUM)) == 1


async def test_the_path_starts_at_a_circle_and_points_the_way_it_went() -> None:
    text, _ = await map_text(2_000)
    rows = text.splitlines()[1:-2]
    assert sum(row.count(START) for row in rows) == 1
    arrows = "".join(ch for row in rows for ch in row if ch in ARROWS.values())
    # seed-linear goes from (0.2, 1.5) to (1, 1): wx only grows, so nothing points left
    assert "→" in arrows and not set(arrows) & {"←", "↖", "↙"}
    assert "○ start" in text.splitlines()[-1]
