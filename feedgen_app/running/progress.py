"""What a person sees while a build runs: a live line per feed and story on a terminal, plain log lines
(one per feed per poll, one per failure) under a scheduler or in a pipe."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

log = logging.getLogger("feedgen_app")


class Progress:
    def __init__(self, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._width = 0

    def status(self, text: str) -> None:
        """A transient line ("north-korea: story 3/11"), shown only on a terminal."""
        if not self.live:
            return
        text = text[:100]
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def clear(self) -> None:
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def debug(self, message: str, *args: object) -> None:
        if log.isEnabledFor(logging.DEBUG):
            self.clear()
            log.debug(message, *args)

    def info(self, message: str, *args: object) -> None:
        self.clear()
        log.info(message, *args)

    def warning(self, message: str, *args: object) -> None:
        self.clear()
        log.warning(message, *args)

    def error(self, message: str, *args: object) -> None:
        self.clear()
        log.error(message, *args)


def setup_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
    root = logging.getLogger("feedgen_app")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False
