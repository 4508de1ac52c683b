"""The lesson of docs/lesson.md, step by step, every number computed by the engine.

A step says what the teacher presses (key names the app understands), what to say,
and what the class should then see, as a sentence and as :class:`Sight` checks: a
text that must appear in one place of the screen. The sentences and the checks are
built from the same engine numbers, formatted as the screen formats them, so the
guide, ``docs/lesson.md`` and the test that walks the lesson cannot drift apart.

Every sentence about the notebook is checked against its cells (the seed notebook:
In[3]–In[10] linear, In[11]–In[17] sigmoid).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from rnn_tui.engine import (
    KEYS,
    PRESETS,
    RESET_KEYS,
    Config,
    Preset,
    Trainer,
    explain,
    explain_loss,
    explain_update,
    gradient_growth,
    loss_and_grads,
    num,
    trace,
)

from ..formatting import fmt_count, fmt_short
from .keys import Keys, keys, press, tab_to, typed

# Where the class looks, and how the guide names it.
PLACES = {
    "status": "the status line",
    "notice": "the message line",
    "summary": "the line under the table",
    "table": "the table",
    "explain": "the explain panel",
    "cost": "the cost chart's title",
    "landscape": "the landscape's legend",
    "gradients": "the gradients view",
    "view": "the open view",
}

# The status line's digits (see ui.status.bar.status_chunks).
LOSS_DIGITS, WEIGHT_DIGITS = 6, 8


@dataclass(frozen=True)
class Sight:
    """``text`` appears in ``place`` (a table cell: ``cell`` = (row, column) holds ``value``)."""

    place: str
    text: str
    cell: tuple[str, str] | None = None
    value: float | None = None


@dataclass(frozen=True)
class Step:
    press: tuple[Keys, ...]
    say: str
    """What the teacher says or asks."""
    see: str
    """What the class should see after the keys, numbers included."""
    sights: tuple[Sight, ...] = ()

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(name for group in self.press for name in group.names)

    @property
    def keys_label(self) -> str:
        return ", ".join(str(group) for group in self.press)


@dataclass(frozen=True)
class Section:
    title: str
    minutes: int
    preset: str
    intro: str
    steps: tuple[Step, ...]
    command: str = ""


@dataclass(frozen=True)
class Lesson:
    title: str
    intro: str
    sections: tuple[Section, ...]
    homework: tuple[str, ...]

    @property
    def steps(self) -> tuple[tuple[Section, Step], ...]:
        """Every step in order, with its section."""
        return tuple((section, step) for section in self.sections for step in section.steps)


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


def finished(setup: Preset | Config) -> Trainer:
    """A run taken to its configured epochs (or to where it diverged)."""
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


def _stability(start: Trainer) -> str:
    """Why the notebook's lr_wrec is small: the curvature along wrec at the answer.

    Gradient descent with rates P = diag(lr_wx, lr_wrec) settles only while the largest
    eigenvalue of P·H stays below 2 (H the Hessian of the loss at wx = wrec = 1); the
    bound on lr_wrec solves det(P·H − 2·I) = 0 with lr_wx fixed.
    """
    config, data = start.config, start.dataset
    h = 1e-6
    grads = [
        np.array(loss_and_grads(wx, wrec, data.x, data.y)[1:])
        for wx, wrec in ((1 + h, 1.0), (1 - h, 1.0), (1.0, 1 + h), (1.0, 1 - h))
    ]
    (h11, h12), (_, h22) = (grads[0] - grads[1]) / (2 * h), (grads[2] - grads[3]) / (2 * h)
    a = config.lr_wx
    bound = 2 * (a * h11 - 2) / (a * (h11 * h22 - h12 * h12) - 2 * h22)
    overflow = finished(config.replace(lr_wrec=1.0))
    overflow_at = overflow.divergence.epoch if overflow.divergence else 0
    faster, notebook = Trainer(config.replace(lr_wrec=0.02)), Trainer(config)
    faster.goto(1_000)
    notebook.goto(1_000)
    return (
        "A learning rate is bounded by stability: a step overshoots when lr is above "
        "2 / (the loss's curvature along that weight). Near the answer "
        f"d²L/dwrec² = {h22:.1f}, so with lr_wx = {a} any lr_wrec above {bound:.3f} makes "
        f"wrec overshoot the valley floor at every step (1.0 overflows at epoch "
        f"{overflow_at}). The notebook's {config.lr_wrec} is far on the safe side: "
        f"lr_wrec = 0.02 reaches loss {fmt_short(faster.loss, 2)} by epoch 1000, where "
        f"{config.lr_wrec} is still at {fmt_short(notebook.loss, 2)}."
    )


def code(text: str) -> str:
    """Set as code in Markdown, and in the guide's own style in the app."""
    return f"`{text}`"


