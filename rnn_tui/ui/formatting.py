"""How numbers look on screen: aligned, signed, exponent notation when large or tiny.

Pure functions with no Textual import, so they are easy to test and the table,
the status line and the charts all print numbers the same way.
"""

from __future__ import annotations

import math

# Smallest width that still fits a signed number in exponent notation: "+1.2e-5".
MIN_WIDTH = 7

_most_digits: int | None = None  # see set_significant_digits


def set_significant_digits(digits: int | None) -> None:
    """Show at most ``digits`` significant digits in :func:`fmt` (None: as many as fit).

    One setting per process (projector mode): one app draws in a process, and every
    table reads its numbers through :func:`fmt`.
    """
    global _most_digits
    _most_digits = digits


def fmt(value: float, width: int = 10) -> str:
    """``value`` in at most ``width`` characters, always signed, right-aligned.

    Fixed-point while that keeps at least four significant digits inside the
    width, otherwise exponent notation with a short exponent ("+1.234e-5").
    """
    width = max(width, MIN_WIDTH)
    if math.isnan(value):
        return "nan".rjust(width)
    if math.isinf(value):
        return ("+inf" if value > 0 else "-inf").rjust(width)
    if value == 0:
        return "0".rjust(width)
    decade = math.floor(math.log10(abs(value)))  # 1234 -> 3, 0.012 -> -2
    integer_digits = max(1, decade + 1)
    decimals = width - 2 - integer_digits  # room left after the sign and the point
    significant = integer_digits + decimals if decade >= 0 else decimals + decade + 1
    if _most_digits is not None and significant > _most_digits:
        decimals = max(0, decimals - (significant - _most_digits))
        significant = min(significant, max(_most_digits, integer_digits))
    if decimals >= 0 and significant >= 4:
        text = f"{value:+.{decimals}f}"
        if len(text) <= width:
            return text.rjust(width)
    return _exponent(value, width).rjust(width)


def _exponent(value: float, width: int) -> str:
    """Exponent notation without Python's padded exponent: +1.23e-5, not +1.23e-05."""
    most = width if _most_digits is None else min(width, _most_digits - 1)
    # No mantissa with more digits than this fits: sign, digit, point, "e", the exponent
    # (rounding may raise the exponent by one, which may be one character shorter).
    decade = math.floor(math.log10(abs(value))) if math.isfinite(value) and value else 0
    shortest = min(len(str(decade)), len(str(decade + 1)))
    most = max(0, min(most, width - 4 - shortest))
    for digits in range(most, -1, -1):
        mantissa, exponent = f"{value:+.{digits}e}".split("e")
        text = f"{mantissa.rstrip('.')}e{int(exponent)}"
        if len(text) <= width:
            return text
    return text


def fmt_short(value: float, digits: int = 6, width: int | None = None) -> str:
    """A compact unsigned-unless-negative number for the status line: ``0.213412``.
    With ``width``, digits are dropped until it fits (a diverged run's
    ``-2.65712e+201`` needs 13 characters where 0.213412 needs 8)."""
    if not math.isfinite(value):
        return str(value)
    if _most_digits is not None:
        digits = min(digits, _most_digits)
    text = _short(value, digits)
    while width is not None and len(text) > width and digits > 1:
        digits -= 1
        text = _short(value, digits)
    return text


def _short(value: float, digits: int) -> str:
    return f"{value:.{digits}g}".replace("e-0", "e-").replace("e+0", "e+")


def fmt_count(value: int) -> str:
    """Epoch counts with thin grouping so 50000 reads as 50 000."""
    return f"{value:,}".replace(",", " ")


def fmt_rate(per_second: float) -> str:
    """A rate to two significant digits when slow ("1.9"), grouped when fast ("1 500")."""
    if per_second >= 10:
        return fmt_count(round(per_second))
    return f"{per_second:.2g}"


# -- gradient magnitude -------------------------------------------------------------

# Decades below the largest value in the column: at or above each bound a cell
# gets that level (3 = the largest, 0 = tiny or exactly zero).
LEVEL_BOUNDS = (1e-1, 1e-2, 1e-4)
LEVEL_GLYPHS = ("▁", "▃", "▆", "█")  # read without colour: taller is larger
LEVEL_STYLES = ("dim", "", "yellow", "bold red")


def magnitude_level(value: float, largest: float) -> int:
    """0..3: how large ``|value|`` is compared with ``largest`` (a column's max)."""
    if not math.isfinite(value):
        return 3
    if value == 0 or largest <= 0 or not math.isfinite(largest):
        return 0
    ratio = abs(value) / largest
    for level, bound in zip((3, 2, 1), LEVEL_BOUNDS, strict=True):
        if ratio >= bound:
            return level
    return 0
