"""A plotext chart plotted once per picture, not once per repaint, straight to strips.

Textual re-renders a widget's content whenever anything about the widget is
refreshed (a new border title, a style change); a plotext chart costs tens of
milliseconds to plot. Here the plotted lines are kept until what the chart shows,
its size, its style or the theme change.

A plot is also cheaper to turn into lines than textual-plotext makes it: plotext
writes its cell grid out as ANSI text, which Rich parses back and Textual wraps
and styles again (two thirds of the cost). :func:`figure_strips` reads the cell
grid and makes one segment per run of equally coloured cells, with the style the
ANSI route would have given that run (worked out once per colour combination).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from operator import ne
from typing import Any

import plotext._utility as plotext_utility
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual, visualize
from textual_plotext import PlotextPlot
from textual_plotext.plot import Plot

from . import plotext_speedups

plotext_speedups.install()  # the same plots, a quarter to a third sooner


class PlotFigure:
    """What :meth:`CachedPlot.render` returns: the figure drawn and sized, not yet built.

    Rendered by Rich (as textual-plotext does) if anything asks it to."""

    def __init__(self, plot: Plot) -> None:
        self.plot = plot

    def __rich__(self) -> RenderableType:
        return Text.from_ansi(self.plot.build())


Colours = tuple[str, str, str]  # a cell's foreground, style and background, as plotext keeps them


def figure_strips(plot: Plot, run_style: Callable[[Colours, int, int], RichStyle]) -> list[Strip]:
    """The built figure's cell grid as strips, top row first.

    ``run_style`` gives the style of a run of cells plotext coloured alike, from
    its colours and its offset (x, y): Textual's text selection reads the offset."""
    figure: Any = plot  # plotext's figure internals, untyped
    figure._set_sizes()  # what Figure.build() does, short of writing the ANSI canvas
    figure._build_matrix()
    matrix = figure.monitor.matrix
    cols = matrix.cols
    after_first = range(1, cols)
    strips = []
    for y, row in enumerate(reversed(range(matrix.rows))):
        markers = matrix.marker[row]
        grounds = (matrix.fullground[row], matrix.style[row], matrix.background[row])
        colours = list(zip(*grounds, strict=True))
        # a run starts where a cell is coloured unlike the one before it (found in C)
        starts = [0, *compress(after_first, map(ne, colours[1:], colours))]
        ends = [*starts[1:], cols]
        segments = [
            Segment("".join(markers[start:end]), run_style(colours[start], start, y))
            for start, end in zip(starts, ends, strict=True)
        ]
        strips.append(Strip(segments, cols))
    return strips


class CachedPlot(PlotextPlot):
    """Subclasses say in :meth:`picture` what their plot depends on, and draw it in
    ``render()`` ending with ``return super().render()`` (as for a PlotextPlot)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._plotted: tuple[object, ...] | None = None
        self._lines: list[Strip] = []
        self._lines_current = False  # within render_lines(), after checking the plot
        self.plots = 0  # how often the chart was plotted (tests check the caching)
        # ANSI colour codes -> style, and (colours, x, y) -> the rich style of a run there,
        # for the base style they were worked out on: most runs stay put from plot to plot
        self._run_styles: dict[str, Style] = {}
        self._placed_styles: dict[tuple[Colours, int, int], RichStyle] = {}
        self._run_styles_of: Style | None = None
        # The figure is cleared once a frame is drawn, not when the next plot starts:
        # clearing (0.2-0.3 ms a chart in the app) is then off the path from a key to
        # the frame that shows it.
        self._blank = False

    def picture(self) -> tuple[object, ...]:
        """Everything the plot depends on besides its size, style and the theme."""
        raise NotImplementedError

    def blank_plot(self) -> Plot:
        """The plot, cleared (``plt.clear_figure()``): already, if cleared ahead."""
        if not self._blank:
            self.plt.clear_figure()
        self._blank = False
        return self.plt

    def _clear_ahead(self) -> None:
        if not self._blank:  # not cleared yet by a call scheduled after another plot
            self.plt.clear_figure()
            self._blank = True

    def render(self) -> RenderResult:
        # textual-plotext's render() without its last step (building the ANSI text)
        width, height = self.size
        self._plot.plotsize(width, height)
        self._plot._set_size(width, height)
        self._plot.theme(self._get_plotext_theme_name(self.app.theme))
        return PlotFigure(self._plot)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._plot_if_changed()  # once for all the lines of this repaint
        self._lines_current = True
        try:
            return super().render_lines(crop)
        finally:
            self._lines_current = False

    def render_line(self, y: int) -> Strip:
        if not self._lines_current:
            self._plot_if_changed()
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)

    def _plot_if_changed(self) -> None:
        style = self.visual_style
        key = (self.picture(), self.size, style, self.app.theme)
        if key != self._plotted:
            self._lines = self.plot_lines(style)
            self._plotted = key
            self.plots += 1
            if self.is_attached:
                self.call_after_refresh(self._clear_ahead)

    def plot_lines(self, style: Style) -> list[Strip]:
        width, height = self.size
        rendered = self.render()
        if isinstance(rendered, PlotFigure) and self.text_selection is None:
            if len(self._placed_styles) > 4 * width * height:  # places of other sizes
                self._placed_styles.clear()
            strips = figure_strips(rendered.plot, lambda *run: self.placed_style(style, *run))
            return strips[:height]
        visual = visualize(self, rendered, markup=False)
        return Visual.to_strips(self, visual, width, height, style)

    def placed_style(self, style: Style, colours: Colours, x: int, y: int) -> RichStyle:
        """The rich style of a run of cells plotext coloured with ``colours``, at (x, y)."""
        self._styles_for(style)
        key = (colours, x, y)
        if key not in self._placed_styles:
            ansi = plotext_utility.colors_to_ansi(*colours)
            self._placed_styles[key] = self.run_style(ansi, style).rich_style_with_offset(x, y)
        return self._placed_styles[key]

    def _styles_for(self, style: Style) -> None:
        """Forget the styles worked out on another base style (a theme, a focus)."""
        if style != self._run_styles_of:
            self._run_styles, self._placed_styles, self._run_styles_of = {}, {}, style

    def run_style(self, ansi: str, style: Style) -> Style:
        """The style Textual gives a run of cells plotext coloured with ``ansi``:
        worked out from one such cell, as textual-plotext's ANSI text is styled."""
        self._styles_for(style)
        if ansi not in self._run_styles:
            cell = Text.from_ansi(f"{ansi}x{plotext_utility.ansi_end}")
            content = Content.from_rich_text(cell, console=self.app.console)
            (run,) = (s for text, s in content.render(style, "", self._get_style) if text == "x")
            self._run_styles[ansi] = style + run
        return self._run_styles[ansi]
