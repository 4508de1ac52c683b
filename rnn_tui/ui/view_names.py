"""The names of the views beside the table; no Textual import, so the run
controller and the commands can check a view name without the widgets."""

from __future__ import annotations

HOME_VIEW = "charts"
TEACHING_VIEWS = ("explain", "landscape", "gradients", "gradcheck", "lessons")
VIEWS = (HOME_VIEW, *TEACHING_VIEWS)
# Views that need the whole body on a short terminal (the table steps aside).
BIG_VIEWS = frozenset({"landscape", "gradients", "gradcheck", "lessons"})
