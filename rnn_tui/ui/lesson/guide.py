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

from functools import cache

from .notebook_sections import (
    epoch_section,
    landscape_section,
    network_section,
    training_section,
)
from .plan import PLACES, Lesson, Section, Sight, Step
from .preset_sections import exploding_section, rprop_section, vanishing_section
from .wording import tabs_to

__all__ = ["PLACES", "Lesson", "Section", "Sight", "Step", "lesson", "tabs_to"]


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
        (
            network_section(),
            epoch_section(),
            training_section(),
            landscape_section(),
            exploding_section(),
            vanishing_section(),
            rprop_section(),
        ),
        (
            "`rnn-tui sweep --rate lr_wrec --values 1e-4:1:9 --epochs 2000`: which learning "
            "rates for wrec converge, which diverge, and why is 0.1 so much better than the "
            "notebook's 0.0006?",
            "`rnn-tui gradcheck --preset seed-sigmoid --epoch 100`: BPTT against the "
            "complex-step derivative, exact to rounding. Try `--preset seed-linear --epoch "
            "50000` too: gradients of 1e-12, still checked.",
        ),
    )
