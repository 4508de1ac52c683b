"""The lesson's last sections, each on a preset it loads: exploding and vanishing
gradients, then Rprop.
"""

from __future__ import annotations

import numpy as np

from rnn_tui.engine import (
    PRESETS,
    Trainer,
    gradient_growth,
)

from ..formatting import fmt_count, fmt_short
from .keys import keys, press, tab_to, typed
from .plan import Section, Sight, Step
from .wording import (
    code,
    finished,
    loading,
    preset_number,
    state_word,
    status_sights,
    tabs_to,
    weights_words,
)


def exploding_section() -> Section:
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


def vanishing_section() -> Section:
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


def rprop_section() -> Section:
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
