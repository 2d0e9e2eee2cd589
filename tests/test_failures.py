"""A bad story never stops its feed; a bad feed never stops the build; a held feed keeps its last file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_config
from support.site_server import FIXTURES, Response, SiteServer

from feedgen_app.cli import main

LISTING = "/National/North-Korea"
VIDEO_ONLY = (
    "<html><head><title>Video</title></head><body><section class='section_view'>"
    "<h1 class='news_title'>Watch: Kim's parade</h1><div class='news_info'><span class='writer'>By Yonhap</span>"
    "<p class='date'>Published : Nov. 26, 2026 - 12:00</p></div></section>"
    "<article id='articleText' class='article-view article-body'>"
    "<div class='video_box'><iframe src='https://www.youtube.com/embed/vid123'></iframe></div></article></body></html>"
)
NO_TEXT = (
    "<html><body><section class='section_view'><h1 class='news_title'>Empty</h1></section></body></html>"
)


def listing_with(extra_paths: list[str]) -> bytes:
    html = (FIXTURES / "koreaherald/current/pages/listing-north-korea-1.html").read_text()
    items = "".join(f'<li><a href="{p}"><p class="news_title">Extra {p}</p></a></li>' for p in extra_paths)
    return html.replace('<ul class="news_list">\n<li>', f'<ul class="news_list">\n{items}<li>', 1).encode()


def status(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]


def test_gone_empty_and_video_only_stories(tmp_path: Path, current_site: SiteServer) -> None:
    current_site.static(
        LISTING, listing_with(["/article/10898777", "/article/10898778", "/article/10898779"])
    )
    current_site.route("/article/10898777", lambda r: Response(404, b"<h1>Page not found</h1>"))
    current_site.static("/article/10898778", VIDEO_ONLY.encode())
    current_site.static("/article/10898779", NO_TEXT.encode())
    config = write_config(tmp_path, current_site.url(LISTING))
    assert main(["build", "--config", str(config)]) == 0
    atom = (tmp_path / "public" / "north-korea.atom").read_text()
    assert atom.count("<entry>") == 9, "8 stories of page 1 plus the video story"
    assert "https://www.youtube.com/watch?v=vid123" in atom
    assert "Empty" not in atom
    report = status(tmp_path)["north-korea"]
    assert report["entries_published"] == 9
    assert report["last_poll"]["failed"] == 2
    assert report["last_poll"]["failed_by"] == {"gone": 1, "not a story": 1}, "each failure has its kind"
    errors = " ".join(report["last_poll"]["errors"])
    assert "10898777" in errors and "HTTP 404" in errors
    assert report["state"] == "needs attention", "published, but two stories are missing from it"
    assert "2 stories failed" in report["why"] and "10898777" in report["why"]
    index = (tmp_path / "public" / "index.html").read_text()
    assert 'class="health warn">Needs attention: 2 stories failed' in index
    assert "10898779" in errors and "no story text" in errors


def test_a_bad_feed_does_not_stop_the_build(tmp_path: Path, current_site: SiteServer) -> None:
    current_site.route("/National/Broken", lambda r: Response(500, b"oops"))
    extra = f"""
