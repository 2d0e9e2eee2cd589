"""What a failed fetch says: the cause in a few words, an error that is not worth retrying, and
Retry-After read as seconds. Pure."""

from __future__ import annotations

import email.utils
import re

from feedgen_app.errors import FetchError, FetchKind


def retry_after_seconds(value: str | None, now_epoch: float) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now_epoch)


def final_error(url: str, cause: str, kind: FetchKind) -> FetchError:
    return FetchError(url, cause, final=True, kind=kind)


def short_cause(exc: Exception) -> str:
    text = str(exc)
    m = re.search(
        r"\[Errno -?\d+\] ([^'\")\]]+)|(Connection refused|Name or service not known|timed out)", text
    )
    if m:
        return (m.group(1) or m.group(2)).strip()
    return text[:200]
