"""The join link and its QR code, as the projector shows them."""

import io
from functools import lru_cache
from urllib.parse import urlencode

import segno


def join_url(base: str, code: str) -> str:
    """The address a team laptop opens: the join page with the workshop code filled in."""
    return f"{base.rstrip('/')}/?{urlencode({'code': code})}"


def team_url(base: str, slug: str, code: str) -> str:
    """A team's page directly, code included."""
    return f"{base.rstrip('/')}/team?{urlencode({'team': slug, 'code': code})}"


@lru_cache(maxsize=16)
def qr_png(url: str, scale: int = 8) -> bytes:
    """A QR code for the URL as PNG bytes (made locally, no network; kept, as the projector redraws often)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