def _forward_cell(trainer: Trainer, column: str, t: int) -> str:
    return str(explain(trainer.trace(), column, 0, t).equations[0])


# -- the sections ---------------------------------------------------------------------


def _network() -> Section:
    start = Trainer(PRESETS["seed-linear"])
    first = start.trace()
    exact = trace(1.0, 1.0, start.dataset.x, start.dataset.y)
    a_2 = _forward_cell(start, "a", 2)
    return Section(
        "The network",
        5,
        "seed-linear",
        "The notebook's task: the sequences 100, 110 and 111 must map to 1, 2 and 3: "
        "count the ones. Two weights: wx (input) and wrec (recurrent).",
        (
            Step(
                (),
                "Point at the unrolled table: one row per timestep of sequence 1 (x = 100), "
                "a_t = x_t·wx + s_{t-1}·wrec. The status line holds the epoch, the loss and "
                "the weights.",
                f"Epoch 0 with wx 0.2 and wrec 1.5; sequence 1 predicts "
                f"{fmt_short(float(first.prediction[0]))} for target 1; the loss is "
                f"{fmt_short(start.loss, LOSS_DIGITS)}.",
                (
                    Sight("status", "seed-linear"),
                    *status_sights(start),
                    Sight("summary", f"prediction {fmt_short(float(first.prediction[0]))}"),
                ),
            ),
            Step(
                keys("e", "down", "shift+right"),
                "Open the explain panel and put the cursor on a_2 (↓ to t = 2, shift+→ to "
                "the a_t column): the rule, then the same rule with the numbers.",
                f"The explain panel writes {code(a_2)}.",
                (Sight("explain", a_2),),
            ),
            Step(
                (),
                "Ask: with no activation, which weights are right? The output is "
                "x1·wx·wrec² + x2·wx·wrec + x3·wx.",
                f"wx = wrec = 1: the predictions are then exactly {predictions(exact.prediction)}.",
                (Sight("view", "explain"),),
            ),
        ),
        command="rnn-tui",
    )


