"""The App's class-mode hooks: join when the server handed us a channel, poll it a few
times a second, the class keys and the teacher's class view. The decisions are in
:mod:`rnn_tui.ui.class_mode` (no Textual there)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

from rnn_tui.classroom.client import ClassLink

from .class_mode import POLL_SECONDS, ClassMode, class_counts
from .controller import Notice, Outcome
from .flow import FlowActions
from .keys import KEYS
from .screens.classroom import ClassScreen

CLASS_KEYS = {key.action: key.role for key in KEYS if key.role}


class ClassActions(FlowActions):
    """Base of the App: class mode (nothing happens outside a class)."""

    classroom: ClassMode | None = None
    _class_due = False  # a tick is scheduled
    _class_publishing = False  # a publish waits for the next refresh

    def start_class(self) -> None:
        """Join the class if the server handed this process a channel to it."""
        loop = asyncio.get_running_loop()

        def news() -> None:  # in the link's reader thread
            with contextlib.suppress(RuntimeError):  # the app is closing
                loop.call_soon_threadsafe(self._class_news)

        link = ClassLink.from_env(on_news=news)
        if link is None:
            return
        self.classroom = ClassMode(link, self.controller)
        self.set_interval(POLL_SECONDS, self._class_tick)

    def _class_news(self) -> None:
        """The hub said something: tick now, or as soon as the repaint cap allows."""
        if self._class_due:
            return  # coalesced into the tick already scheduled
        self._class_due = True
        if self.classroom is None:
            return
        asyncio.get_running_loop().call_later(self.classroom.wait_before_tick(), self._class_tick)

    def class_redrawn(self) -> None:
        """After a redraw: a leader sends the run as it now stands, once its own frame is
        out (thirty followers repainting at once would otherwise delay the teacher's)."""
        if self.classroom is not None and not self._class_publishing:
            self._class_publishing = True
            self.call_after_refresh(self._class_publish)

    def _class_publish(self) -> None:
        self._class_publishing = False
        if self.classroom is not None and (notice := self.classroom.publish()) is not None:
            self._class_notice(notice)

    def class_refusal(self) -> Notice | None:
        """Why the run's keys are not this student's now (following), or None."""
        return None if self.classroom is None else self.classroom.refusal()

    def class_allows(self, action: str) -> bool:
        """Class keys work (and show in the footer) only for their role."""
        role = CLASS_KEYS.get(action)
        return role is None or (self.classroom is not None and self.classroom.role == role)

    def class_words(self) -> tuple[str, ...]:
        """The class part of the status line, its longest form first."""
        return () if self.classroom is None else self.classroom.word_forms()

    def _class_tick(self) -> None:
        self._class_due = False
        classroom = self.classroom
        if classroom is None:
            return
        role = classroom.role
        news = classroom.tick()
        if classroom.role != role:  # the hub said who we are, or the link ended
            self.refresh_bindings()
        if news.notice is not None or news.redraw:
            notice = news.notice
            outcome = (
                Outcome(self.controller.shown_notice)
                if notice is None
                else self.controller.say(notice.text, notice.kind)
            )
            # The leader's config (a mid-run change, a pushed experiment) shows in the
            # parameter panel too, not only in the numbers.
            self.show_outcome(replace(outcome, config_changed=news.config_changed))
        if isinstance(self.screen, ClassScreen) and (news.roster or news.redraw):
            self._show_class(self.screen)

    def _class_notice(self, notice: Notice) -> None:
        self.show_outcome(self.controller.say(notice.text, notice.kind))

    def _show_class(self, screen: ClassScreen) -> None:
        if self.classroom is not None:
            screen.show(self.classroom.link.roster(), self.classroom.words())

    # -- keys -------------------------------------------------------------------------------

    def action_class_explore(self) -> None:
        if self.classroom is not None:
            self._class_notice(self.classroom.explore())

    def action_class_rejoin(self) -> None:
        if self.classroom is not None:
            self._class_notice(self.classroom.rejoin())
            self._class_tick()  # show the class's state now, not a frame later

    def action_class_view(self) -> None:
        if self.classroom is None or self.classroom.role != "teacher":
            return
        if isinstance(self.screen, ClassScreen):
            self.screen.dismiss(None)
            return
        roster = self.classroom.link.roster()
        self.push_screen(ClassScreen(roster, self.classroom.words() or class_counts(roster)))

    def action_class_push(self) -> None:
        if self.classroom is not None and self.classroom.role == "teacher":
            self._class_notice(self.classroom.push())

    def action_class_spotlight(self) -> None:
        if self.classroom is None or not isinstance(self.screen, ClassScreen):
            return
        name = self.screen.selected
        if name is not None:
            self._class_notice(self.classroom.spotlight(name))

    def action_class_take_back(self) -> None:
        if self.classroom is not None and self.classroom.role == "teacher":
            self._class_notice(self.classroom.spotlight(None))

    def action_class_hold(self) -> None:
        if self.classroom is not None and self.classroom.role == "teacher":
            self._class_notice(self.classroom.pause_class())
