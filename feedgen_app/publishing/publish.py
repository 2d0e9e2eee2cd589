"""Publishing: a folder and {file name: bytes} in; files replaced atomically, and only when changed.

A file is written to a temporary name in the same folder, flushed to disk, then renamed over the old
one, so a reader (or a web server) never sees half a feed, and a full disk leaves the old file intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from feedgen_app.disk_space import FULL_ERRNOS, disk_full
from feedgen_app.errors import PublishError


def write_if_changed(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` atomically; False (and no write at all) when it already holds them."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise PublishError(f"{path}: not written, the current file cannot be read: {exc.strerror}") from None
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        kept = "the previous version is kept" if path.exists() else "there is no previous version"
        why = (
            disk_full(path, len(data), "the output folder")
            if exc.errno in FULL_ERRNOS
            else exc.strerror or exc
        )
        raise PublishError(f"{path}: not written ({kept}): {why}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return True


def publish(folder: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write every changed file; returns the names written."""
    return [name for name, data in sorted(files.items()) if write_if_changed(folder / name, data)]
