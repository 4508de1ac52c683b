"""The built-in dataset names are defined once and every message reads them."""

from __future__ import annotations

import pytest

from rnn_tui.engine import load_dataset
from rnn_tui.engine.config import key_allowed, key_help
from rnn_tui.engine.datasets import BUILT_IN_DATASETS, BUILT_IN_NAMES, is_built_in


def test_every_built_in_name_loads_and_is_told_apart_from_a_path() -> None:
    assert BUILT_IN_NAMES == "notebook, roelants or random:NxT"
    for spec in ("notebook", "roelants", "random:4x3"):
        assert is_built_in(spec)
        assert load_dataset(spec).spec == spec
    assert not is_built_in("data/notebook.csv")
    assert not is_built_in("random")


@pytest.mark.parametrize("text", [key_help("data"), key_allowed("data")])
def test_the_config_help_names_them(text: str) -> None:
    assert all(name in text for name in BUILT_IN_DATASETS)
