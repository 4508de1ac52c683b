"""Training data: sequences ``x`` of shape ``(N, T)`` and targets ``y`` of shape ``(N,)``.

A dataset is named by a short spec, the ``data=`` value of a config string:

* ``notebook`` -- the notebook's three sequences 100, 110, 111 with targets 1, 2, 3;
* ``roelants`` -- Roelants' 20 binary sequences of length 10 (legacy seed 1),
  target = number of ones;
* ``random:NxT`` -- N random binary sequences of length T (the config's ``seed``),
  target = number of ones;
* anything else is a CSV path: one sequence per row, the target last.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from . import limits

Array = NDArray[np.float64]

MAX_CSV_BYTES = 10 * 1024 * 1024
MAX_SAMPLES = 100_000
MAX_STEPS = 1_000
MAX_CELLS = 2_000_000  # N * T


RANDOM_PREFIX = "random:"
BUILT_IN_DATASETS: tuple[str, ...] = ("notebook", "roelants", f"{RANDOM_PREFIX}NxT")
"""The data every session has, as a student writes it; any other ``data=`` is a CSV path."""
BUILT_IN_NAMES = f"{', '.join(BUILT_IN_DATASETS[:-1])} or {BUILT_IN_DATASETS[-1]}"
"""The built-in names in a sentence: ``notebook, roelants or random:NxT``."""


def is_built_in(spec: str) -> bool:
    """True for the built-in datasets, False for a CSV path."""
    return spec in BUILT_IN_DATASETS[:-1] or spec.startswith(RANDOM_PREFIX)


class DataError(ValueError):
    """A dataset spec or file that cannot be used; the message says why."""


# Served sessions (SSH, browser) must not read the teacher's files: a path typed
# into `data=` would name a file on the server, and a parse error quotes it.
_files_refused_because: str | None = None


def refuse_data_files(reason: str) -> None:
    """From now on, every CSV path is refused with ``reason`` (process-wide)."""
    global _files_refused_because
    _files_refused_because = reason


class SequenceShape:
    """``n`` sequences of ``t`` timesteps, read off an ``x`` of shape (N, T)."""

    x: Array

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def t(self) -> int:
        return int(self.x.shape[1])


@dataclass(frozen=True)
class Dataset(SequenceShape):
    spec: str
    x: Array
    y: Array
    description: str


def notebook() -> Dataset:
    x = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    y = np.array([1.0, 2.0, 3.0])
    return Dataset("notebook", x, y, "the notebook's 3 sequences 100, 110, 111 → 1, 2, 3")


def roelants() -> Dataset:
    # Roelants' tutorial: np.random.seed(1); each row np.around(np.random.rand(10)).
    rng = np.random.RandomState(1)
    x = np.zeros((20, 10))
    for row in range(20):
        x[row, :] = np.around(rng.rand(10))
    return Dataset("roelants", x, x.sum(axis=1), "Roelants' 20 binary sequences of length 10")


def random_counting(n: int, t: int, seed: int) -> Dataset:
    _check_size(n, t)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, t)).astype(np.float64)
    return Dataset(
        f"random:{n}x{t}",
        x,
        x.sum(axis=1),
        f"{n} random binary sequences of length {t} (seed {seed}); target = number of ones",
    )


def _check_size(n: int, t: int) -> None:
    if not 1 <= n <= MAX_SAMPLES:
        raise DataError(f"number of sequences must be 1..{MAX_SAMPLES}, got {n}")
    if not 1 <= t <= MAX_STEPS:
        raise DataError(f"sequence length must be 1..{MAX_STEPS}, got {t}")
    if n * t > MAX_CELLS:
        raise DataError(f"N×T must be at most {MAX_CELLS:,}, got {n}×{t} = {n * t:,}")


def parse_random_spec(spec: str) -> tuple[int, int]:
    """``random:NxT`` -> (N, T)."""
    body = spec.split(":", 1)[1]
    parts = body.lower().split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise DataError(f"random data is written random:NxT, e.g. random:20x10; got {spec!r}")
    n, t = (int(p) for p in parts)
    _check_size(n, t)
    return n, t


def load_csv(path: str | os.PathLike[str]) -> Dataset:
    """Read one sequence per row with the target in the last column."""
    file = Path(path)
    try:
        if not file.is_file():
            raise DataError(f"{file}: no such file")
        size = file.stat().st_size
    except OSError as exc:  # e.g. a name over 255 characters
        raise DataError(f"{_shortened(str(file))}: cannot be read ({exc.strerror})") from None
    if size > MAX_CSV_BYTES:
        raise DataError(f"{file}: {size:,} bytes is over the {MAX_CSV_BYTES:,}-byte limit")
    try:
        text = file.read_text(encoding="utf-8-sig")  # a spreadsheet's byte-order mark is no data
    except UnicodeDecodeError:
        raise DataError(f"{file}: not a text file (not UTF-8)") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot be read ({exc.strerror})") from None
    rows: list[list[float]] = []
    width = 0
    first_line = True
    for line_no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        cells = [c.strip() for c in stripped.split(",")]
        if first_line and not _is_number(cells[0]):
            first_line = False
            continue  # a header row such as x1,x2,x3,y
        first_line = False
        values = [_parse_cell(file, line_no, col, cell) for col, cell in enumerate(cells, 1)]
        if len(values) < 2:
            raise DataError(
                f"{file}:{line_no}: a row needs at least one input and a target, got 1 value"
            )
        if width and len(values) != width:
            raise DataError(
                f"{file}:{line_no}: row has {len(values)} values, earlier rows have {width}"
            )
        width = len(values)
        rows.append(values)
        if len(rows) > MAX_SAMPLES:
            raise DataError(f"{file}: more than {MAX_SAMPLES:,} rows")
    if not rows:
        raise DataError(f"{file}: no rows of numbers (expected x_1,...,x_T,target per line)")
    table = np.array(rows)
    x, y = table[:, :-1], table[:, -1]
    _check_size(*x.shape)
    return Dataset(str(path), x, y, f"{file.name}: {x.shape[0]} sequences of length {x.shape[1]}")


def _shortened(name: str, limit: int = 80) -> str:
    return name if len(name) <= limit else f"{name[: limit - 1]}…"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _parse_cell(file: Path, line_no: int, col: int, cell: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        shown = cell if cell else "an empty cell"
        raise DataError(f"{file}:{line_no}: column {col} is not a number: {shown!r}") from None
    if not math.isfinite(value):
        raise DataError(f"{file}:{line_no}: column {col} is {cell}, not a finite number")
    return value


def load(spec: str, seed: int = 0) -> Dataset:
    """The dataset a ``data=`` spec names."""
    if spec == "notebook":
        return notebook()
    if spec == "roelants":
        return roelants()
    if spec.startswith(RANDOM_PREFIX):
        n, t = parse_random_spec(spec)
        if (beyond := limits.cells_refusal(n, t)) is not None:  # a served app's bound
            raise DataError(beyond)
        return random_counting(n, t, seed)
    if _files_refused_because is not None:
        raise DataError(_files_refused_because)
    dataset = load_csv(spec)
    if (beyond := limits.cells_refusal(dataset.n, dataset.t)) is not None:
        raise DataError(beyond)
    return dataset
