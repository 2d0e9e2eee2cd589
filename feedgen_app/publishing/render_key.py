"""Whether a feed's files would come out as they are: a key over everything rendering reads. Rendering is
deterministic (same stories in, same bytes out), so the same key means the same bytes, and a poll that
changed nothing the feed shows need not render it again.

The key covers the stored rows the feed shows (their digest, from the store), the feed's whole
configuration, the published folder and base URL, the WebSub hub, and this feedgen-app's code: an upgrade,
or a developer's edit of a renderer, renders every feed again."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from feedgen_app import __version__
from feedgen_app.config import Config, FeedConfig

PACKAGE = Path(__file__).resolve().parent.parent


@cache
def code_fingerprint() -> str:
    """This feedgen-app: its version and the bytes of its source files (read once a process)."""
    digest = hashlib.sha256(__version__.encode())
    try:
        for path in sorted(PACKAGE.rglob("*.py")):
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    except OSError:  # unreadable sources: the version alone, and every feed rendered each poll
        return ""
    return digest.hexdigest()


def render_key(feed: FeedConfig, config: Config, rows_digest: str) -> str | None:
    """None when the code cannot be fingerprinted: then nothing is taken as unchanged."""
    code = code_fingerprint()
    if not code:
        return None
    parts = (code, repr(feed), str(config.output_dir), config.base_url, config.websub_hub or "")
    digest = hashlib.sha256(rows_digest.encode())
    for part in parts:
        digest.update(b"\x1e" + part.encode())
    return digest.hexdigest()