def _epoch() -> Section:
    start = Trainer(PRESETS["seed-linear"])
    first = start.trace()
    a_1, a_3 = _forward_cell(start, "a", 1), _forward_cell(start, "a", 3)
    loss = str(explain_loss(first).equations[0])
    delta_1 = str(explain(first, "delta", 0, 1).equations[0])
    update_wx, update_wrec = (
        str(explain_update(start, which).equations[-1]) for which in ("wx", "wrec")
    )
    notebook = explain_update(start, "wx").notebook
    dwx, dwrec = start.gradients
    shown_dwx, shown_dwrec = f"({num(dwx)})", f"({num(dwrec)})"  # as in the update lines
    stability = _stability(start)
    after = Trainer(PRESETS["seed-linear"])
    after.step(1)
    steps = 2 * first.t + 2
    return Section(
        "One epoch, micro-step by micro-step",
        10,
        "seed-linear",
        "The explain panel stays open: after each micro-step it shows what that step computed.",
        (
            Step(
                keys("full_stop"),
                "Forward t = 1. Every cell not computed yet in this epoch shows `·`.",
                f"Micro-step 1/{steps}: {code(a_1)}; the rows t = 2 and 3 still show `·`.",
                (
                    Sight("status", f"micro-step 1/{steps}"),
                    Sight("explain", a_1),
                    Sight("table", "·", ("t2", "a")),
                ),
            ),
            Step(
                (press("full_stop", 2),),
                "Forward t = 2 and t = 3. The last step has no activation: s_3 = a_3 is "
                "the prediction.",
                f"{code(a_3)}.",
                (Sight("status", f"micro-step 3/{steps}"), Sight("explain", a_3)),
            ),
            Step(
                keys("full_stop"),
                "The loss: each prediction against its target, squared, averaged over the "
                "three sequences. (The notebook's first experiment computes this cost but "
                "never prints it.)",
                f"{code(loss)}.",
                (Sight("status", f"micro-step 4/{steps}"), Sight("explain", loss)),
            ),
            Step(
                (press("full_stop", 3),),
                "Backward t = 3, 2, 1: δ_3 = 2(prediction − target)/N, and each step back "
                "multiplies δ by wrec (f' = 1 with no activation); δ_t·x_t and δ_t·s_{t-1} "
                "fill in. `,` goes back one micro-step.",
                f"At t = 1: {code(delta_1)}.",
                (Sight("status", f"micro-step 7/{steps}"), Sight("explain", delta_1)),
            ),
            Step(
                keys("full_stop"),
                "The update, with the notebook line it reproduces.",
                f"{code(update_wx)} (notebook {code(notebook)}) and {code(update_wrec)}.",
                (
                    Sight("status", f"micro-step {steps}/{steps}"),
                    Sight("explain", update_wx),
                    Sight("explain", update_wrec),
                ),
            ),
            Step(
                (),
                f"Why 0.02 for wx and only 0.0006 for wrec? Not because dL/dwrec is steeper: "
                f"at epoch 0 dL/dwx = {num(dwx)} and dL/dwrec = {num(dwrec)}. {stability}",
                f"The two gradients in the update lines: {code(shown_dwx)} and "
                f"{code(shown_dwrec)}.",
                (Sight("explain", shown_dwx), Sight("explain", shown_dwrec)),
            ),
            Step(
                keys("space"),
                "Space finishes the epoch.",
                f"Epoch 1: {weights_words(after)}.",
                status_sights(after),
            ),
        ),
    )


def _training() -> Section:
    run = finished(PRESETS["seed-linear"])
    end_loss, end_state = fmt_short(run.loss, LOSS_DIGITS), state_word(run)
    at_end = run.trace()
    # The notebook's loop computes np.square(states[:,3] - y) with y of shape (3, 1):
    # a 3x3 matrix of every prediction against every target.
    broadcast = float(np.square(at_end.prediction - at_end.target[:, None]).sum() / at_end.n)
    start = Trainer(PRESETS["seed-linear"]).trace()
    run.goto(0)
    at_start = status_sights(run)
    run.goto(1_000)
    at_1000 = run.trace()
    return Section(
        "Training, and the notebook's printout",
        5,
        "seed-linear",
        "",
        (
            Step(
                keys("e", "r"),
                f"Close the explain panel and run to the configured "
                f"{fmt_count(run.config.epochs)} epochs.",
                f"Epoch {fmt_count(run.head)}: wx 1, wrec 1, loss {end_loss}, {end_state}.",
                (
                    Sight("status", f"epoch {fmt_count(run.head)} /"),
                    Sight("status", f"loss {end_loss}"),
                    Sight("status", "wx 1 "),
                    Sight("status", "wrec 1 "),
                    Sight("status", end_state),
                ),
            ),
            Step(
                keys("y"),
                "A logarithmic y axis for the cost.",
                f"The cost falls to {end_loss}.",
                (Sight("cost", "log scale"), Sight("cost", end_loss)),
            ),
            Step(
                (),
                "The notebook's first experiment never prints a cost: In[8] prints the "
                "predictions layer_3, `current predition : [1. 2. 3.]` every 1000 epochs, "
                "from epoch 0 on. That epoch 0 is not this run's start: the cells go "
                "In[6] → In[8], so the training cell ran a second time, on weights an earlier "
                "run had trained. Its loop also computes a cost it never prints: y has shape "
                "(3, 1), so states[:,3] − y "
                f"broadcasts to 3×3 and that cost would read {broadcast:.1f} at the "
                "optimum. The app shows the true mean squared error.",
                f"Sequence 1 now predicts {fmt_short(float(at_end.prediction[0]))}, "
                f"rounded {round(float(at_end.prediction[0]))}.",
                (Sight("summary", f"prediction {fmt_short(float(at_end.prediction[0]))}"),),
            ),
            Step(
                keys("home"),
                "Back to epoch 0: every past epoch is rebuilt exactly, the history is kept.",
                f"Epoch 0 again: the predictions {predictions(start.prediction)}, "
                "not the notebook's `[1. 2. 3.]`.",
                (
                    *at_start,
                    Sight("summary", f"prediction {fmt_short(float(start.prediction[0]))}"),
                ),
            ),
            Step(
                (press("colon"), typed("1000"), press("enter")),
                "Go to epoch 1000 in one action, to compare with the notebook's second "
                "printed line.",
                f"Predictions {predictions(at_1000.prediction)} (rounded 1, 2, 3) at loss "
                f"{fmt_short(run.loss, LOSS_DIGITS)}: this run is still on its way.",
                (
                    *status_sights(run),
                    Sight("summary", f"prediction {fmt_short(float(at_1000.prediction[0]))}"),
                ),
            ),
        ),
    )


