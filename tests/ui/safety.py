"""Helpers for the safety tests: markup-like text, and what the screen turned it into."""

from __future__ import annotations

from hypothesis import strategies as st
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static

# Markup a student could type, as in issue 8, and fragments to mix at random.
PAYLOADS = (
    "[",
    "[/]",
    "1e[?p",
    "[b]",
    "[@click=app.quit]x[/]",
    "[@click=app.screenshot('victim.txt','/tmp')]ZZ[/]",
    "[link=file:///etc/passwd]x[/]",
    "[on red]x[/on red]",
    "\\[b]",
)
FRAGMENTS = ("[", "]", "/", "@click=", "app.", "quit", "link=", "b", "(", ")", "'", "=", "x", " ")

markup_like = st.one_of(
    st.sampled_from(PAYLOADS),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12).map("".join),
)


def live_links(app: App[object]) -> list[str]:
    """Every ``@click`` action and hyperlink on the screen as drawn now.

    The app draws none of its own, so any found came from text that was parsed as markup.
    """
    found: list[str] = []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:
                found.append(style.link)
            if style._meta is not None and "@click" in style.meta:
                found.append(str(style.meta["@click"]))
    return found


def shown_text(widget: Static) -> str:
    """What a Static draws, as plain text (a str given to it went through markup)."""
    visual = widget.visual
    if isinstance(visual, Content):
        return visual.plain
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


async def submit(pilot: Pilot[None], selector: str, text: str) -> None:
    """Put ``text`` into an input and press enter (as typing would, without a key per character)."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await pilot.press("enter")
    await pilot.pause()
