"""Times said the way people say them."""


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