def _landscape() -> Section:
    run = Trainer(PRESETS["seed-linear"])
    start = f"{run.loss:.2f}"
    losses = {}
    for epoch in (5, 100, 1_000):
        run.goto(epoch)
        losses[epoch] = f"{run.loss:.3f}"
    return Section(
        "The loss surface",
        5,
        "seed-linear",
        "",
        (
            Step(
                keys("end", "l"),
                "The loss over (wx, wrec): ● the weights now, · the path so far, ✕ the "
                "optimum (1, 1). The valley is long and narrow along a curve: gradient "
                "descent reaches its floor fast, then crawls along it.",
                f"The path to ✕: the loss falls from {start} to {losses[5]} in the first 5 "
                f"epochs, then only to {losses[100]} by epoch 100 and {losses[1_000]} by epoch "
                "1000.",
                (Sight("view", "landscape"), Sight("landscape", "✕ optimum")),
            ),
            Step(
                keys("z", "Z", "o", "f"),
                "z and Z zoom, o centres on the weights, f fits the whole path.",
                "The map is computed again at each zoom.",
                (Sight("view", "landscape"),),
            ),
        ),
        command="l",
    )


def _exploding() -> Section:
    preset = PRESETS["exploding"]
    start = Trainer(preset)
    growth = gradient_growth(start.trace())
    per_step = growth ** (1 / (start.dataset.t - 1))
    run = finished(preset)
    wx1, wrec1 = run.weights
    clipped = finished(preset.config.replace(clip="norm:1"))
    return Section(
        "Exploding gradients",
        8,
        "exploding",
        "",
        (
            Step(
                loading("exploding"),
                f"Load preset {preset_number('exploding')}, exploding: wx = 1, wrec = 1.25, "
                "20 random sequences of 25 steps; the config string is "
                f"{code(str(preset.config))}.",
                "The status line names the preset at epoch 0.",
                (Sight("status", "exploding"), *status_sights(start)),
            ),
            Step(
                keys("g"),
                "|δ_t| against t on a log scale: δ is multiplied by wrec at every step back.",
                f"|δ_1|/|δ_25| = {growth:.3g}: it grows {growth:.0f}-fold from t = 25 back to "
                f"t = 1, ×{per_step:.3g} per step back.",
                (Sight("gradients", f"{growth:.3g}"), Sight("gradients", f"×{per_step:.3g}")),
            ),
            Step(
                keys("r"),
                "Run: the gradient is in the millions, so one update with lr = 0.001 throws "
                "the weights far away.",
                f"The run stops after epoch {fmt_count(run.epoch)} and says why: the last "
                f"update took wrec from 1.25 to {wrec1:.3g} and wx from 1 to {wx1:.3g}.",
                (
                    Sight("status", "diverged"),
                    Sight("notice", f"wrec from 1.25 to {wrec1:.3g}"),
                ),
            ),
            Step(
                (
                    press("g"),
                    press("i"),
                    tab_to("clip", tabs_to("clip")),
                    typed("norm:1"),
                    press("enter"),
                    press("r"),
                ),
                "Back to the charts, and bound the step: in the parameter panel set clip to "
                "norm:1, enter, run again. A change after a divergence restarts from epoch 0.",
                f"It converges: epoch {fmt_count(clipped.epoch)}, {weights_words(clipped)}.",
                status_sights(clipped),
            ),
        ),
        command="rnn-tui --preset exploding",
    )


