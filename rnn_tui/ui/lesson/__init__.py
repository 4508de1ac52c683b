"""The 45-minute lesson as data: sections and steps, with the numbers the engine computes.

One source for the guide in the app's lessons view, for ``docs/lesson.md`` and for the
test that walks the lesson in a real app. No Textual import here.
"""

from .guide import PLACES, Lesson, Section, Sight, Step, lesson

__all__ = ["PLACES", "Lesson", "Section", "Sight", "Step", "lesson"]
