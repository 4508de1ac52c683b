"""What the status line and the line under the unrolled table say about the run."""

from __future__ import annotations

from rich.text import Text

from rnn_tui.engine import MicroCursor, Trace

from .controller import RunController
from .formatting import fmt_short
from .status.bar import micro_state, run_state
from .status.line import StatusFacts
from .table.micro import PENDING_MARK, quantity_state
from .table.samples import sequence_text


def sample_summary(current: Trace, n: int, micro: MicroCursor | None) -> Text:
    """``x = 100 · target 1 · prediction … · rounded … · error …`` for sample ``n``."""
    parts: list[tuple[str, str]] = []
    sequence = sequence_text(current.x[n])
    if sequence:
        parts.append((f"x = {sequence}", ""))
    prediction = float(current.prediction[n])
    parts.append((f"target {fmt_short(float(current.target[n]))}", ""))
    if quantity_state(micro, "prediction") == "pending":
        parts.append((f"prediction {PENDING_MARK} (computed at the loss step)", "dim"))
    else:
        parts += [
            (f"prediction {fmt_short(prediction)}", "bold"),
            (f"rounded {fmt_short(round(prediction))}", ""),
            (f"error {fmt_short(float(current.error[n]))}", ""),
        ]
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    for i, (part, style) in enumerate(parts):
        if i:
            text.append(" · ", style="dim")
        text.append(part, style=style)
    return text


def status_facts(run: RunController, classroom: tuple[str, ...] = ()) -> StatusFacts:
    """Preset, epoch, loss, weights and run state (and the class: its words, longest
    form first), for the status line."""
    trainer, micro = run.trainer, run.micro
    wx, wrec = trainer.weights
    return StatusFacts(
        preset=run.preset_label,
        epoch=trainer.epoch,
        target=trainer.config.epochs,
        head=trainer.head,
        loss=trainer.loss,
        wx=wx,
        wrec=wrec,
        state=(
            run_state(
                trainer.diverged,
                trainer.converged,
                run.runner,
                trainer.stalled,
                computed_to=trainer.head if trainer.head > trainer.epoch else None,
            )
            if micro is None
            else micro_state(micro)
        ),
        classroom=classroom[0] if classroom else "",
        classroom_short=classroom[1:],
    )