def _vanishing() -> Section:
    preset = PRESETS["vanishing"]
    start = Trainer(preset)
    first = start.trace()
    growth = gradient_growth(first)
    decades = -np.log10(growth)
    share = float(first.delta_x[0, 0])
    run = finished(preset)
    return Section(
        "Vanishing gradients",
        5,
        "vanishing",
        "",
        (
            Step(
                loading("vanishing", "g"),
                f"Load preset {preset_number('vanishing')}, vanishing: a sigmoid and "
                "wrec = 0.5 over 30 steps. Each step back multiplies δ by wrec·f'(a) ≤ 0.125.",
                f"|δ_1|/|δ_30| = {growth:.3g}: δ falls about 1e{decades:.0f} from the output "
                "back to t = 1.",
                (Sight("status", "vanishing"), Sight("gradients", f"{growth:.3g}")),
            ),
            Step(
                keys("g"),
                "Close the view and look at δ_t·x_t in the table for the early timesteps: "
                "the network cannot learn from early inputs.",
                f"δ_1·x_1 of sequence 1 is {fmt_short(share, 3)}.",
                (Sight("table", fmt_short(share, 3), ("t1", "delta_x"), share),),
            ),
            Step(
                keys("r"),
                f"Run the {fmt_count(run.config.epochs)} epochs.",
                f"The loss stalls at {fmt_short(run.loss, 3)}, far above zero: "
                f"{weights_words(run)}; the status line says {state_word(run)}: the gradient "
                "is too small to move the weights, though the data are not fitted.",
                status_sights(run),
            ),
        ),
        command="rnn-tui --preset vanishing",
    )


def _rprop() -> Section:
    preset = PRESETS["roelants-rprop"]
    run = finished(preset)
    return Section(
        "Rprop, if time allows",
        2,
        "roelants-rprop",
        "Roelants' tutorial: only the sign of the gradient is used; the step grows ×1.2 "
        "while the sign holds and halves when it flips.",
        (
            Step(
                loading("roelants-rprop", "l"),
                f"Load preset {preset_number('roelants-rprop')}, roelants-rprop, and open the "
                "landscape.",
                "The start (-1.5, 2) far from ✕.",
                (Sight("status", "roelants-rprop"), Sight("view", "landscape")),
            ),
            Step(
                keys("r"),
                f"Run {fmt_count(run.config.epochs)} iterations and watch the path zig-zag.",
                f"It homes in on (1, 1): {weights_words(run)}.",
                status_sights(run),
            ),
        ),
        command="rnn-tui --preset roelants-rprop",
    )


@cache
def lesson() -> Lesson:
    """The lesson, computed once (a 50 000-epoch run among others: about a second)."""
    return Lesson(
        "A 45-minute lesson on backpropagation through time",
        "A plan for one class, projected from the teacher's laptop, with students "
        "following on their own copy (`rnn-tui serve`, see [serving.md](serving.md)). "
        "Every number below is computed by the engine and is what the app shows; write "
        "the config strings on the board and every student gets the same numbers, bit "
        "for bit. In the app, the lessons view (`n`) walks through the same steps: "
        "`>` next step, `<` previous.",
        (_network(), _epoch(), _training(), _landscape(), _exploding(), _vanishing(), _rprop()),
        (
            "`rnn-tui sweep --rate lr_wrec --values 1e-4:1:9 --epochs 2000`: which learning "
            "rates for wrec converge, which diverge, and why is 0.1 so much better than the "
            "notebook's 0.0006?",
            "`rnn-tui gradcheck --preset seed-sigmoid --epoch 100`: BPTT against the "
            "complex-step derivative, exact to rounding. Try `--preset seed-linear --epoch "
            "50000` too: gradients of 1e-12, still checked.",
        ),
    )
