"""The right-hand (or lower) area: a switcher of views over the same run.

The charts are the home view; the teaching views (explain, landscape, gradients
through time, gradient check, lessons) each open with one key and close with the
same key (:meth:`ViewSwitcher.toggle`). The visible view gets
:meth:`ViewSwitcher.show_trainer` calls through the app's redraw.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.widgets import ContentSwitcher

from rnn_tui.engine import Trainer

HOME_VIEW = "charts"

TEACHING_VIEWS = ("explain", "landscape", "gradients", "gradcheck", "lessons")
# Border titles of the views that have no title of their own: their keys, how to leave.
VIEW_TITLES: dict[str, str] = {
    "landscape": "Landscape · z/Z zoom · o centre · f fit · tab, arrows pan · l closes",
    "gradients": "Gradients through time · g closes",
}
# Views that need the whole body on a short terminal (the table steps aside).
BIG_VIEWS = frozenset({"landscape", "gradients", "gradcheck", "lessons"})


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
