"""The NumPy engine: the model, its training and everything a view needs.

Pure NumPy: nothing here imports textual, plotext or asyncssh.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .checkpoint import (
    MAX_OPTIMIZER_STATE,
    Checkpoint,
    CheckpointError,
    HistoryMismatch,
    check_checkpoint,
)
from .config import (
    KEYS,
    MAX_EPOCHS,
    NO_HISTORY_KEYS,
    RESET_KEYS,
    Config,
    ConfigError,
    format_value,
    key_allowed,
    key_help,
    parse_value,
)
from .datasets import (
    BUILT_IN_DATASETS,
    BUILT_IN_NAMES,
    DataError,
    Dataset,
    is_built_in,
    refuse_data_files,
)
from .datasets import load as load_dataset
from .diagnostics import explain_divergence, gradient_growth, gradient_through_time
from .equations import Equation, Explanation, num
from .explain import (
    explain,
    explain_loss,
    explain_prediction,
    explain_sample_sum,
    explain_total,
)
from .explain_update import Update, explain_update, next_update
from .gradcheck import (
    VERDICT_GOOD,
    VERDICT_SMALL,
    VERDICT_WRONG,
    GradientCheck,
    gradient_check,
)
from .history import COLUMNS as HISTORY_COLUMNS
from .history import History
from .landscape import Landscape, landscape
from .limits import epoch_limit_message, set_run_limits
from .microsteps import Cell, CellState, MicroCursor, MicroPlan, MicroStep
from .model import Trace, Unrolled, loss_and_grads, trace
from .notebook_lines import notebook_line
from .optimizers import OPTIMIZER_NAMES, Optimizer
from .presets import DEFAULT_PRESET, PRESETS, Preset, preset_for
from .quantities import (
    BACKWARD_COLUMNS,
    COLUMNS,
    FORWARD_COLUMNS,
    GRADIENT_SHARES,
    LOSS_QUANTITIES,
    QUANTITIES,
    UPDATE_QUANTITIES,
    Phase,
    Quantity,
    quantity,
)
from .reports import ConfigChange, DivergedQuantity, Divergence, StepReport
from .series import gradient_norms, thin, weight_path
from .sweep import SweepResult, sweep_learning_rates
from .trainer import Trainer, trained_along
from .viewport import Viewport, band_edges, bands_of, known_optimum

__all__ = [
    "ACTIVATIONS",
    "BACKWARD_COLUMNS",
    "BUILT_IN_DATASETS",
    "BUILT_IN_NAMES",
    "COLUMNS",
    "DEFAULT_PRESET",
    "FORWARD_COLUMNS",
    "GRADIENT_SHARES",
    "HISTORY_COLUMNS",
    "KEYS",
    "LOSS_QUANTITIES",
    "MAX_EPOCHS",
    "MAX_OPTIMIZER_STATE",
    "NO_HISTORY_KEYS",
    "OPTIMIZER_NAMES",
    "PRESETS",
    "QUANTITIES",
    "RESET_KEYS",
    "UPDATE_QUANTITIES",
    "VERDICT_GOOD",
    "VERDICT_SMALL",
    "VERDICT_WRONG",
    "Activation",
    "Cell",
    "CellState",
    "Checkpoint",
    "CheckpointError",
    "Config",
    "ConfigChange",
    "ConfigError",
    "DataError",
    "Dataset",
    "DivergedQuantity",
    "Divergence",
    "Equation",
    "Explanation",
    "GradientCheck",
    "History",
    "HistoryMismatch",
    "Landscape",
    "MicroCursor",
    "MicroPlan",
    "MicroStep",
    "Optimizer",
    "Phase",
    "Preset",
    "Quantity",
    "StepReport",
    "SweepResult",
    "Trace",
    "Trainer",
    "Unrolled",
    "Update",
    "Viewport",
    "band_edges",
    "bands_of",
    "check_checkpoint",
    "epoch_limit_message",
    "explain",
    "explain_divergence",
    "explain_loss",
    "explain_prediction",
    "explain_sample_sum",
    "explain_total",
    "explain_update",
    "format_value",
    "get_activation",
    "gradient_check",
    "gradient_growth",
    "gradient_norms",
    "gradient_through_time",
    "is_built_in",
    "key_allowed",
    "key_help",
    "known_optimum",
    "landscape",
    "load_dataset",
    "loss_and_grads",
    "next_update",
    "notebook_line",
    "num",
    "parse_value",
    "preset_for",
    "quantity",
    "refuse_data_files",
    "set_run_limits",
    "sweep_learning_rates",
    "thin",
    "trace",
    "trained_along",
    "weight_path",
]
