"""Surviving a redesign: a layout the profile has never seen, a site with no profile, a profile fixed in
feeds.toml, and `check --live` telling a user which fields still match."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import gold, write_config
from support.scoring import html_text, leaks, token_f1
from support.site_server import Response, SiteServer

from feedgen_app.cli import main

LISTING = "/National/North-Korea"
FIX_PROFILE = """
[sites.koreaherald.listing]
items = ["ol.feed-cards li.card a.card-link"]

[sites.koreaherald.article]
title = ["div.headline-block h1.hl-text"]
authors = ["div.meta-row .author-chip"]
published = ["div.meta-row .stamp"]
body = ["div.story__body"]
"""


@pytest.fixture
def redesign() -> Iterator[SiteServer]:
    with SiteServer("redesign") as server:
        yield server


def entries_match_gold(atom: Path, server: SiteServer, zone_known: bool = True) -> None:
    expected = gold("redesign")
    parsed: Any = feedparser.parse(atom.read_bytes())
    assert not parsed.bozo
    assert len(parsed.entries) == len(expected["entries"])
    by_link = {e.link: e for e in parsed.entries}
    for want in expected["entries"]:
        entry = by_link[server.url(want["path"])]
        assert entry.title == want["title"]
        assert ", ".join(a.name for a in entry.authors) == want["author"]
        if zone_known:
            assert entry.published == want["published"] and entry.updated == want["updated"]
        else:  # the page gives no zone and nothing says which: the wall-clock time is kept, read as UTC
            assert entry.published == want["published"].replace("+09:00", "+00:00")
        text = html_text(entry.content[0].value)
        assert token_f1(text, want["text"]) >= 0.97, (want["path"], text)
        assert not leaks(text, expected["boilerplate"])
        assert (want["image"] or "") in entry.content[0].value


def test_unknown_layout_still_gives_a_right_feed_and_says_so(
    tmp_path: Path, redesign: SiteServer, capfd: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    assert main(["build", "--config", str(config)]) == 1, "published, but flagged"
    entries_match_gold(tmp_path / "public" / "north-korea.atom", redesign)
    status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
    assert status["profile_matches"] is False and status["held"] is False
    assert {"title", "published", "body"} <= set(status["fields_from_fallbacks"])
    assert "koreaherald profile no longer matches" in status["last_error"]
    assert status["state"] == "needs attention", "published from the fallbacks: not failing"
    assert status["consecutive_failures"] == 0 and status["last_success"] == status["last_attempt"], (
        "a poll that published is a success, whatever needs attention"
    )
    log = capfd.readouterr().err
    assert "WARNING north-korea" in log and "no longer matches: listing, body, published, title" in log
    assert main(["status", "--config", str(config)]) == 1
    assert "NEEDS ATTENTION" in capfd.readouterr().out
    assert not any(p.startswith("/article/10890200") for p in redesign.paths()), "ticker links not followed"

    # the next build: the listing answers 304, nothing is re-checked, so nothing has been mended either
    assert main(["build", "--config", str(config)]) == 1
    assert "as last found; listing unchanged" in capfd.readouterr().err
    status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
    assert status["state"] == "needs attention" and status["profile_matches"] is False
    assert main(["status", "--config", str(config)]) == 1
    assert "NEEDS ATTENTION" in capfd.readouterr().out


def test_a_site_with_no_profile_works_from_its_listing(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    config.write_text(config.read_text().replace('site = "koreaherald"', 'site = "auto"'))
    assert main(["build", "--config", str(config)]) == 0
    atom = (tmp_path / "public" / "north-korea.atom").read_text()
    entries_match_gold(tmp_path / "public" / "north-korea.atom", redesign, zone_known=False)
    assert "<id>tag:127.0.0.1,2026:/article/10890104</id>" in atom


def test_a_new_site_in_three_lines_of_feeds_toml(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    text = config.read_text().replace('site = "koreaherald"', 'site = "herald2027"')
    config.write_text(text + '\n[sites.herald2027]\ntimezone = "Asia/Seoul"\n')
    assert main(["build", "--config", str(config)]) == 0
    entries_match_gold(tmp_path / "public" / "north-korea.atom", redesign)


def test_a_profile_fixed_in_feeds_toml(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING), extra_top="")
    config.write_text(config.read_text() + FIX_PROFILE)
    assert main(["build", "--config", str(config)]) == 0
    entries_match_gold(tmp_path / "public" / "north-korea.atom", redesign)
    status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
    assert status["profile_matches"] is True and status["fields_from_fallbacks"] == []


def test_a_custom_site_extending_a_built_in_one(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    text = config.read_text().replace('site = "koreaherald"', 'site = "kh2027"')
    text += (
        FIX_PROFILE.replace("sites.koreaherald.", "sites.kh2027.")
        + '\n[sites.kh2027]\nextends = "koreaherald"\n'
    )
    config.write_text(text)
    assert main(["build", "--config", str(config)]) == 0
    assert (
        "tag:koreaherald.com,2026:/article/10890104" in (tmp_path / "public" / "north-korea.atom").read_text()
    )


def test_check_live_reports_field_by_field(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING))
    test_urls = [current_site.url("/National/North-Korea?page=2"), current_site.url("/article/10868420")]
    config.write_text(config.read_text() + f"\n[sites.koreaherald]\ntest_urls = {json.dumps(test_urls)}\n")
    assert main(["check", "--config", str(config), "--live", "--stories", "2"]) == 0
    assert (
        "a mirror: the profile's built-in test URLs on its own site are not tried" in capsys.readouterr().out
    )
    config.write_text(config.read_text() + 'allowed_hosts = ["127.0.0.1"]\n')  # now the profile's own site
    assert main(["check", "--config", str(config), "--live", "--stories", "2"]) == 0
    out = capsys.readouterr().out
    assert "listing    OK" in out and "verdict    OK" in out
    assert "selector: section.section_view h1.news_title" in out
    assert f"test url   OK    {test_urls[0]}: 3 stories" in out, "a listing among the profile's test_urls"
    assert "story " + test_urls[1] in out, "a story among the profile's test_urls"
    half = (
        config.read_text()
        + '\n[sites.koreaherald.article]\ntitle = ["h1.was-renamed"]\nbody = ["div.gone"]\n'
    ).replace("test_urls = [", "test_urls = [] # [")
    config.write_text(half)
    assert main(["check", "--config", str(config), "--live", "--stories", "1"]) == 1
    out = capsys.readouterr().out
    assert "NEEDS ATTENTION" in out
    assert "title (from json-ld)" in out and "body (from generic)" in out
    assert "authors    profile" in out, "the fields that still match say so"
    assert "0 of 1 match their profile" in out and "profile stopped matching: the site's pages changed" in out


def test_check_live_tells_network_and_site_trouble_from_the_profile(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on: that server is not running, the network is fine
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        dead = f"http://127.0.0.1:{port}{LISTING}"
    config = write_config(tmp_path, dead, retries=0)
    assert main(["check", "--config", str(config), "--live"]) == 1
    out = capsys.readouterr().out
    assert f"nothing answered at http://127.0.0.1:{port}: is the server running there" in out
    assert "the network looks down" not in out and "profile stopped matching" not in out
    # two sites out there, both silent (addresses that resolve nowhere): that is the network
    two = write_config(tmp_path, "http://unreachable-one.invalid/a", retries=0)
    two.write_text(
        two.read_text()
        + '\n[[feeds]]\nid = "b"\ntitle = "B"\nsite = "auto"\nlisting = "http://unreachable-two.invalid/b"\n'
    )
    assert main(["check", "--config", str(two), "--live"]) == 1
    assert "no site could be reached (2 of 2 sites): the network looks down" in capsys.readouterr().out

    current_site.route("/National/Blocked", lambda r: Response(403, b"<h1>Access denied</h1>"))
    config = write_config(tmp_path, current_site.url("/National/Blocked"), retries=0)
    assert main(["check", "--config", str(config), "--live"]) == 1
    out = capsys.readouterr().out
    assert "listing    BLOCKED" in out and "HTTP 403" in out
    assert "1 of 1 match their profile" in out and "blocked: the site is refusing feedgen-app" in out


def test_check_live_on_a_dead_listing(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url("/National/NoSuchSection"), retries=0)
    config.write_text(config.read_text() + "\n[sites.koreaherald]\ntest_urls = []\n")
    assert main(["check", "--config", str(config), "--live"]) == 1
    assert "HTTP 404" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("table", "key", "problem"),
    [
        ("[sites.x.article]\nheadline = ['h1']\n", "sites.x.article.headline", "unknown key"),
        ("[sites.x]\nextends = 'nosuch'\n", "sites.x.extends", "no built-in profile"),
        ("[sites.x.listing]\nitems = 'a['\n", "sites.x.listing.items[0]", "does not compile"),
        ("[sites.x]\nstory_urls = [1]\n", "sites.x.story_urls", "list of strings"),
        (
            "[sites.koreaherald.article]\ntitle = ['h1 @bad attr']\n",
            "sites.koreaherald.article.title[0]",
            "attribute",
        ),
    ],
)
def test_bad_custom_profiles(
    tmp_path: Path, table: str, key: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, "https://www.koreaherald.com/National")
    config.write_text(config.read_text() + table)
    assert main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert str(config) in err and key in err and problem in err
