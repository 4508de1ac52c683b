"""Helpers for the safety tests: markup-like text, and what the screen turned it into."""

from __future__ import annotations

from hypothesis import strategies as st
from textual.app import App

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
