"""Every key of the main screen in one table: the bindings, the footer, the help
screen and the command palette are all generated from it.

The footer shows the keys in this order, so the most useful come first. A key
with a ``view`` works only while that view is open (it is hidden from the footer
and the palette elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding

from rnn_tui.engine import PRESETS


@dataclass(frozen=True)
class Key:
    keys: str  # Textual key names, comma separated
    action: str
    label: str  # short, for the footer
    help: str  # one sentence, for the help screen and the palette
    show: bool = True  # shown in the footer
    display: str | None = None  # how the footer writes the key
    view: str | None = None  # only while this view is open
    help_keys: str | None = None  # how the help screen writes the key (default: its names)
    role: str | None = None  # only in class mode, for this role ("teacher" or "student")

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, key_display=self.display)


PRESET_KEYS = 5  # 1..5 load a preset (asking first if the run would be lost)

KEYS: tuple[Key, ...] = (
    Key(
        "space,right",
        "step(1)",
        "Step",
        "One epoch forward: forward pass, BPTT, update. While micro-stepping: finish the epoch.",
        display="␣",
    ),
    Key(
        "left,backspace",
        "step(-1)",
        "Back",
        "One epoch back, exactly as it was (history is kept).",
        display="←",
    ),
    Key(
        "full_stop",
        "micro(1)",
        "Micro",
        "One micro-step inside the epoch: forward t = 1..T, the loss, backward t = T..1, "
        "the update. The cells just computed are highlighted; cells not computed yet in "
        "this epoch show ·. Space finishes the epoch.",
        display=".",
    ),
    Key(
        "comma",
        "micro(-1)",
        "Micro back",
        "One micro-step back (from the start of an epoch, into the previous epoch's update).",
        show=False,
        display=",",
    ),
    Key(
        "z",
        "landscape('zoom', 0.5)",
        "Zoom in",
        "Landscape: zoom in (the grid is computed again).",
        view="landscape",
    ),
    Key("Z", "landscape('zoom', 2.0)", "Zoom out", "Landscape: zoom out.", view="landscape"),
    Key(
        "o", "landscape('centre')", "Centre", "Landscape: centre on the weights.", view="landscape"
    ),
    Key(
        "f",
        "landscape('fit')",
        "Fit",
        "Landscape: fit the window to the path and the optimum.",
        view="landscape",
    ),
    *(
        Key(
            str(i),
            f"preset({i})",
            "Load preset",
            f"Load preset 1..{PRESET_KEYS} (listed in the lessons view, n); asks first "
            "when the run or edited parameters would be lost.",
            show=False,
            display=f"1-{PRESET_KEYS}",
            help_keys=f"1 … {PRESET_KEYS}" if i == 1 else "",
        )
        for i in range(1, PRESET_KEYS + 1)
    ),
    Key(
        "greater_than_sign",
        "guide(1)",
        "Next step",
        "Lessons: the lesson guide's next step (what to press, what to say, what the class "
        "should see).",
        display=">",
        view="lessons",
    ),
    Key(
        "less_than_sign",
        "guide(-1)",
        "Previous step",
        "Lessons: the lesson guide's previous step.",
        show=False,
        display="<",
        view="lessons",
    ),
    Key(
        "p",
        "toggle_run",
        "Run",
        "Run or pause; runs up to the configured epochs, then keeps going if started past them.",
    ),
    Key("question_mark,f1", "help", "Help", "This help: every key and every column.", display="?"),
    Key(
        "e",
        "view('explain')",
        "Explain",
        "Explain panel: the equation behind the table's cell under the cursor, with the "
        "numbers filled in (on the Σ rows: prediction, loss, gradients and the update); "
        "after a micro-step, what that step computed. e again goes back to the charts.",
    ),
    Key(
        "l",
        "view('landscape')",
        "Landscape",
        "Loss landscape over (wx, wrec): ● the weights now, · the path so far, ✕ the optimum. "
        "l again goes back to the charts.",
    ),
    Key(
        "g",
        "view('gradients')",
        "Gradients",
        "Gradients through time: |δ_t| against t (log scale), so you see it explode when "
        "|wrec| > 1 and vanish when |wrec·f'| < 1; below, the gradient norm per epoch.",
    ),
    Key(
        "n",
        "view('lessons')",
        "Lessons",
        "The lesson of this preset (what to press, what to watch, which notebook cells it "
        "reproduces) and the list of presets: a number key loads one.",
    ),
    Key(
        "c",
        "view('gradcheck')",
        "Grad check",
        "Gradient check: BPTT's dL/dwx and dL/dwrec against a numerical derivative at the "
        "current weights (complex step; central differences for relu), with a verdict.",
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
    Key("pagedown", "step(100)", "+100", "100 epochs forward.", show=False),
    Key("pageup", "step(-100)", "-100", "100 epochs back.", show=False),
    Key(
        "home,0",
        "goto_start",
        "Epoch 0",
        "Jump to epoch 0 (the history stays; step forward to replay it).",
        show=False,
    ),
    Key("end", "goto_head", "Latest", "Jump to the latest epoch computed so far.", show=False),
    Key(
        "colon,G",
        "goto_epoch",
        "Go to",
        "Go to epoch N: type it, enter (epochs not computed yet are run to).",
        show=False,
        display=":",
    ),
    Key(
        "R",
        "reset",
        "Reset",
        "Reset: back to epoch 0 and forget the history (asks first if it is not saved).",
        show=False,
    ),
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
        "Weights chart: wx and wrec over epochs, or the path in the (wx, wrec) plane. "
        "Below 32 rows it shares the cost chart's place: w shows the weights, then their "
        "path, then the cost again.",
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
    Key(
        "x",
        "class_explore",
        "Explore",
        "Class mode: stop following the class and explore from here; the run is yours.",
        role="student",
    ),
    Key("j", "class_rejoin", "Rejoin", "Class mode: follow the class again.", role="student"),
    Key(
        "v",
        "class_view",
        "Class",
        "Class mode: the class view (every student, live, those in trouble on top) with "
        "push, spotlight and hold.",
        role="teacher",
    ),
    Key(
        "P",
        "class_push",
        "Push",
        "Class mode: everyone follows your run (explorers are brought back).",
        show=False,
        role="teacher",
    ),
    Key(
        "T",
        "projector",
        "Projector",
        "Projector mode: a light, high-contrast theme and 4 significant digits, readable "
        "from the back of a room (also `rnn-tui --projector`). T again switches back.",
        show=False,
    ),
    Key("q", "quit", "Quit", "Quit (asks first if the run or edits are not saved)."),
)

# The class view's own keys (the teacher's; the screen binds them).
CLASS_VIEW_KEYS: tuple[Key, ...] = (
    Key("s", "class_spotlight", "Spotlight", "The class follows the selected student's run."),
    Key("b", "class_take_back", "Take back", "The class follows your run again."),
    Key("P", "class_push", "Push", "Everyone follows your run (explorers are brought back)."),
    Key("h", "class_hold", "Hold", "Hold the class (nobody may explore) or release it."),
    Key("escape,v", "close", "Close", "Back to your run."),
)

BINDINGS: list[Binding] = [key.binding() for key in KEYS]


def palette_commands(app: App[None]) -> Iterable[SystemCommand]:
    """The command palette's entries: every key that works everywhere, and each preset."""
    for key in KEYS:
        if key.view is not None:
            continue  # keys of one view: the view lists them
        yield SystemCommand(key.label, key.help, partial(app.run_action, key.action))
    for name, preset in PRESETS.items():
        load: Callable[[], object] = partial(app.run_action, f"load_preset({name!r})")
        yield SystemCommand(f"Preset: {name}", preset.title, load)
    yield SystemCommand(
        "Copy config string",
        "Copy the config string that reproduces this run",
        partial(app.run_action, "copy_config"),
    )
