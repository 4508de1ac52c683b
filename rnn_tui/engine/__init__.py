"""The NumPy engine: the model, its training and everything a view needs.

Pure NumPy: nothing here imports textual, plotext or asyncssh.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .config import KEYS, Config, ConfigError
from .datasets import DataError, Dataset
from .datasets import load as load_dataset
from .diagnostics import explain_divergence, gradient_growth, gradient_through_time
from .gradcheck import GradientCheck, gradient_check
from .history import History
from .landscape import Landscape, landscape
from .model import Trace, Unrolled, loss_and_grads, trace
from .presets import DEFAULT_PRESET, PRESETS, Preset, preset_for
from .quantities import (
    BACKWARD_COLUMNS,
    COLUMNS,
    FORWARD_COLUMNS,
    LOSS_QUANTITIES,
    QUANTITIES,
    UPDATE_QUANTITIES,
    Phase,
    Quantity,
    quantity,
)
from .sweep import SweepResult, sweep_learning_rates
from .trainer import ConfigChange, Divergence, StepReport, Trainer

__all__ = [
    "ACTIVATIONS",
    "BACKWARD_COLUMNS",
    "COLUMNS",
    "DEFAULT_PRESET",
    "FORWARD_COLUMNS",
    "KEYS",
    "LOSS_QUANTITIES",
    "PRESETS",
    "QUANTITIES",
    "UPDATE_QUANTITIES",
    "Activation",
    "Config",
    "ConfigChange",
    "ConfigError",
    "DataError",
    "Dataset",
    "Divergence",
    "GradientCheck",
    "History",
    "Landscape",
    "Phase",
    "Preset",
    "Quantity",
    "StepReport",
    "SweepResult",
    "Trace",
    "Trainer",
    "Unrolled",
    "explain_divergence",
    "get_activation",
    "gradient_check",
    "gradient_growth",
    "gradient_through_time",
    "landscape",
    "load_dataset",
    "loss_and_grads",
    "preset_for",
    "quantity",
    "sweep_learning_rates",
    "trace",
]
