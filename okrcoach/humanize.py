"""Times and numbers said the way people say and write them."""

from decimal import Decimal


def ago(then: float, now: float) -> str:
    """'just now', '2 min ago', '3 h ago'."""
    seconds = max(0, now - then)
    if seconds < 45:
        return "just now"
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min ago"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h ago"
    return f"{round(seconds / 86400)} days ago"


def figure(value: float | None, missing: str = "", *, grouped: bool = False) -> str:
    """A number as people write it, up to six decimals: 22, 1.8, 1234567 (1,234,567 grouped); missing if None."""
    if value is None:
        return missing
    return f"{value:{',' if grouped else ''}.6f}".rstrip("0").rstrip(".")


def exact(value: float | None) -> str:
    """Every digit of a stored number, never an exponent: 1234567, 0.1, 0.0000001; '' if None."""
    if value is None:
        return ""
    # repr is the shortest text that reads back as the same float: what the person typed, digit for digit.
    written = format(Decimal(repr(float(value))), "f")
    written = written.rstrip("0").rstrip(".") if "." in written else written
    return "0" if written == "-0" else written
