"""The lessons panel: what a preset shows, where it comes from and what to press."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from rnn_tui.engine import PRESETS, Preset, Trainer, preset_for


class LessonsPanel(Widget):
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
        self.refresh(layout=True)

    def render(self) -> RenderResult:
        preset = self.preset
        text = Text()
        if preset is None:
            text.append("A custom experiment: no guided lesson.\n\n", style="bold")
        else:
            text.append(preset.title, style="bold")
            text.append(f"\n{preset.name}")
            if preset.source:
                text.append(f" · reproduces {preset.source}", style="italic")
            text.append(f"\n\n{preset.note}\n\n")
            text.append("Try this\n", style="bold")
            for i, step in enumerate(preset.lesson, start=1):
                text.append(f" {i}. {step}\n")
            text.append("\n")
        text.append("Presets · press the number to load one\n", style="bold")
        for i, p in enumerate(PRESETS.values(), start=1):
            where = f" ({p.source})" if p.source else ""
            style = "bold" if p is preset else ""
            text.append(f" {i}  {p.name}: {p.title}{where}\n", style=style)
        return text
