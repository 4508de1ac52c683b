"""A line of Rich text, drawn as Textual draws it, without Textual's text machinery
when the line fits.

Textual turns a widget's Rich ``Text`` into ``Content`` (its spans' styles converted
one by one), wraps and aligns it, and styles each piece with its place for text
selection: ~0.2 ms for one status line, two of which change every step. When the
text fits its width on one line, left-aligned, with its spans side by side (what the
status lines are), the pieces are just the spans and the gaps between them, and
:class:`OneLineText` styles them as ``Content`` would (the same calls, in the same
order). Anything else (a line to wrap, a selection, other alignment) goes through
``Content`` itself. Written against textual 8.2 (pinned); tests compare the two
routes' strips over random lines, styles and widths.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from ..text_pieces import pieces, side_by_side

# a span's Rich style (or style name) -> its Textual style, as Content converts it
SpanStyles = dict[str | RichStyle, Style]


class OneLineText(Visual):
    """``text`` as a Visual. ``span_styles`` keeps converted span styles between
    renders (its owner clears it when the theme changes)."""

    def __init__(
        self, text: Text, console: Console, ansi_theme: TerminalTheme, span_styles: SpanStyles
    ) -> None:
        self.text = text
        self.console = console
        self.ansi_theme = ansi_theme
        self.span_styles = span_styles
        self._content: Content | None = None

    def __str__(self) -> str:
        return self.text.plain

    @property
    def content(self) -> Content:
        """The text as Textual's own Visual for it."""
        if self._content is None:
            self._content = Content.from_rich_text(self.text, self.console)
        return self._content

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not self._fits(width, options):
            return self.content.render_strips(width, height, style, options)
        if height == 0:
            return []
        return [self._strip(style)]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content.get_height(rules, width)

    def _fits(self, width: int, options: RenderOptions) -> bool:
        """One line, drawn from its first cell, that Content would not change."""
        text, rule = self.text, options.rules.get
        plain = text.plain
        return bool(
            plain
            and 0 < text.cell_len <= width
            and not text.style  # a base style Content parses later, with the widget's rules
            and "\n" not in plain
            and "\t" not in plain
            and options.selection is None
            and options.post_style is None
            and rule("text_align", "left") in ("left", "start")
            and not rule("line_pad", 0)
            and side_by_side(text)
        )

    def _strip(self, style: Style) -> Strip:
        """What ``Content.render_strips`` gives a line that fits: each piece styled with
        ``style`` under the stack of its spans, placed at its offset."""
        segments: list[Segment] = []
        x = 0
        for piece, span in pieces(self.text):
            # a gap's style is Style.combine((style,)), which is style itself
            piece_style = style if span is None else Style.combine((style, self._converted(span)))
            segments.append(Segment(piece, (style + piece_style).rich_style_with_offset(x, 0)))
            x += len(piece)
        return Strip(segments, self.text.cell_len)

    def _converted(self, span_style: str | RichStyle) -> Style:
        """A span's style as ``Content.from_rich_text`` converts it."""
        if span_style not in self.span_styles:
            rich = self.console.get_style(span_style) if isinstance(span_style, str) else span_style
            self.span_styles[span_style] = Style.from_rich_style(rich, self.ansi_theme)
        return self.span_styles[span_style]
