"""Projector mode: a light, high-contrast theme and fewer digits, for the back row.

A projector washes out the dark theme's near-black panels (greys 233-235 all read
as one) and thin coloured text. Here the background is white, text black, every
accent a dark saturated colour, and the 16 ANSI colours the widgets name
("yellow", "cyan" ...) are mapped to shades that stay legible on white. Numbers
show four significant digits (the status line and the tables).
"""

from __future__ import annotations

from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.theme import Theme

from .formatting import set_significant_digits

NAME = "rnn-tui-projector"
DIGITS = 4  # significant digits while projecting

THEME = Theme(
    name=NAME,
    primary="#0033aa",
    secondary="#5a2d91",
    accent="#a34700",
    warning="#8a5a00",
    error="#b00020",
    success="#116329",
    foreground="#000000",
    background="#ffffff",
    surface="#ffffff",
    panel="#dde3ee",
    dark=False,
    luminosity_spread=0.08,
    text_alpha=1.0,
    variables={
        "footer-background": "#dde3ee",
        "footer-key-foreground": "#0033aa",
        "footer-description-foreground": "#000000",
        "block-cursor-background": "#0033aa",
        "block-cursor-foreground": "#ffffff",
        "text-muted": "#333333",
    },
)

# Normal then bright: black red green yellow blue magenta cyan white. "white" is drawn
# dark too: on a white background a white word would vanish.
ANSI = TerminalTheme(
    (255, 255, 255),
    (0, 0, 0),
    [
        (0, 0, 0),
        (176, 0, 32),
        (17, 99, 41),
        (138, 90, 0),
        (0, 51, 170),
        (138, 0, 160),
        (0, 107, 122),
        (60, 60, 60),
    ],
    [
        (51, 51, 51),
        (200, 0, 40),
        (20, 120, 50),
        (160, 100, 0),
        (0, 70, 200),
        (160, 0, 180),
        (0, 125, 140),
        (0, 0, 0),
    ],
)


class Projector:
    """Switches an app between its own theme and the projector's, with the digits."""

    def __init__(self, app: App[None]) -> None:
        self.app = app
        self.on = False
        self._theme = app.theme
        self._ansi = app.ansi_theme_light
        app.register_theme(THEME)

    def set(self, on: bool) -> None:
        app = self.app
        if on and not self.on:
            self._theme, self._ansi = app.theme, app.ansi_theme_light
        self.on = on
        app.ansi_theme_light = ANSI if on else self._ansi
        app.theme = NAME if on else self._theme
        set_significant_digits(DIGITS if on else None)
