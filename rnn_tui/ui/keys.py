"""Every key of the main screen in one table: the bindings, the footer, the help
screen and the command palette are all generated from it.

Keys deliberately left free for the teaching views that come later:
``l`` landscape, ``g`` gradients through time, ``e`` explain, ``c`` gradient
check, ``.`` / ``,`` micro-steps.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma separated
    action: str
    label: str  # short, for the footer
    help: str  # one sentence, for the help screen and the palette
    show: bool = True  # shown in the footer
    display: str | None = None  # how the footer writes the key

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, key_display=self.display)


KEYS: tuple[Key, ...] = (
    Key(
        "space,right",
        "step(1)",
        "Step",
        "One epoch forward: forward pass, BPTT, update.",
        display="␣",
    ),
    Key(
        "left,backspace",
        "step(-1)",
        "Back",
        "One epoch back, exactly as it was (history is kept).",
        display="←",
    ),
    Key("pagedown", "step(100)", "+100", "100 epochs forward.", show=False),
    Key("pageup", "step(-100)", "-100", "100 epochs back.", show=False),
    Key(
        "p",
        "toggle_run",
        "Run",
        "Run or pause; runs up to the configured epochs, then keeps going if started past them.",
    ),
    Key(
        "r",
        "run_to_target",
        "To end",
        "Run quickly to the configured number of epochs (the `epochs` parameter).",
    ),
    Key(
        "plus,equals_sign", "speed(1)", "Faster", "Run faster: more epochs per frame.", display="+"
    ),
    Key(
        "minus",
        "speed(-1)",
        "Slower",
        "Run slower: fewer epochs per frame (down to one epoch every 16 frames).",
        display="-",
    ),
    Key(
        "home,0",
        "goto_start",
        "Epoch 0",
        "Jump to epoch 0 (the history stays; step forward to replay it).",
        show=False,
    ),
    Key("end", "goto_head", "Latest", "Jump to the latest epoch computed so far.", show=False),
    Key("R", "reset", "Reset", "Reset: back to epoch 0 and forget the history.", show=False),
    Key("question_mark,f1", "help", "Help", "This help: every key and every column.", display="?"),
    Key(
        "right_square_bracket",
        "sample(1)",
        "Sample",
        "Show the next sample (sequence) in the unrolled table.",
        display="]",
    ),
    Key(
        "left_square_bracket",
        "sample(-1)",
        "Prev sample",
        "Show the previous sample.",
        show=False,
        display="[",
    ),
    Key(
        "y", "toggle_log", "Log y", "Cost chart: switch between a linear and a logarithmic y axis."
    ),
    Key(
        "w",
        "toggle_trajectory",
        "wx·wrec",
        "Weights chart: wx and wrec over epochs, or the path in the (wx, wrec) plane.",
        show=False,
    ),
    Key(
        "a",
        "toggle_samples",
        "All samples",
        "Show or hide the compact table of all samples.",
        show=False,
    ),
    Key(
        "i",
        "edit_parameters",
        "Edit",
        "Edit the parameters (tab moves between fields, enter applies, escape leaves).",
    ),
    Key(
        "ctrl+s",
        "session('save')",
        "Session",
        "Save or open a session, export the history (CSV) or the screen (SVG), "
        "and show the config string.",
    ),
    Key("ctrl+o", "session('open')", "Open", "Open a saved session.", show=False),
    Key("q", "quit", "Quit", "Quit."),
)

BINDINGS: list[Binding] = [key.binding() for key in KEYS]
