"""The lesson's first sections, on the notebook's seed-linear run: the network, one epoch
micro-step by micro-step, training, the loss surface.
"""

from __future__ import annotations

import numpy as np

from rnn_tui.engine import (
    PRESETS,
    Trainer,
    explain,
    explain_loss,
    explain_update,
    loss_and_grads,
    num,
    trace,
)

from ..formatting import fmt_count, fmt_short
from .keys import keys, press, typed
from .plan import Section, Sight, Step
from .wording import (
    LOSS_DIGITS,
    code,
    finished,
    forward_cell,
    predictions,
    state_word,
    status_sights,
    weights_words,
)


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


def network_section() -> Section:
    start = Trainer(PRESETS["seed-linear"])
    first = start.trace()
    exact = trace(1.0, 1.0, start.dataset.x, start.dataset.y)
    a_2 = forward_cell(start, "a", 2)
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


def epoch_section() -> Section:
    start = Trainer(PRESETS["seed-linear"])
    first = start.trace()
    a_1, a_3 = forward_cell(start, "a", 1), forward_cell(start, "a", 3)
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


def training_section() -> Section:
    run = finished(PRESETS["seed-linear"])
    end_loss, end_state = fmt_short(run.loss, LOSS_DIGITS), state_word(run)
    at_end = run.trace()
    # The notebook's loop computes np.square(states[:,3] - y) with y of shape (3, 1):
    # a 3x3 matrix of every prediction against every target.
    broadcast = float(np.square(at_end.prediction - at_end.target[:, None]).sum() / at_end.n)
    fresh = Trainer(PRESETS["seed-linear"])  # the run at epoch 0 ...
    start, at_start = fresh.trace(), status_sights(fresh)
    fresh.goto(1_000)  # ... and at 1000 (the finished run resumed at its end: no history)
    at_1000 = fresh.trace()
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
                f"{fmt_short(fresh.loss, LOSS_DIGITS)}: this run is still on its way.",
                (
                    *status_sights(fresh),
                    Sight("summary", f"prediction {fmt_short(float(at_1000.prediction[0]))}"),
                ),
            ),
        ),
    )


def landscape_section() -> Section:
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
