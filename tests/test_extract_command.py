"""`feedgen-app extract` on saved pages (.html, .html.gz) and live URLs from a local server."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from support.site_server import SiteServer

from feedgen_app.cli import main

STORY = (
    "<!doctype html><html><head><title>Harbour reopens - Example News</title>"
    "<link rel='canonical' href='https://news.example.test/2026/11/27/harbour'>"
    "<meta property='article:published_time' content='2026-11-27T08:30:00+01:00'>"
    "<meta name='author' content='Ana Silva'></head><body><nav><a href='/'>Home</a></nav>"
    "<article><h1>Harbour reopens</h1>"
    + "".join(
        f"<p>The harbour reopened on Thursday after repairs, paragraph {i}, with ferries running again.</p>"
        for i in range(5)
    )
    + "<p><a href='/photos'>More photos</a> of the harbour, taken on the morning it reopened.</p>"
    "</article></body></html>"
)
KEYS = {
    "input",
    "url",
    "title",
    "authors",
    "published",
    "updated",
    "image",
    "text",
    "html",
    "sources",
    "warnings",
    "error",
}


def test_saved_pages_as_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "story.html"
    plain.write_text(STORY, encoding="utf-8")
    packed = tmp_path / "story.html.gz"
    packed.write_bytes(gzip.compress(STORY.encode()))
    assert main(["extract", "--format", "json", str(plain), str(packed)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2 and lines[0]["text"] == lines[1]["text"]
    first = lines[0]
    assert set(first) == KEYS and first["error"] is None
    assert first["url"] == "https://news.example.test/2026/11/27/harbour"
    assert first["title"] == "Harbour reopens" and first["authors"] == ["Ana Silva"]
    assert first["published"] == "2026-11-27T08:30:00+01:00", "the offset the page gives is kept"
    assert "paragraph 4" in first["text"] and "Home" not in first["text"]
    assert 'href="https://news.example.test/photos"' in first["html"], "links resolve against the page's URL"


def test_exit_one_when_an_input_gives_no_story(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "story.html"
    good.write_text(STORY, encoding="utf-8")
    assert main(["extract", str(good), str(tmp_path / "missing.html")]) == 1
    out = capsys.readouterr().out
    assert "Harbour reopens" in out and "missing.html: cannot read the file" in out


def test_unknown_site_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--site", "nowhere", str(tmp_path / "x.html")]) == 2
    assert "unknown site profile 'nowhere'" in capsys.readouterr().err


def test_a_live_url_through_the_polite_client(capsys: pytest.CaptureFixture[str]) -> None:
    with SiteServer() as server:
        server.static("/2026/11/27/harbour", STORY.encode())
        server.static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
        assert main(["extract", "--format", "json", server.url("/2026/11/27/harbour")]) == 0
        got = json.loads(capsys.readouterr().out)
        assert got["title"] == "Harbour reopens" and got["error"] is None
        assert any(r.headers.get("user-agent", "").startswith("feedgen-app") for r in server.requests)


def test_times_read_as_utc_for_want_of_a_zone_are_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A site with no profile that prints Korea time with no zone: the time is read as UTC, and said so."""
    zoneless = STORY.replace(
        "<meta property='article:published_time' content='2026-11-27T08:30:00+01:00'>",
        "<meta property='article:published_time' content='2026-11-27 08:30'>",
    )
    page = tmp_path / "story.html"
    page.write_text(zoneless, encoding="utf-8")
    assert main(["extract", "--format", "json", str(page)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["published"] == "2026-11-27T08:30:00+00:00"
    assert any("prints no time zone" in w and "timezone" in w for w in got["warnings"])
    assert main(["extract", str(page)]) == 0
    assert "note: published: the page prints no time zone" in capsys.readouterr().out


def test_html_shows_the_story_as_a_reader_sees_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_image = STORY.replace(
        "<h1>Harbour reopens</h1>",
        "<h1>Harbour reopens</h1><figure><img src='/img/harbour.jpg' alt='The harbour'>"
        "<figcaption>Ferries at the harbour on Thursday.</figcaption></figure>",
    )
    page = tmp_path / "story.html"
    page.write_text(with_image, encoding="utf-8")
    assert main(["extract", "--format", "html", str(page)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<!doctype html>") and "<style>" in out
    assert '<img src="https://news.example.test/img/harbour.jpg"' in out
    assert "<figcaption>Ferries at the harbour on Thursday.</figcaption>" in out
