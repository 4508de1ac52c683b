"""Where the app's files go, and an SVG that needs no network.

A relative file name typed in the session dialog lands in one stated folder
(``~/rnn-tui-exports``, or ``$RNN_TUI_EXPORTS``), never silently in whatever
directory the app was started from (often the checkout). Exported SVGs are
self-contained: Rich writes @font-face rules that fetch Fira Code from a CDN,
and classrooms are often offline, so those URLs are taken out (a locally
installed Fira Code is still used, else the viewer's monospace font).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

EXPORTS_ENV = "RNN_TUI_EXPORTS"
DEFAULT_FOLDER = "~/rnn-tui-exports"

# `, url("https://…") format("woff2")` inside an @font-face src list (not the
# `url(#clip)` references to the file's own clip paths).
_FONT_URL = re.compile(r",?\s*url\([\"']?https?:[^)]*\)\s*(format\([^)]*\))?")
_RICH_COMMENT = re.compile(r"<!-- Generated with Rich [^>]*-->")


def export_folder() -> Path:
    """The folder files go to unless their path names another."""
    return Path(os.environ.get(EXPORTS_ENV) or DEFAULT_FOLDER).expanduser()


def shown_folder() -> str:
    """The folder as the dialog writes it (``~`` for the home folder)."""
    folder, home = export_folder(), Path.home()
    if folder == home or home in folder.parents:
        return str(Path("~") / folder.relative_to(home))
    return str(folder)


def resolve(typed: str) -> Path:
    """``typed`` as a path: ``~`` expanded, a relative one inside :func:`export_folder`
    (created if missing)."""
    path = Path(typed).expanduser()
    if path.is_absolute():
        return path
    folder = export_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / path


def self_contained_svg(svg: str) -> str:
    """``svg`` without any reference to a URL (fonts from a CDN, Rich's credit link)."""
    svg = _FONT_URL.sub("", svg)
    return _RICH_COMMENT.sub("<!-- Generated with Rich -->", svg)
