"""The charts view: the cost over the epochs above the weights."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from rnn_tui.engine import Trainer

from ..formatting import fmt_short
from .plots import CostChart, WeightsChart, weights_legend


class ChartsView(Vertical):
    def compose(self) -> ComposeResult:
        yield CostChart(id="cost")
        yield WeightsChart(id="weights")

    def show_trainer(self, trainer: Trainer, sample: int) -> None:
        epoch, history = trainer.epoch, trainer.history
        cost = self.query_one(CostChart)
        cost.show(history, epoch)
        scale = " · log scale" if cost.log_scale else ""
        cost.border_title = f"Cost (mean squared error){scale} · ◆ {fmt_short(trainer.loss, 6)}"
        weights = self.query_one(WeightsChart)
        weights.show(history, epoch)
        where = "path in the (wx, wrec) plane · " if weights.plane else ""
        weights.border_title = f"Weights · {where}{weights_legend(history, epoch)}"

    def toggle_log_scale(self) -> None:
        cost = self.query_one(CostChart)
        cost.log_scale = not cost.log_scale

    def toggle_plane(self) -> None:
        weights = self.query_one(WeightsChart)
        weights.plane = not weights.plane
