"""Panels of ``height: auto`` whose text changes with every step."""

from __future__ import annotations

from textual.widget import Widget


class FitsItsText(Widget):
    """Call :meth:`refit` when the text changed: the panel repaints, and the screen is
    laid out again only if the text needs another number of lines than last time.

    ``refresh(layout=True)`` lays out the whole screen; the teaching panels asked for it
    on every step, so a run with one of them open paid a layout pass a frame."""

    _fitted: tuple[int, int] | None = None  # (width, lines) of the text at the last refit

    def refit(self) -> None:
        self.refresh()  # also forgets the text rendered before and its measured height
        width = self.content_region.width
        fitted = (
            (width, self.get_content_height(self.size, self.app.size, width)) if width else None
        )
        if fitted is None or fitted != self._fitted:
            self.refresh(layout=True)
        self._fitted = fitted
