"""Named experiments: the notebook's two, Roelants' Rprop run, and lessons on
exploding and vanishing gradients. Each has a teaching note and a short guided
lesson (what to press, what to watch)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import Config


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    config: Config
    note: str  # one paragraph: what this experiment shows
    lesson: tuple[str, ...]  # guided steps shown in the lessons panel
    source: str = ""  # which notebook cells or tutorial it reproduces


def _notebook_sigmoid_weights() -> tuple[float, float]:
    # The notebook seeds NumPy's legacy generator with 1234 in cell In[2] and
    # draws wx, then wrec, with np.random.randn() in In[13].
    rng = np.random.RandomState(1234)
    return float(rng.randn()), float(rng.randn())


_SIGMOID_WX, _SIGMOID_WREC = _notebook_sigmoid_weights()

_PRESET_LIST = (
    Preset(
        "seed-linear",
        "Notebook, part 1: a linear RNN learns to count",
        Config(),
        "The notebook's first experiment. Three sequences 100, 110 and 111 must map to 1, 2 "
        "and 3: the network must count the ones. With no activation the output is "
        "x1·wx·wrec² + x2·wx·wrec + x3·wx, so wx = wrec = 1 is the exact answer, and plain "
        "gradient descent from wx = 0.2, wrec = 1.5 walks there over 50 000 epochs. The "
        "notebook's learning rates differ by a factor of 33, but not because dL/dwrec is "
        "steeper: at epoch 0 dL/dwx = -10.44 and dL/dwrec = -1.98. A learning rate is bounded "
        "by stability: near the answer the loss curves along wrec with d²L/dwrec² = 14.7, and "
        "with lr_wx = 0.02 any lr_wrec above 0.124 makes wrec overshoot the valley floor at "
        "every step (0.13 ends at loss 0.047; 1.0 overflows at epoch 5). Below that bound "
        "bigger is faster: lr_wrec = 0.02 reaches loss 1.6e-7 by epoch 1000, where 0.0006 is "
        "still at 0.044.",
        (
            "Press space a few times: watch a_t and s_t in the table, then δ_t flowing back.",
            "Watch the cost chart fall fast, then crawl: the valley is long and flat.",
            "Press r to run to 50 000 epochs; wx and wrec both settle at 1.",
            "Press left to rewind: every epoch is rebuilt exactly. The notebook's In[8] "
            "printout reads [1. 2. 3.] from epoch 0 because it ran on weights an earlier run "
            "had trained (its cells go In[6] → In[8]); from wx = 0.2, wrec = 1.5, epoch 0 "
            "predicts [0.45 0.75 0.95].",
        ),
        "notebook cells In[3]–In[10]",
    ),
    Preset(
        "seed-sigmoid",
        "Notebook, part 2: the same task with a sigmoid",
        Config(
            wx=_SIGMOID_WX,
            wrec=_SIGMOID_WREC,
            lr_wx=0.001,
            lr_wrec=0.001,
            activation="sigmoid",
            epochs=15_000,
        ),
        "The notebook's second experiment: hidden states pass through a sigmoid, the output "
        "step stays linear. Initial weights are the notebook's np.random.randn() draws after "
        "np.random.seed(1234). A sigmoid squashes every state into (0, 1), so the network "
        "can no longer count exactly: the cost stalls near 0.095 and the outputs end at "
        "1.37, 1.61, 3.02, which round to the right answers 1, 2, 3.",
        (
            "Press space: f'(a_t) is at most 0.25, so each step back shrinks δ_t.",
            "Press r: the cost matches the notebook's printout every 1000 epochs to 1e-12 "
            "(11 of its 15 lines digit for digit, 4 differ in the last two digits).",
            "At the end, compare the prediction with the rounded prediction in the table.",
        ),
        "notebook cells In[11]–In[17]",
    ),
    Preset(
        "roelants-rprop",
        "Roelants: Rprop over an unstable loss surface",
        Config(
            wx=-1.5,
            wrec=2.0,
            optimizer="rprop",
            data="roelants",
            epochs=500,
        ),
        "Peter Roelants' tutorial: 20 binary sequences of length 10, target = number of ones. "
        "With wrec = 2 the gradient is multiplied by 2 at each of 10 steps back in time, so "
        "its size is useless as a step length. Rprop keeps only the gradient's sign and adapts "
        "a step per weight (×1.2 while the sign holds, ×0.5 when it flips), and reaches "
        "wx ≈ wrec ≈ 1 in 500 iterations.",
        (
            "Press r and watch the weight trajectory zig-zag, then home in on (1, 1).",
            "Switch the optimizer to gd: from the same start the first update throws the "
            "weights to wx ≈ 16 000 and the run overflows.",
        ),
        "Roelants, 'How to implement a recurrent neural network, part 1'",
    ),
    Preset(
        "exploding",
        "Exploding gradients: |wrec| > 1 over 25 steps",
        Config(
            wx=1.0,
            wrec=1.25,
            lr_wx=0.001,
            lr_wrec=0.001,
            data="random:20x25",
            seed=7,
            epochs=500,
        ),
        "Twenty-five timesteps with wrec = 1.25: going back in time, δ_t is multiplied "
        "by wrec at every step, so δ_1 is about 200 times δ_25, and every state "
        "s_{t-1} feeding dL/dwrec is itself a sum of growing powers of wrec. The gradient "
        "is in the millions, so one update with a learning rate of 0.001 throws the weights "
        "far away (wrec 1.25 → −12 104, loss 2.7e201) and the next update overflows. "
        "Bounding the step cures it: with clip=norm:1 the same run walks to wx ≈ 0.985, "
        "wrec ≈ 1.000 in 500 epochs.",
        (
            "Open the gradients-through-time view: |δ_t| grows ~200-fold towards t = 1.",
            "Press r: after one epoch the run pauses on overflow, and says why.",
            "Set clip to norm:1 in the parameter panel and press r again: it converges.",
        ),
    ),
    Preset(
        "vanishing",
        "Vanishing gradients: sigmoid and |wrec| < 1 over 30 steps",
        Config(
            wx=1.0,
            wrec=0.5,
            lr_wx=0.05,
            lr_wrec=0.05,
            activation="sigmoid",
            data="random:20x30",
            seed=7,
            epochs=2_000,
        ),
        "Thirty timesteps through a sigmoid with wrec = 0.5: each step back multiplies "
        "δ_t by wrec·f'(a_t) ≤ 0.125, so the early timesteps receive almost no "
        "gradient (about 10^-29 of the output's at the start). The network can only learn "
        "from the last few inputs, which is why counting ones over 30 steps fails.",
        (
            "Open the gradients-through-time view: |δ_t| falls to ~0 within a few steps.",
            "In the table, δ_t·x_t for early t is zero to 20 digits.",
            "Press r: the loss stalls well above zero.",
        ),
    ),
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in _PRESET_LIST}
DEFAULT_PRESET = "seed-linear"


def preset_for(config: Config) -> str | None:
    """The name of the preset whose config equals ``config``, if any."""
    return next((p.name for p in _PRESET_LIST if p.config == config), None)
