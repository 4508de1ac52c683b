"""Suite-wide settings: CI runs the property tests with a fixed derandomised
sequence so a red build is always reproducible; locally they explore freely."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked slow first: pytest-xdist hands tests out in this order, so a long
    one starts early on some worker instead of running alone after all the others."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
