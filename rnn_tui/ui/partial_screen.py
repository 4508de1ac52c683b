"""A screen that repaints only the widgets under what changed, and lays out once.

Textual's compositor repaints, on a partial update, every widget that overlaps the
bounding box of the changed regions. A step changes the table, the charts and the
status line, which spans the screen's width: the box is the whole screen, and the
parameter panel's ~70 widgets were rendered (from cache) and cut into every frame
for nothing (a third of a frame at 120x40). Here a widget is rendered when it
shows in one of the changed regions themselves: not where a widget in front of it
covers its changed part (the containers under a changed table or chart, the screen
under everything: ~0.5 ms a step at 120x40, of 9 widgets rendered for nothing). What
reaches the terminal is the same: Textual writes only the cells of the changed
regions, each from the front-most widget there (tests compare the two updates byte
for byte, but for Textual's moves to where it then writes nothing).

Textual's compositor also arranged the whole screen twice for every layout that
showed a widget: a repaint request from a widget not yet on screen marks the full
map stale, the layout then builds a full map, but the mark stays, and the next
question about a widget's place (``Widget.region``) builds it again. A layout now
clears the mark it has just made good (``i`` at 80x24: 2 arrangements -> 1).

This leans on Textual internals (textual 8.2, pinned): the compositor's dirty
regions, ``_render_chops``, ``_get_renders``, ``_regions_to_spans`` and
``_full_map_invalidated``.
tests/ui/test_frame_cost.py compares the bytes written with Textual's own compositor
and counts the arrangements.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from textual._compositor import ChopsUpdate, Compositor, ReflowResult
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class ChangedRegions:
    """Stands where Textual's compositor takes its one crop region: it asks only
    ``overlaps()`` of it (and whether there is one)."""

    def __init__(self, regions: list[Region]) -> None:
        self.regions = regions

    def __bool__(self) -> bool:
        return True

    def overlaps(self, other: Region) -> bool:
        return any(region.overlaps(other) for region in self.regions)


class ChangedOnlyCompositor(Compositor):
    """Textual's compositor, rendering a partial update from the changed regions only,
    and arranging the screen once per layout."""

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        if not isinstance(crop, ChangedRegions):
            return super()._get_renders(crop)
        return self._uncovered_renders(crop)

    def _uncovered_renders(
        self, changed: ChangedRegions
    ) -> Iterator[tuple[Region, Region, list[Strip]]]:
        """The renders of the widgets that show in the changed regions, front to back.

        Textual fills each piece of a line from the front-most widget there; a widget
        whose changed part lies wholly under one widget in front of it (a container
        under its children) would only be rendered to be thrown away."""
        in_front: list[Region] = []
        for widget, (region, clip) in self.visible_widgets.items():
            shown = region.intersection(clip)
            parts = [part.intersection(shown) for part in changed.regions if part.overlaps(shown)]
            hidden = all(any(front.contains_region(part) for front in in_front) for part in parts)
            if parts and not hidden:
                yield region, clip, widget.render_lines(shown.translate(-region.offset))
            in_front.append(shown)

    def reflow(self, parent: Widget, size: Size) -> ReflowResult:
        result = super().reflow(parent, size)
        self._full_map_invalidated = False  # the full map was just built, from the DOM as it is
        return result

    def render_partial_update(self) -> ChopsUpdate | None:
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        screen_region = self.size.region
        crop = [region.intersection(screen_region) for region in update_regions]
        spans = list(self._regions_to_spans(update_regions))
        is_rendered_line = {y for y, _, _ in spans}.__contains__
        chops = self._render_chops(ChangedRegions(crop), is_rendered_line)  # type: ignore[arg-type]
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return ChopsUpdate(chops, spans, chop_ends)


class PartialScreen(Screen[None]):
    """The app's main screen, with :class:`ChangedOnlyCompositor`."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._compositor = ChangedOnlyCompositor()
