"""A modal screen whose tinted copy of the screen beneath costs one tint per style.

A modal screen with a translucent background shows the screen beneath it tinted:
Textual's ``Screen.render`` returns a ``BackgroundScreen``, which writes the screen
beneath out as one stream of Rich segments, blends the tint into every segment
(converting both colours of each: at 200x60 ~900 segments, 6 ms of a ~25 ms first
frame), puts the modal's own style on each and splits the stream back into lines.
A screen holds few distinct styles: here the lines beneath are taken as they are,
each distinct style is tinted once per frame by Textual's own ``process_segments``,
and the segments share the result: the same colours, in a fraction of the time.

This leans on Textual internals (textual 8.2, pinned): ``BackgroundScreen.process_segments``
and the screen beneath's compositor. tests/ui/test_frame_cost.py checks that the
tint still goes through ``process_segments`` and that the help looks exactly as
Textual draws it.
"""

from __future__ import annotations

from itertools import islice

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.css.styles import RulesMap
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual


class TintedScreenBeneath(Visual):
    """The screen beneath, tinted with ``color``, under the modal's own style."""

    def __init__(self, beneath: Screen[object], color: Color) -> None:
        self.beneath = beneath
        self.color = color

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        looks: dict[Style | None, Style | None] = {}  # a style beneath -> tinted, under ours
        lines = []
        for line in islice(self.beneath._compositor.render_strips(), height):
            segments = []
            for text, beneath_style, _ in line:
                # the tint drops links and meta (which tell each cell's offset apart)
                plain = None if beneath_style is None else beneath_style.clear_meta_and_links()
                if plain not in looks:
                    tinted = self._tinted(plain)
                    looks[plain] = base + tinted if base else tinted
                segments.append(Segment(text, looks[plain]))
            lines.append(Strip(segments).crop(0, width))
        return lines

    def _tinted(self, style: Style | None) -> Style | None:
        (segment,) = BackgroundScreen.process_segments([Segment("", style)], self.color)
        return segment.style

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.beneath.size.width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.beneath.size.height


class TintedModal(ModalScreen[ScreenResultType]):
    """A ``ModalScreen`` whose background is drawn by :class:`TintedScreenBeneath`."""

    def render(self) -> RenderableType | Visual:  # type: ignore[override]
        rendered = super().render()
        if type(rendered) is BackgroundScreen:
            return TintedScreenBeneath(rendered.screen, rendered.color)
        return rendered
