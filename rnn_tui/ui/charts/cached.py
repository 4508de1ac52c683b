"""A plotext chart plotted once per picture, not once per repaint.

Textual re-renders a widget's content whenever anything about the widget is
refreshed (a new border title, a style change); a plotext chart costs tens of
milliseconds to plot. Here the plotted lines are kept until what the chart shows,
its size, its style or the theme change.
"""

from __future__ import annotations

from textual.strip import Strip
from textual.visual import Visual, visualize
from textual_plotext import PlotextPlot


class CachedPlot(PlotextPlot):
    """Subclasses say in :meth:`picture` what their plot depends on."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plotted: tuple[object, ...] | None = None
        self._lines: list[Strip] = []
        self.plots = 0  # how often the chart was plotted (tests check the caching)

    def picture(self) -> tuple[object, ...]:
        """Everything the plot depends on besides its size, style and the theme."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        style = self.visual_style
        key = (self.picture(), self.size, style, self.app.theme)
        if key != self._plotted:
            width, height = self.size
            visual = visualize(self, self.render(), markup=False)
            self._lines = Visual.to_strips(self, visual, width, height, style)
            self._plotted = key
            self.plots += 1
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, style.rich_style)
