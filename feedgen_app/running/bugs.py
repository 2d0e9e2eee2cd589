"""The last net under a stage: an unexpected exception becomes a named BugError, logged with its traceback."""

from __future__ import annotations

import logging

from feedgen_app.errors import BugError

log = logging.getLogger("feedgen_app.running.poll")


def report_bug(stage: str, url: str, exc: Exception) -> BugError:
    """The last net: a stage's unexpected exception, logged as a bug with its page and traceback."""
    bug = BugError(stage, url, exc)
    log.error("bug: %s", bug, exc_info=exc)
    return bug
