"""The right-hand (or lower) area: a switcher of views over the same run.

The charts are the first view. A teaching view is added by composing it inside
the switcher with an id and calling :meth:`ViewSwitcher.toggle` from a key; every
view gets :meth:`ViewSwitcher.show_trainer` calls through the app's redraw when it
defines ``show_trainer(trainer, sample)``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.widgets import ContentSwitcher

from rnn_tui.engine import Trainer

HOME_VIEW = "charts"


@runtime_checkable
class TrainerView(Protocol):
    def show_trainer(self, trainer: Trainer, sample: int) -> None: ...


class ViewSwitcher(ContentSwitcher):
    def toggle(self, view: str) -> None:
        """Show ``view``, or go back to the charts when it is already showing."""
        self.current = HOME_VIEW if self.current == view else view

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        """Only the visible view draws: hidden ones catch up when shown."""
        if self.current is None:
            return
        view = self.get_child_by_id(self.current)
        if isinstance(view, TrainerView):
            view.show_trainer(trainer, sample)
