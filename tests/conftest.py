"""Suite-wide settings: CI runs the property tests with a fixed derandomised
sequence so a red build is always reproducible; locally they explore freely."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
