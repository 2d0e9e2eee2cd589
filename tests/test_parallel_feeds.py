"""Feeds are polled at once, each host still paced and capped; a hung site holds only its own feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.feeds_config import LISTING, config
from support.site_server import Response, SiteServer

from feedgen_app.cli import main
from feedgen_app.storage.lock import exclusive


def overlapped(a: SiteServer, b: SiteServer) -> bool:
    return any(x.started < y.ended and y.started < x.ended for x in a.requests for y in b.requests)


def test_feeds_on_different_hosts_are_polled_at_once(tmp_path: Path) -> None:
    with (
        SiteServer("koreaherald/current", delay=0.2) as one,
        SiteServer("koreaherald/current", delay=0.2) as two,
    ):
        path = config(tmp_path, [one.url(LISTING), two.url(LISTING)])
        assert main(["build", "--config", str(path)]) == 0
        assert overlapped(one, two), "the second site waited for the first"
        assert one.peak_in_flight <= 2 and two.peak_in_flight <= 2, "max_per_host holds per host"
        for i in (0, 1):
            assert "<entry>" in (tmp_path / "public" / f"feed-{i}.atom").read_text()


def test_two_feeds_on_one_host_share_its_limits(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current", delay=0.05) as site:
        path = config(tmp_path, [site.url(LISTING), site.url(LISTING + "?page=2")], max_per_host=1)
        assert main(["build", "--config", str(path)]) == 0
        assert site.peak_in_flight == 1, "two feeds at once still ask one host one request at a time"


def test_a_hung_site_holds_only_its_own_feed(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current") as good, SiteServer() as hung:
        hung.route(LISTING, lambda _r: Response(200, b"<html>", {"Content-Type": "text/html"}, delay=30))
        path = config(tmp_path, [hung.url(LISTING), good.url(LISTING)], read_timeout=1, retries=0, deadline=5)
        assert main(["build", "--config", str(path)]) == 1
        status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]
        assert status["feed-0"]["held"] is True and "timeout" in status["feed-0"]["last_error"]
        assert status["feed-1"]["held"] is False
        assert "<entry>" in (tmp_path / "public" / "feed-1.atom").read_text()


def test_debug_log_shows_each_request_and_each_fields_source(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with SiteServer("koreaherald/current") as site:
        path = config(tmp_path, [site.url(LISTING)])
        assert main(["--log-level", "DEBUG", "build", "--config", str(path)]) == 0
    log = capfd.readouterr().err
    assert f"GET {site.url(LISTING)} -> 200" in log
    assert "title from profile:" in log and "body from profile:" in log
    assert main(["build", "--config", str(path)]) == 1  # the site is gone: held, not a crash
    assert "GET " not in capfd.readouterr().err, "INFO shows no request lines"


def test_a_second_build_on_the_same_state_stops_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SiteServer("koreaherald/current") as site:
        path = config(tmp_path, [site.url(LISTING)])
        with exclusive(tmp_path / "state" / "s.sqlite"):  # a build or daemon already running
            assert main(["build", "--config", str(path)]) == 3, "busy: nothing was done (not a failure)"
            err = capsys.readouterr().err
            assert "another feedgen-app (pid " in err and "is using this state store" in err
            assert site.count() == 0, "nothing asked of the site"
        assert main(["build", "--config", str(path)]) == 0
