"""The centre column: the unrolled table of one sample, the line under it, and the
compact table of all samples. It draws what the app hands it and nothing else."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from rnn_tui.engine import MicroCursor, Trace

from .status.bar import TextLine
from .summary import sample_summary
from .table.samples import SamplesTable, shows_all_samples
from .table.unrolled import UnrolledTable

# The table row a micro-step of each phase computes (forward/backward: its timestep's).
PHASE_ROWS = {"loss": "sum", "update": "total"}


class CentreColumn(Vertical):
    def compose(self) -> ComposeResult:
        with Vertical(id="unrolled-panel"):
            yield UnrolledTable(id="unrolled")
            yield TextLine(id="sample-summary")
        samples = SamplesTable(id="samples")
        samples.border_title = "All samples"
        yield samples

    def show(
        self,
        current: Trace,
        previous: Trace | None,
        sample: int,
        micro: MicroCursor | None,
        all_samples: bool,
        preset: str = "",
    ) -> None:
        """Sample ``sample`` of ``current`` (cells that changed since ``previous`` marked)."""
        table = self.query_one(UnrolledTable)
        table.show(current, previous, sample, micro)
        if micro is not None and micro.step is not None:
            step = micro.step
            table.reveal_row(PHASE_ROWS.get(step.phase, f"t{step.t}"))
        panel = self.query_one("#unrolled-panel")
        # The preset's name here too: a narrow status line has no room for it.
        named = f"{preset} · unrolled" if preset else "Unrolled"
        title = f"{named} through time · sample {sample + 1} of {current.n}"
        if panel.border_title != title:
            panel.border_title = title
        self.query_one("#sample-summary", TextLine).show(sample_summary(current, sample, micro))
        samples = self.query_one(SamplesTable)
        visible = all_samples and shows_all_samples(current)
        # A class, not `display`: the stylesheet may still hide it (short terminals).
        samples.set_class(not visible, "-hidden")
        if visible:
            samples.show(current, previous, sample, micro)
