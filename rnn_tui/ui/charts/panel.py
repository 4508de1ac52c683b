"""The charts view: the cost over the epochs above the weights."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget

from rnn_tui.engine import History, Trainer

from ..formatting import fmt_short
from .plots import CostChart, WeightsChart, weights_legend


def set_title(widget: Widget, title: str) -> None:
    if widget.border_title != title:  # setting a title repaints, even the same one
        widget.border_title = title


_NOTHING_YET = History()  # what a chart shows while its history is computed


class ChartsView(Vertical):
    def compose(self) -> ComposeResult:
        yield CostChart(id="cost")
        yield WeightsChart(id="weights")

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        if trainer.known_from > 0:
            self._catching_up(trainer)
            return
        epoch, history = trainer.epoch, trainer.history
        cost = self.query_one(CostChart)
        cost.show(history, epoch)
        scale = " · log scale" if cost.uses_log(history) else ""
        set_title(cost, f"Cost (mean squared error){scale} · ◆ {fmt_short(trainer.loss, 6)}")
        weights = self.query_one(WeightsChart)
        weights.show(history, epoch)
        where = "path in the (wx, wrec) plane · " if weights.plane else ""
        set_title(weights, f"Weights · {where}{weights_legend(history, epoch)}")

    def _catching_up(self, trainer: Trainer) -> None:
        """A late joiner's run: the epochs before the one it joined at are being computed."""
        waiting = f"catching up: computing epochs 0 to {trainer.known_from:,}…"
        cost, weights = self.query_one(CostChart), self.query_one(WeightsChart)
        cost.show(_NOTHING_YET, 0)
        weights.show(_NOTHING_YET, 0)
        set_title(cost, f"Cost · {waiting} · ◆ {fmt_short(trainer.loss, 6)}")
        set_title(weights, f"Weights · {waiting}")

    def toggle_log_scale(self) -> None:
        cost = self.query_one(CostChart)
        cost.log_scale = not cost.log_scale

    def toggle_plane(self) -> None:
        weights = self.query_one(WeightsChart)
        weights.plane = not weights.plane

    def cycle_weights(self, one_chart: bool) -> None:
        """What `w` does: the weights over epochs or in the plane. Where the screen has
        room for ``one_chart``, it cycles what that chart shows: cost, weights, their
        path, cost again."""
        if not one_chart:
            self.toggle_plane()
            return
        showing = self.has_class("-weights")
        if showing and not self.query_one(WeightsChart).plane:
            self.toggle_plane()
        else:
            self.set_class(not showing, "-weights")
            if showing:
                self.toggle_plane()
