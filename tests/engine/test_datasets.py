"""Datasets: the built-in ones and every way a CSV file can be refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnn_tui.engine import DataError, load_dataset
from rnn_tui.engine.datasets import MAX_CSV_BYTES


def test_builtin_datasets() -> None:
    notebook = load_dataset("notebook")
    assert notebook.x.tolist() == [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    roelants = load_dataset("roelants")
    assert roelants.x.shape == (20, 10)
    np.testing.assert_array_equal(roelants.y, roelants.x.sum(axis=1))


def test_random_counting_is_deterministic_per_seed() -> None:
    a, b, c = (
        load_dataset("random:7x5", 3),
        load_dataset("random:7x5", 3),
        load_dataset("random:7x5", 4),
    )
    assert a.x.shape == (7, 5)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    assert set(np.unique(a.x)) <= {0.0, 1.0}
    np.testing.assert_array_equal(a.y, a.x.sum(axis=1))


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "data.csv"
    path.write_text(text)
    return str(path)


def test_csv_with_header_comments_and_blank_lines(tmp_path: Path) -> None:
    data = load_dataset(write(tmp_path, "x1,x2,x3,y\n# comment\n1,0,0,1\n\n1,1,0, 2\n1,1,1,3\n"))
    assert data.x.shape == (3, 3)
    assert data.y.tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    "text,fragment",
    [
        ("1,0,1\n1,1\n", ":2: row has 2 values, earlier rows have 3"),
        ("1,0,1\n1,x,1\n", ":2: column 2 is not a number: 'x'"),
        ("1,0,1\n1,,1\n", "column 2 is not a number: 'an empty cell'"),
        ("1,nan,1\n", ":1: column 2 is nan, not a finite number"),
        ("1,0,inf\n", "column 3 is inf, not a finite number"),
        ("", "no rows of numbers"),
        ("x,y\n", "no rows of numbers"),
        ("5\n", "needs at least one input and a target"),
    ],
)
def test_csv_errors_name_the_line_and_reason(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(DataError) as caught:
        load_dataset(write(tmp_path, text))
    assert fragment in str(caught.value)


def test_csv_too_large_missing_and_binary(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"1,1\n" * (MAX_CSV_BYTES // 4 + 1))
    with pytest.raises(DataError, match="byte limit"):
        load_dataset(str(big))
    with pytest.raises(DataError, match="no such file"):
        load_dataset(str(tmp_path / "missing.csv"))
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(DataError, match="not a text file"):
        load_dataset(str(binary))
    with pytest.raises(DataError, match="no such file"):
        load_dataset(str(tmp_path))  # a directory


def test_too_long_sequences_are_refused(tmp_path: Path) -> None:
    row = ",".join(["1"] * 1002)
    with pytest.raises(DataError, match=r"sequence length must be 1\.\.1000"):
        load_dataset(write(tmp_path, row + "\n"))


def test_files_can_be_refused_for_served_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rnn_tui.engine import datasets

    path = write(tmp_path, "1,0,1\n")
    monkeypatch.setattr(datasets, "_files_refused_because", None)
    assert load_dataset(path).n == 1
    datasets.refuse_data_files("data files are turned off here")
    with pytest.raises(DataError, match="turned off here"):
        load_dataset(path)
    assert load_dataset("notebook").n == 3  # built-in data still works
