"""The right-hand (or lower) area: a switcher of views over the same run.

The charts are the home view; the teaching views (explain, landscape, gradients
through time, gradient check, lessons) each open with one key and close with the
same key (the run controller says which is open). The visible view gets
:meth:`ViewSwitcher.show_trainer` calls through the app's redraw.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.widgets import ContentSwitcher

from rnn_tui.engine import Trainer

# Border titles of the views that have no title of their own: their keys, how to leave.
VIEW_TITLES: dict[str, str] = {
    "landscape": "Landscape · z/Z zoom · o centre · f fit · tab, arrows pan · l closes",
    "gradients": "Gradients through time · g closes",
}


@runtime_checkable
class TrainerView(Protocol):
    def show_trainer(self, trainer: Trainer, sample: int) -> None: ...


class ViewSwitcher(ContentSwitcher):
    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        """Only the visible view draws: hidden ones catch up when shown."""
        if self.current is None:
            return
        view = self.get_child_by_id(self.current)
        if isinstance(view, TrainerView):
            view.show_trainer(trainer, sample)
