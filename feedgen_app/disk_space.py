"""A full disk said as a full disk: how much is free on the filesystem of a path, and a message that names
the path, the free space and what was needed, for a person to act on. Used by the store (its pages and
the page archive) and the publisher (the output folder)."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def free_bytes(path: Path) -> int | None:
    """Bytes free for this user on the filesystem holding `path` (or its nearest existing parent)."""
    for folder in (path, *path.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return None


def size_text(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def disk_full(path: Path, needed: int, what: str) -> str:
    """'the disk holding <what> is full: <free> free in <folder>, <needed> needed': a person's next step."""
    free = free_bytes(path.parent)
    where = f"{size_text(free)} free" if free is not None else "no space free"
    return (
        f"the disk holding {what} is full: {where} in {path.parent}, at least {size_text(needed)} needed; "
        "free some space there (or point the path elsewhere in feeds.toml)"
    )
