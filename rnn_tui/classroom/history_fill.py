"""A resumed run's earlier history, computed on a thread while the follower already shows
the leader's epoch.

The thread trains a run of its own from epoch 0 (it shares nothing with the run on
screen); the UI thread takes the result when it is done and hands it to
:meth:`~rnn_tui.engine.Trainer.fill_history`, which checks it reaches the resumed
point bit for bit.
"""

from __future__ import annotations

import threading

from ..engine import Checkpoint, Trainer, trained_along


class HistoryFill:
    """Computes the history ``trainer`` lacks (it was resumed from a checkpoint)."""

    def __init__(self, trainer: Trainer) -> None:
        checkpoint = trainer.resumed_from
        if checkpoint is None:
            raise ValueError("the run's history is complete")
        self.trainer = trainer
        self.checkpoint: Checkpoint = checkpoint
        self._result: Trainer | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._work, name="history-fill", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            self._result = trained_along(self.checkpoint)
        except Exception as error:  # reported on the UI thread, by result()
            self._error = error

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return self.done

    def result(self) -> Trainer:
        """The run from epoch 0 to the checkpoint (once :attr:`done`); re-raises what the
        thread raised."""
        if not self.done:
            raise RuntimeError("the history is still being computed")
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
