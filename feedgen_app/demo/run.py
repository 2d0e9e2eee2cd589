"""`feedgen-app demo`: the sample site on 127.0.0.1, a configuration of two feeds on it (one in all three
formats) in a folder of its own, and the daemon polling them and serving the index and the feeds, until
Ctrl-C. The folder is a temporary one, removed at the end, unless `--keep DIR` names where to keep it.
"""

from __future__ import annotations

import errno
import shutil
import socket
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from feedgen_app.demo.sample_site import SampleSite
from feedgen_app.errors import ConfigError
from feedgen_app.running.daemon import run_daemon
from feedgen_app.running.signals import Stopper

FEEDS = (("harbour", 'formats = ["atom", "rss", "json"]\n'), ("science", ""))


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def config_text(site_url: str, base_url: str, poll_every: float, sections: dict[str, str]) -> str:
    feeds = "".join(
        f'\n[[feeds]]\nid = "{key}"\ntitle = "The Harbour Gazette: {sections[key]}"\nsite = "auto"\n'
        f'listing = "{site_url}/{key}/"\nevery = "{poll_every:g}s"\n{extra}'
        for key, extra in FEEDS
    )
    return (
        '# Written by `feedgen-app demo`: two feeds of the bundled sample site (no profile: site = "auto").\n'
        f'title = "feedgen-app demo"\n\n[output]\ndir = "public"\nbase_url = "{base_url}"\n\n'
        '[state]\npath = "state/feedgen.sqlite"\n\n[http]\nmin_delay = 0.2\n' + feeds
    )


def run_demo(
    port: int,
    keep: str | None,
    new_story_every: float,
    poll_every: float,
    clock: Callable[[], datetime],
    stopper: Stopper,
    out: TextIO,
) -> int:
    if keep:
        folder = Path(keep)
        if (folder / "feeds.toml").exists():
            raise ConfigError(
                str(folder / "feeds.toml"), "", "already exists: --keep needs a new or empty folder"
            )
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="feedgen-demo-"))
        stopper.on_quit(lambda: shutil.rmtree(folder, ignore_errors=True))
    site = SampleSite(clock, new_story_every)
    server = site.serve()
    try:
        wanted = port
        if port == 0 or not _port_free(port):
            port = _free_port()
        site_url = f"http://127.0.0.1:{server.server_address[1]}"
        base_url = f"http://127.0.0.1:{port}/"
        config = folder / "feeds.toml"
        config.write_text(
            config_text(site_url, base_url, poll_every, {k: s.name for k, s in site.sections.items()}),
            encoding="utf-8",
        )
        coming = site.still_to_come(clock())
        out.write(
            f"feedgen-app demo: a sample news site, {site.title} (written for this demo), is on {site_url}/\n"
            f"and feedgen-app polls two of its sections every {poll_every:g} s; {coming} more stories appear "
            f"there, one every {new_story_every:g} s.\n\n"
            + (f"(port {wanted} is taken: serving on {port})\n" if wanted not in (0, port) else "")
            + f"  Open        {base_url}   every feed, its health and its newest stories\n"
            f"  Subscribe   {base_url}harbour.atom   (also .rss and .json)\n"
            f"              {base_url}science.atom\n"
            f"              in your feed reader; the first poll takes a few seconds.\n\n"
            + (
                f"  Kept in {folder} (feeds.toml, state, public/).\n"
                if keep
                else f"  Everything is in {folder}, removed when you stop (--keep DIR keeps it).\n"
            )
            + "  Ctrl-C to stop.\n\n"
        )
        out.flush()
        return run_daemon(str(config), f"127.0.0.1:{port}", clock, stopper)
    finally:
        server.shutdown()
        server.server_close()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
