"""The footer holds the keys a lesson needs at 80 columns (issue 9: it was cut
before `n c r i`); every key stays in `?` and the palette."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.binding import Binding

from rnn_tui.ui import footer
from rnn_tui.ui.footer import Entry, KeyFooter, fit
from rnn_tui.ui.keys import KEYS
from rnn_tui.ui.screens.help import help_content

from .conftest import driving

LESSON_KEYS = ["␣", ".", "p", "?", "e", "l", "g", "n", "c", "r", "i"]


def entry(display: str, label: str, rank: int) -> Entry:
    return Entry(display, display, label, label[:3].lower(), rank)


def test_full_labels_when_they_fit_then_short_ones_then_fewer_keys() -> None:
    entries = [entry("a", "Alpha", 0), entry("b", "Beta", 2), entry("c", "Gamma", 1)]
    assert not fit(entries, 100).short and fit(entries, 100).gap == 2
    assert fit(entries, 17).short and len(fit(entries, 17).entries) == 3
    narrow = fit(entries, 12)
    assert [e.display for e in narrow.entries] == ["a", "c"]  # rank 2 goes first
    assert narrow.width <= 12
    assert [e.display for e in fit(entries, 1).entries] == ["a"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_lesson_keys_are_in_the_footer(size: tuple[int, int]) -> None:
    async with driving("seed-linear", size=size) as (app, pilot):
        footer = app.query_one(KeyFooter)
        shown = [e.display for e in footer.fitted().entries]
        assert [k for k in shown if k in LESSON_KEYS] == LESSON_KEYS
        assert len(footer.plain) <= size[0]
        await pilot.press("l")  # a view's own keys come in; l (which closes it) stays
        await pilot.pause()
        shown = [e.display for e in footer.fitted().entries]
        assert {"z", "Z", "o", "f", "l"} <= set(shown)


async def test_a_click_on_a_footer_key_presses_it() -> None:
    async with driving("seed-linear", size=(80, 24)) as (app, pilot):
        await pilot.click(KeyFooter, offset=(2, 0))  # on "␣ step"
        await pilot.pause()
        assert app.trainer.epoch == 1


def test_every_key_left_out_is_in_the_help() -> None:
    console = Console(width=300, record=True, file=io.StringIO())
    console.print(help_content(None))
    text = " ".join(console.export_text().split())
    for key in KEYS:
        assert " ".join(key.help.split()) in text, key.label


def test_a_views_own_key_keeps_its_words_and_a_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key added for one view (the lesson guide's >) is not lower-cased or dropped first."""
    monkeypatch.setattr(footer, "VIEW_ACTIONS", frozenset({"guide(1)"}))
    entry = footer.entry_for(Binding(">", "guide(1)", "Next step"), ">")
    assert (entry.short, entry.rank) == ("Next step", 1)
    assert footer.entry_for(Binding("q", "quit", "Quit"), "q").short == "quit"