[[feeds]]
id = "broken"
site = "koreaherald"
listing = "{current_site.url("/National/Broken")}"
"""
    config = write_config(tmp_path, current_site.url(LISTING))
    config.write_text(config.read_text() + extra)
    assert main(["build", "--config", str(config)]) == 1
    assert (tmp_path / "public" / "north-korea.atom").exists()
    assert not (tmp_path / "public" / "broken.atom").exists()
    report = status(tmp_path)
    assert report["north-korea"]["healthy"] is True
    assert report["broken"]["held"] is True and "HTTP 500" in report["broken"]["last_error"]
    assert report["broken"]["consecutive_failures"] == 1


def test_a_failing_site_keeps_the_last_good_feed(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), retries=0)
    assert main(["build", "--config", str(config)]) == 0
    feed = tmp_path / "public" / "north-korea.atom"
    before, mtime = feed.read_bytes(), feed.stat().st_mtime_ns
    maintenance = b"<html><body><h1>We are upgrading our site. Back soon.</h1></body></html>"
    current_site.static(LISTING, maintenance)  # a maintenance page served with 200
    assert main(["build", "--config", str(config)]) == 1
    assert feed.read_bytes() == before and feed.stat().st_mtime_ns == mtime
    assert "no story links" in status(tmp_path)["north-korea"]["last_error"]
    current_site.route(LISTING, lambda r: Response(503, b"down", {"Retry-After": "1"}))
    assert main(["build", "--config", str(config)]) == 1
    assert feed.read_bytes() == before
    assert status(tmp_path)["north-korea"]["consecutive_failures"] == 2
    capsys.readouterr()
    assert main(["status", "--config", str(config)]) == 1
    assert "FAILING (held, last good feed kept)" in capsys.readouterr().out


def test_most_stories_failing_holds_the_feed(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), retries=0)
    for path in [
        p for p in json.loads((FIXTURES / "koreaherald/current/routes.json").read_text()) if "/article/" in p
    ]:
        current_site.route(path, lambda r: Response(200, b"<html><body>Access denied</body></html>"))
    assert main(["build", "--config", str(config)]) == 1
    assert not (tmp_path / "public" / "north-korea.atom").exists()
    assert "stories failed" in status(tmp_path)["north-korea"]["last_error"]
    assert status(tmp_path)["north-korea"]["state"] == "failing"
    assert main(["status", "--config", str(config)]) == 1
    assert "FAILING (held, nothing published yet)" in capsys.readouterr().out, "no last good feed to keep"


def test_status_command_and_base_url_override(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING))
    assert main(["status", "--config", str(config)]) == 1  # nothing built yet
    assert "No status yet" in capsys.readouterr().out
    assert main(["build", "--config", str(config), "--base-url", "https://me.github.io/kh"]) == 0
    atom = (tmp_path / "public" / "north-korea.atom").read_text()
    assert 'href="https://me.github.io/kh/north-korea.atom" rel="self"' in atom
    capsys.readouterr()
    assert main(["status", "--config", str(config), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| north-korea | HEALTHY |" in out
    assert main(["build", "--config", str(config), "--base-url", "ftp://x"]) == 2


def test_a_file_that_cannot_be_written_is_reported_and_the_rest_goes_on(
    tmp_path: Path, current_site: SiteServer
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING))
    blocked = tmp_path / "public" / "north-korea.atom"
    blocked.mkdir(parents=True)  # stands in for a full or read-only disk: the rename over it fails
    assert main(["build", "--config", str(config)]) == 1
    report = status(tmp_path)["north-korea"]
    assert (
        report["held"] is True
        and str(blocked) in report["last_error"]
        and "not written" in report["last_error"]
    )
    assert (tmp_path / "public" / "index.html").exists()
    assert not list((tmp_path / "public").glob(".*.tmp")), "no temporary file left behind"


def test_an_output_folder_that_cannot_be_written_is_what_status_says(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING))
    assert main(["build", "--config", str(config)]) == 0
    public = tmp_path / "public"
    moved = tmp_path / "was-public"
    public.rename(moved)
    public.write_text("a file where the folder was: nothing can be written in it (as root too)")
    current_site.static(LISTING, listing_with(["/article/10898780"]))  # a new story to publish
    assert main(["build", "--config", str(config)]) == 1
    capsys.readouterr()
    assert main(["status", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "HEALTHY" not in out and "FAILING" in out and "not written" in out
    assert "NOT WRITTEN: site files:" in out and "NOT WRITTEN: status.json:" in out
    public.unlink()
    moved.rename(public)
    assert main(["build", "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["status", "--config", str(config)]) == 0
    assert "NOT WRITTEN" not in capsys.readouterr().out


def test_a_huge_story_is_cut_with_a_link_and_status_says_so(tmp_path: Path, current_site: SiteServer) -> None:
    source = (FIXTURES / "koreaherald/current/pages").glob("article-*.html")
    page = next(iter(sorted(source))).read_text()
    paragraphs = "".join(
        f"<p>Paragraph {n} of a very long report on the talks, with its details.</p>" for n in range(800)
    )
    huge = page.replace("<p>North Korea", paragraphs + "<p>North Korea", 1)
    current_site.static(LISTING, listing_with(["/article/10898780"]))
    current_site.static("/article/10898780", huge.encode())
    config = write_config(tmp_path, current_site.url(LISTING), "max_story_kb = 20")
    assert main(["build", "--config", str(config)]) == 0
    atom = (tmp_path / "public" / "north-korea.atom").read_text()
    assert "Paragraph 0 of" in atom and "Paragraph 799 of" not in atom
    assert "This story is 60 KB long, over this feed's 20 KB limit" in atom
    assert 'href="http://127.0.0.1:' in atom.replace("&lt;", "<").replace("&quot;", '"')
    assert len(atom.encode()) < 9 * 20_000 + 30_000, "every story within its limit"
    poll = status(tmp_path)["north-korea"]["last_poll"]
    assert poll["cut"] == 1
    assert any("10898780" in e and "max_story_kb" in e for e in poll["errors"])
