"""The app's memory of a student micro-stepping inside one epoch."""

from __future__ import annotations

from dataclasses import dataclass

from rnn_tui.engine import Dataset, MicroCursor, Trainer


@dataclass(frozen=True)
class MicroState:
    """A cursor and the run it belongs to: it is only valid for that trainer, epoch and
    data, so anything else that moves the run (running, a new dataset) ends it."""

    cursor: MicroCursor
    trainer: Trainer
    epoch: int
    dataset: Dataset

    @classmethod
    def at(cls, cursor: MicroCursor, trainer: Trainer) -> MicroState:
        return cls(cursor, trainer, trainer.epoch, trainer.dataset)

    def cursor_for(self, trainer: Trainer) -> MicroCursor | None:
        same = (
            trainer is self.trainer
            and trainer.epoch == self.epoch
            and trainer.dataset is self.dataset
        )
        return self.cursor if same else None
