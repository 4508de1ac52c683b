"""The status lines are drawn exactly as Textual draws their Rich text.

:class:`OneLineText` styles a line that fits without Textual's Content machinery;
over random lines (styles side by side or overlapping, a base style, wide characters,
lines longer than the width) its strips must equal those of Textual's own route,
segment for segment, styles and selection offsets included, on each status widget."""

from __future__ import annotations

import random

from rich.style import Style
from rich.text import Span, Text
from textual.visual import RenderOptions, Visual, visualize

from rnn_tui.ui.status.bar import OneLineWidget, StatusBar, TextLine

from .conftest import driving

NAMES = ["", "dim", "bold", "bold reverse", "bold cyan", "italic", "bold blue", "red on white"]
OBJECTS = [Style(underline=True), Style(color="magenta", bold=True), Style(dim=True)]
ALPHABET = "abc xyz 0123456789 +-.·◆✓‖▶×界"


def random_text(rng: random.Random) -> Text:
    plain = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
    text = Text(plain, end="", no_wrap=rng.random() < 0.5)
    cuts = sorted(rng.sample(range(len(plain) + 1), min(len(plain) + 1, rng.randint(0, 8))))
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        if rng.random() < 0.8:
            text.spans.append(Span(start, end, rng.choice(NAMES + OBJECTS)))
    if rng.random() < 0.1 and plain:  # overlapping: Textual's route
        text.spans.append(Span(0, len(plain), "bold"))
    if rng.random() < 0.1:  # a base style: Textual's route
        text.style = rng.choice(NAMES[1:])
    return text


async def test_a_line_is_drawn_as_textual_draws_its_rich_text() -> None:
    rng = random.Random(2026)
    async with driving(size=(100, 30)) as (app, pilot):
        await pilot.pause()
        widgets: list[OneLineWidget] = [app.query_one(StatusBar), app.query_one(TextLine)]
        fast = 0
        for _ in range(400):
            widget = rng.choice(widgets)
            text = random_text(rng)
            width = rng.randint(1, 50)
            style = widget.visual_style
            ours = widget.one_line(text)
            fast += ours._fits(width, widget_options(widget))
            assert Visual.to_strips(widget, ours, width, 1, style) == Visual.to_strips(
                widget, visualize(widget, text), width, 1, style
            )
        assert fast > 150  # most lines took the quick way


def widget_options(widget: OneLineWidget) -> RenderOptions:
    return RenderOptions(widget._get_style, widget.styles)
