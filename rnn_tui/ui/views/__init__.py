"""The teaching views, each a standalone widget fed by engine objects.

LandscapeView   loss over (wx, wrec), the path so far, zoom and re-centre
GradientsView   |delta_t| against t (log scale) and the gradient norm per epoch
ExplainPanel    the equation behind a table cell, with its numbers
GradCheckPanel  BPTT against a numerical derivative
LessonsPanel    the preset's note, notebook cells and guided steps
MicroStepBar    where a micro-stepping student stands inside the epoch
"""

from .explain import ExplainPanel
from .gradcheck import GradCheckPanel
from .gradients import GradientsView
from .landscape import LandscapeView
from .lessons import LessonsPanel
from .microbar import MicroStepBar

__all__ = [
    "ExplainPanel",
    "GradCheckPanel",
    "GradientsView",
    "LandscapeView",
    "LessonsPanel",
    "MicroStepBar",
]
