"""`feedgen-app demo` started as a newcomer starts it, on a free port of 127.0.0.1, with its output piped."""

from __future__ import annotations

import subprocess
import sys

from support.real_servers import free_port


def start_demo(*options: str) -> subprocess.Popen[str]:
    """The demo with these options (`--keep DIR`, `--poll-every 2`…), its stdout and stderr piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", "demo", "--port", str(free_port()), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
