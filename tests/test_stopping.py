"""Ctrl-C and SIGTERM, as a person or a service manager sends them to the real command: a build stops
within 2 seconds with the requests in flight abandoned, keeps what finished, says what was done and what
was not, and exits 130 or 143; a second signal ends it at once; never a traceback. The same for `extract`,
`discover` and `check --live` on URLs, `reextract` and the daemon (which exits 0: stopping is its normal
end)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.feeds_config import LISTING, config
from support.site_server import SiteServer

SLOW = 30.0  # seconds every answer of the slow site takes: far longer than any stop may


@pytest.fixture
def sites() -> Iterator[tuple[SiteServer, SiteServer]]:
    with (
        SiteServer("koreaherald/current") as fast,
        SiteServer("koreaherald/current", delay=SLOW, host="127.0.0.2") as slow,
    ):
        yield fast, slow


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "condition not met in time"
        time.sleep(0.05)


def stop(proc: subprocess.Popen[str], signum: int = signal.SIGINT) -> tuple[float, int, str, str]:
    """Send `signum`; seconds until the process ended, its exit code, stdout and stderr."""
    sent = time.monotonic()
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=30)
    return time.monotonic() - sent, proc.returncode, out, err


def five_feeds(tmp_path: Path, fast: SiteServer, slow: SiteServer) -> Path:
    """Three feeds on the fast site, two on the slow one."""
    listings = [fast.url(LISTING)] * 3 + [slow.url(LISTING)] * 2
    return config(tmp_path, listings, deadline=600, read_timeout=120)


def test_ctrl_c_stops_a_build_keeping_what_finished(
    tmp_path: Path, sites: tuple[SiteServer, SiteServer]
) -> None:
    fast, slow = sites
    cfg = five_feeds(tmp_path, fast, slow)
    proc = start("build", "--config", str(cfg))
    public = tmp_path / "public"
    wait_for(lambda: all((public / f"feed-{i}.atom").exists() for i in range(3)) and slow.count() > 0)
    time.sleep(0.5)
    took, code, _, err = stop(proc)
    assert took < 2.0, err
    assert code == 130
    assert "stopped: 3 of 5 feeds polled; run again to finish" in err
    assert "Traceback" not in err and "internal error" not in err and "closed database" not in err
    status = json.loads((public / "status.json").read_text())["feeds"]
    assert [status[f"feed-{i}"]["state"] for i in range(3)] == ["healthy"] * 3
    assert all(
        status[f"feed-{i}"]["state"] != "healthy" and not (public / f"feed-{i}.atom").exists() for i in (3, 4)
    )
    assert not list(public.glob(".*.tmp")), "no half-written file"

    slow.delay = 0
    again = start("build", "--config", str(cfg))
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    status = json.loads((public / "status.json").read_text())["feeds"]
    assert all(status[f"feed-{i}"]["state"] == "healthy" for i in range(5))


def test_sigterm_stops_a_build_with_143(tmp_path: Path, sites: tuple[SiteServer, SiteServer]) -> None:
    fast, slow = sites
    proc = start("build", "--config", str(five_feeds(tmp_path, fast, slow)))
    wait_for(lambda: slow.count() > 0)
    took, code, _, err = stop(proc, signal.SIGTERM)
    assert took < 2.0 and code == 143, err
    assert "stopped:" in err and "of 5 feeds polled" in err and "Traceback" not in err


def test_a_second_ctrl_c_ends_at_once(tmp_path: Path, sites: tuple[SiteServer, SiteServer]) -> None:
    fast, slow = sites
    proc = start("build", "--config", str(five_feeds(tmp_path, fast, slow)))
    wait_for(lambda: slow.count() > 0)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.01)
    took, code, _, err = stop(proc)
    assert took < 1.0, err
    # the first stop may already have ended the build, leaving Python's own exit to take the second
    assert (code == 130 and "quit at once" in err) or code == -signal.SIGINT, err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["extract", "discover"])
def test_ctrl_c_stops_reading_urls(command: str, sites: tuple[SiteServer, SiteServer]) -> None:
    _, slow = sites
    proc = start(command, slow.url(LISTING), slow.url(LISTING + "?page=2"))
    wait_for(lambda: slow.count() > 0)
    took, code, _, err = stop(proc)
    assert took < 2.0 and code == 130, err
    assert "stopped: 0 of 2 inputs read; run again to finish" in err and "Traceback" not in err


def test_ctrl_c_stops_check_live(tmp_path: Path, sites: tuple[SiteServer, SiteServer]) -> None:
    fast, slow = sites
    proc = start("check", "--live", "--config", str(five_feeds(tmp_path, fast, slow)))
    wait_for(lambda: slow.count() > 0)
    took, code, out, err = stop(proc)
    assert took < 2.0 and code == 130, err
    assert "stopped: the feeds above were checked" in err and "Traceback" not in err
    assert "the network looks down" not in out


def test_the_daemon_stops_within_two_seconds_with_polls_in_flight(
    tmp_path: Path, sites: tuple[SiteServer, SiteServer]
) -> None:
    fast, slow = sites
    proc = start("run", "--config", str(five_feeds(tmp_path, fast, slow)))
    wait_for(lambda: (tmp_path / "public" / "feed-0.atom").exists() and slow.count() > 0)
    took, code, _, err = stop(proc, signal.SIGTERM)
    assert took < 2.0 and code == 0, err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", ["status", "extract"])
def test_a_reader_that_goes_away_is_not_an_error(tmp_path: Path, command: str) -> None:
    """`feedgen-app status | head -1`: the pipe's reader has what it wanted and closed it."""
    (tmp_path / "feeds.toml").write_text(
        '[output]\ndir = "public"\nbase_url = "https://example.test/"\n[state]\npath = "s.sqlite"\n'
        + "".join(
            f'[[feeds]]\nid = "f{i}"\ntitle = "F {i}"\nsite = "koreaherald"\nlisting = "http://127.0.0.1:9/"\n'
            for i in range(300)
        )
    )
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>A story</title></head><body>"
        + "<p>Some words of the story here.</p>" * 3000
        + "</body></html>"
    )
    args = (
        ["status", "--config", str(tmp_path / "feeds.toml")]
        if command == "status"
        else ["extract", str(page)]
    )
    reader, writer = os.pipe()
    os.close(reader)  # closed before the command starts: every write it makes meets a closed pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", *args], stdout=writer, stderr=subprocess.PIPE, text=True
    )
    os.close(writer)
    err = proc.stderr.read() if proc.stderr else ""
    proc.wait(60)
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err
    assert proc.returncode == 141
