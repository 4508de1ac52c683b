"""The engine's numbers worded as the screen shows them, and the keys that reach them.

The sections' sentences and their :class:`Sight` checks are built from these, so the
guide, ``docs/lesson.md`` and the walk of the lesson cannot drift apart.
"""

from __future__ import annotations

import numpy as np

from rnn_tui.engine import (
    KEYS,
    PRESETS,
    RESET_KEYS,
    Checkpoint,
    Config,
    Preset,
    Trainer,
    explain,
)

from ..formatting import fmt_count, fmt_short
from .keys import Keys, keys, press
from .plan import Sight

# The status line's digits (see ui.status.bar.status_chunks).
LOSS_DIGITS, WEIGHT_DIGITS = 6, 8


def status_sights(trainer: Trainer) -> tuple[Sight, ...]:
    """The status line's epoch, loss and weights for ``trainer`` where it stands."""
    wx, wrec = trainer.weights
    sights = (
        Sight("status", f"epoch {fmt_count(trainer.epoch)} /"),
        Sight("status", f"loss {fmt_short(trainer.loss, LOSS_DIGITS)}"),
        Sight("status", f"wx {fmt_short(wx, WEIGHT_DIGITS)}"),
        Sight("status", f"wrec {fmt_short(wrec, WEIGHT_DIGITS)}"),
    )
    state = state_word(trainer)
    return (*sights, Sight("status", state)) if state else sights


def state_word(trainer: Trainer) -> str:
    """The engine's verdict on a run at rest, as the status line words it ("" if none)."""
    if trainer.diverged:
        return "diverged"
    if trainer.converged:
        return "converged"
    return "stalled" if trainer.stalled else ""


# Where the lesson's two long runs end (epoch, weights there, weights the epoch before):
# opening the guide resumes them there instead of computing 52 000 epochs, 0.7 s of CPU in
# every app (thirty students opening it at once). Both use gradient descent: no optimizer
# state. tests/ui/test_lesson_guide.py recomputes them from epoch 0 and compares the bits.
FINISHED: dict[str, tuple[int, tuple[float, float], tuple[float, float]]] = {
    "seed-linear": (
        50_000,
        (0.9999999999893574, 1.0000000000087403),
        (0.999999999989352, 1.0000000000087448),
    ),
    "vanishing": (
        2_000,
        (0.9450579533788362, 15.285714215223049),
        (0.9450579533788421, 15.285714215223045),
    ),
}


def finished(setup: Preset | Config) -> Trainer:
    """A run taken to its configured epochs (or to where it diverged). A preset whose end
    is stored resumes there: its history before is computed only if something reads it."""
    if isinstance(setup, Preset) and setup.name in FINISHED:
        epoch, weights, previous = FINISHED[setup.name]
        return Trainer.resume(Checkpoint(((0, setup.config),), epoch, weights, previous, ()))
    return computed_to_target(setup)


def computed_to_target(setup: Preset | Config) -> Trainer:
    """A run computed from epoch 0 to its configured epochs (or to where it diverged)."""
    trainer = Trainer(setup)
    trainer.run_to_target()
    return trainer


def preset_number(name: str) -> int:
    """The number key that loads preset ``name`` in the lessons view."""
    return list(PRESETS).index(name) + 1


def loading(name: str, *then: str) -> tuple[Keys, ...]:
    """The preset's number key, then yes to dropping the run on screen; then ``then``."""
    yes = Keys(("y",), "y", after=" (the app asks before it drops the run on screen)")
    return (press(str(preset_number(name))), yes, *keys(*then))


def weights_words(trainer: Trainer) -> str:
    wx, wrec = trainer.weights
    return (
        f"wx {fmt_short(wx, WEIGHT_DIGITS)}, wrec {fmt_short(wrec, WEIGHT_DIGITS)}, "
        f"loss {fmt_short(trainer.loss, LOSS_DIGITS)}"
    )


def predictions(values: np.ndarray) -> str:
    return ", ".join(fmt_short(float(v)) for v in values)


def tabs_to(field: str) -> int:
    """Tabs from wx (where `i` puts the focus) to ``field``: the parameter panel lists the
    settings that restart first, then those that continue, each in the config's order."""
    order = [k for k in KEYS if k in RESET_KEYS] + [k for k in KEYS if k not in RESET_KEYS]
    return order.index(field) - order.index("wx")


def code(text: str) -> str:
    """Set as code in Markdown, and in the guide's own style in the app."""
    return f"`{text}`"


def forward_cell(trainer: Trainer, column: str, t: int) -> str:
    return str(explain(trainer.trace(), column, 0, t).equations[0])
