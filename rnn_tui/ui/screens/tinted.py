"""A modal screen whose tinted copy of the screen beneath costs one tint per style.

A modal screen with a translucent background shows the screen beneath it tinted:
Textual's ``Screen.render`` returns a ``BackgroundScreen``, which blends the tint into
every segment of the screen beneath, converting both colours of each one (at 200x60,
~900 segments: 6 ms of a ~25 ms first frame). A screen holds few distinct styles, so
here each is tinted once per frame by Textual's own ``process_segments``, and the
segments share the result: the same colours, in a fraction of the time.

This leans on a Textual internal: ``BackgroundScreen.__rich_console__`` tints through
its ``process_segments`` classmethod (textual 8.x). tests/ui/test_frame_cost.py
checks that the override is still what renders the background, and that it draws
exactly what Textual's does.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, ScreenResultType


class TintOncePerStyle(BackgroundScreen):
    """Textual's ``BackgroundScreen``, tinting each distinct style of a frame once."""

    @classmethod
    def process_segments(cls, segments: Iterable[Segment], color: Color) -> Iterable[Segment]:
        tint = super().process_segments
        tinted: dict[Style | None, Style | None] = {}
        for segment in segments:
            text, style, control = segment
            if control:
                yield segment
                continue
            # Tinting drops links and meta (which tell each cell's offset apart).
            plain = None if style is None else style.clear_meta_and_links()
            if plain not in tinted:
                (tinted_segment,) = tint([Segment("", plain)], color)
                tinted[plain] = tinted_segment.style
            yield Segment(text, tinted[plain], control)


class TintedModal(ModalScreen[ScreenResultType]):
    """A ``ModalScreen`` whose background tints each distinct style of the screen
    beneath once per frame."""

    def render(self) -> RenderableType:
        rendered = super().render()
        if type(rendered) is BackgroundScreen:
            return TintOncePerStyle(rendered.screen, rendered.color)
        return rendered
