"""`feedgen-app discover` on saved listing pages (.html, .html.gz) and live URLs from a local server: the
stories in order with the list each came from and why, the links left out with why, and the exit codes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from support.site_server import SiteServer

from feedgen_app.cli import main

LISTING = (
    "<html><head><link rel='canonical' href='https://news.example.test/world/'></head><body>"
    "<div class='menu'><a href='/world/'>World</a><a href='/sports/'>Sports</a></div>"
    "<ul class='stories'>"
    + "".join(
        f"<li><a href='/2026/11/2{n}/story-{n}'>Harbour talks end with a deal on day {n}</a></li>"
        for n in range(4)
    )
    + "</ul><div class='side'><h3>Most read</h3><ul>"
    + "".join(
        f"<li><a href='/2026/10/0{n}/old-{n}'>An old story readers still open {n}</a></li>" for n in range(5)
    )
    + "</ul></div><a href='/images/map.png'>The map of the harbour</a></body></html>"
)


def test_a_saved_page_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    packed = tmp_path / "world.html.gz"
    packed.write_bytes(gzip.compress(LISTING.encode()))
    assert main(["discover", "--format", "json", str(packed)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["url"] == "https://news.example.test/world/" and got["error"] is None
    assert [s["url"] for s in got["stories"]] == [
        f"https://news.example.test/2026/11/2{n}/story-{n}" for n in range(4)
    ]
    first = got["stories"][0]
    assert first["why"] == "a date in the address" and first["list"] == "ul.stories"
    assert first["text"] == "Harbour talks end with a deal on day 0"
    why_left = {s["url"].rstrip("/").rsplit("/", 1)[-1]: s["why"] for s in got["left_out"]}
    assert why_left["old-0"] == "in a most-read box ('Most read')"
    assert why_left["map.png"].startswith("a file")
    assert why_left["sports"] == "a section front or index page"


def test_text_for_a_person_and_a_url_for_a_page_saved_without_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "world.html"
    plain.write_text(LISTING.replace("<link rel='canonical' href='https://news.example.test/world/'>", ""))
    assert main(["discover", "--url", "https://mirror.example.test/world/", str(plain)]) == 0
    out = capsys.readouterr().out
    assert "4 stories via fallback:main-content" in out
    assert "1. https://mirror.example.test/2026/11/20/story-0" in out
    assert "why: a date in the address; in ul.stories" in out
    assert "left out:" in out and "in a most-read box ('Most read')" in out


def test_every_input_is_read_and_exit_one_when_one_gives_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "world.html"
    good.write_text(LISTING)
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><h1>Back soon</h1></body></html>")
    args = ["discover", str(tmp_path / "missing.html"), str(empty), str(good)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "missing.html: cannot read the file" in out
    assert "has no story links: the page has no links at all" in out
    assert "4 stories via fallback:main-content" in out, "the inputs after a failed one are still read"
    assert main(["discover", "--site", "nowhere", str(good)]) == 2


def test_a_live_listing_through_the_polite_client(capsys: pytest.CaptureFixture[str]) -> None:
    with SiteServer() as server:
        server.static("/world/", LISTING.encode())
        assert main(["discover", "--format", "json", server.url("/world/")]) == 0
        got = json.loads(capsys.readouterr().out)
        assert len(got["stories"]) == 4
        assert any(r.headers.get("user-agent", "").startswith("feedgen-app") for r in server.requests)


def test_a_saved_page_of_relative_links_and_no_address_says_pass_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = tmp_path / "world.html"
    plain.write_text(LISTING.replace("<link rel='canonical' href='https://news.example.test/world/'>", ""))
    assert main(["discover", str(plain)]) == 1
    out = capsys.readouterr().out
    assert "relative links: pass --url" in out and "no links at all" not in out
    shouted = tmp_path / "shouted.html"
    shouted.write_text(LISTING.replace("rel='canonical'", 'REL="Canonical"'))
    assert main(["discover", "--format", "json", str(shouted)]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == "https://news.example.test/world/"


def test_extract_says_when_a_saved_page_s_relative_links_cannot_be_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.html"
    text = "".join(
        f"<p>The council met on Thursday and voted on item {i}; <a href='/item/{i}'>the minutes</a>.</p>"
        for i in range(5)
    )
    story.write_text(
        f"<html><head><title>Council votes</title></head><body><article><h1>Council votes</h1>{text}</article></body></html>"
    )
    assert main(["extract", "--format", "json", str(story)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert any("relative links: pass --url" in w for w in got["warnings"])
    assert main(["extract", "--format", "json", "--url", "https://news.example.test/a", str(story)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert "https://news.example.test/item/3" in got["html"] and not got["warnings"]
