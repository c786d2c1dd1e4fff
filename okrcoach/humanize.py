"""Times and numbers said the way people say and write them."""


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
