"""What a run says back: where it diverged, how far a step went, what a change did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DivergedQuantity = Literal["loss", "gradient", "weights"]


@dataclass(frozen=True)
class Divergence:
    epoch: int
    """The epoch that could not be computed."""
    what: DivergedQuantity
    """The first quantity that stopped being finite there."""
    message: str


@dataclass(frozen=True)
class StepReport:
    advanced: int
    """Epochs the cursor moved (negative: back)."""
    stopped: Literal["diverged", "limit"] | None = None
    """Why the cursor moved fewer epochs than asked; None when it did not stop early.
    "limit": a served app's epoch limit (``limits.epoch_limit_message()`` says which)."""


@dataclass(frozen=True)
class ConfigChange:
    restarted: bool
    """True: back to epoch 0; False: continued from the current weights."""
    keys: frozenset[str]

    def describe(self) -> str:
        names = ", ".join(sorted(self.keys)) or "nothing"
        if self.restarted:
            return f"{names} changed: restarted at epoch 0"
        return f"{names} changed: continuing from the current weights"
