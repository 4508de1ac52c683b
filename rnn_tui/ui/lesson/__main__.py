"""``python -m rnn_tui.ui.lesson --markdown``: print docs/lesson.md."""

from __future__ import annotations

import argparse

from .guide import lesson
from .markdown import lesson_markdown


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rnn_tui.ui.lesson", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the lesson as Markdown")
    parser.parse_args(argv)
    print(lesson_markdown(lesson()), end="")


if __name__ == "__main__":
    main()
