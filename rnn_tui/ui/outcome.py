"""What a command did and what to say about it: the controller's answers, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NoticeKind = Literal["info", "ok", "warning", "error"]


DIVERGED_HERE = "The run diverged here: rewind (←) or change a parameter first."
AFTER_DIVERGENCE = (
    "changed after the divergence: restarted at epoch 0 from the initial weights "
    "(the last ones had overflowed)"
)


@dataclass(frozen=True)
class Notice:
    """One short message under the status line ("" says nothing)."""

    text: str = ""
    kind: NoticeKind = "info"


QUIET = Notice()
NEW_RUN = {"restarted": True, "config_changed": True}


@dataclass(frozen=True)
class Outcome:
    """What a command did, for whoever draws it (or sends it on)."""

    notice: Notice
    """The notice to show now (a divergence outranks the last action's)."""
    restarted: bool = False
    """The run went back to epoch 0 with a fresh history."""
    config_changed: bool = False
    """The config (or the preset) is different: the parameter panel shows it again."""
    refused_field: str = ""
    """The editor whose value was refused ("" none); the reason is the notice."""
    refusal: str = ""
    """Why, in the words the editor shows under the field."""
