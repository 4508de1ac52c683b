"""The lessons panel: what a preset shows, where it comes from and what to press."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult

from rnn_tui.engine import PRESETS, Preset, Trainer, preset_for

from .fitted import FitsItsText


class LessonsPanel(FitsItsText):
    """``show(trainer)`` finds the preset the run was started from; ``show_preset(p)``."""

    DEFAULT_CSS = """
    LessonsPanel { height: auto; width: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.preset: Preset | None = None

    def show(self, trainer: Trainer) -> None:
        name = preset_for(trainer.config)
        self.show_preset(PRESETS[name] if name else None)

    def show_preset(self, preset: Preset | None) -> None:
        self.preset = preset
        self.refit()

    def render(self) -> RenderResult:
        preset = self.preset
        # The list first and on few lines: it must stay on screen at 80x24.
        text = Text.assemble(("Presets", "bold"), " · a number key loads one: ")
        for i, p in enumerate(PRESETS.values(), start=1):
            if i > 1:
                text.append(" · ", style="dim")
            text.append(f"{i} {p.name}", style="bold reverse" if p is preset else "")
        text.append("\n\n")
        if preset is None:
            text.append("A custom experiment: no guided lesson.", style="bold")
            return text
        text.append(preset.title, style="bold")
        text.append(f"\n{preset.name}")
        if preset.source:
            text.append(f" · reproduces {preset.source}", style="italic")
        text.append(f"\n\n{preset.note}\n\n")
        text.append("Try this\n", style="bold")
        for i, step in enumerate(preset.lesson, start=1):
            text.append(f" {i}. {step}\n")
        return text
