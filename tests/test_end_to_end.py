"""Both fixture sites built end to end with the command line, every entry checked against gold.json."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
from conftest import gold, write_config
from lxml import etree
from support.scoring import html_text, leaks, token_f1
from support.site_server import FIXTURES, SiteServer

from feedgen_app.cli import main

RNG = etree.RelaxNG(etree.parse(str(FIXTURES / "schemas" / "atom.rng")))


def build(config: Path, *args: str) -> int:
    return main(["build", "--config", str(config), *args])


def check_against_gold(atom: Path, site: str, server: SiteServer) -> None:
    expected = gold(site)
    doc = etree.parse(str(atom))
    assert RNG.validate(doc), RNG.error_log
    parsed: Any = feedparser.parse(atom.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_link = {e.link: e for e in parsed.entries}
    assert len(parsed.entries) == len(expected["entries"])
    for want in expected["entries"]:
        entry = by_link[server.url(want["path"])]
        assert entry.title == want["title"]
        assert ", ".join(a.name for a in entry.authors) == want["author"]
        assert _iso(doc, entry.id, "published") == want["published"]
        assert _iso(doc, entry.id, "updated") == want["updated"]
        content = _raw(doc, entry.id, "content")  # as written: feedparser's sanitiser would hide problems
        text = html_text(content)
        assert token_f1(text, want["text"]) >= 0.99, (want["path"], text)
        assert not leaks(text, expected["boilerplate"]), want["path"]
        assert not re.search(r"<(script|iframe|style|form)\b", content, re.I)
        assert not re.search(r"\son\w+\s*=|javascript:", content, re.I)
        for url in re.findall(r'(?:src|href)="([^"]*)"', content):
            assert url.startswith(("http://", "https://")), url
            assert not url.startswith("data:")
        if want["image"]:
            assert f'src="{want["image"]}"' in content
            assert 'referrerpolicy="no-referrer"' in content
        if want["caption"]:
            assert text.count(want["caption"]) == 1
    published = [e.published_parsed for e in parsed.entries]
    assert published == sorted(published, reverse=True), "entries newest first"


def _raw(doc: Any, entry_id: str, field: str) -> str:
    return _iso(doc, entry_id, field)


def _iso(doc: Any, entry_id: str, field: str) -> str:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    values = doc.xpath(f"//a:entry[a:id='{entry_id}']/a:{field}/text()", namespaces=ns)
    assert len(values) == 1
    return str(values[0])


def test_current_layout_end_to_end(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(tmp_path, current_site.url("/National/North-Korea"), "pages = 2")
    assert build(config) == 0
    out = tmp_path / "public"
    check_against_gold(out / "north-korea.atom", "koreaherald/current", current_site)
    assert {"index.html", "feeds.opml", "status.json"} <= {p.name for p in out.iterdir()}
    assert not any("10871999" in p or "10871990" in p for p in current_site.paths()), (
        "Latest News box followed"
    )


def test_2022_layout_end_to_end_via_console_script(tmp_path: Path, site_2022: SiteServer) -> None:
    config = write_config(tmp_path, site_2022.url("/list.php?ct=020104000000"))
    result = subprocess.run(
        [sys.executable, "-m", "feedgen_app", "build", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    check_against_gold(tmp_path / "public" / "north-korea.atom", "koreaherald/2022", site_2022)
    story_requests = [p for p in site_2022.paths() if p.startswith("/view.php")]
    assert sorted(story_requests) == sorted(set(story_requests)), "a story was fetched twice"
    assert not any("ACE_SEARCH" in p or "np=" in p for p in story_requests)


def test_same_stories_same_bytes(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(tmp_path, current_site.url("/National/North-Korea"), "pages = 2")
    assert build(config) == 0
    first = (tmp_path / "public" / "north-korea.atom").read_bytes()
    (tmp_path / "state" / "feedgen.sqlite").unlink()
    for extra in ("-wal", "-shm"):
        (tmp_path / "state" / f"feedgen.sqlite{extra}").unlink(missing_ok=True)
    (tmp_path / "public" / "north-korea.atom").unlink()
    assert build(config) == 0
    assert (tmp_path / "public" / "north-korea.atom").read_bytes() == first


def test_rss_and_json_feed_carry_the_same_stories(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(
        tmp_path, current_site.url("/National/North-Korea"), 'pages = 2\nformats = ["atom", "rss", "json"]'
    )
    assert build(config) == 0
    out = tmp_path / "public"
    atom: Any = feedparser.parse((out / "north-korea.atom").read_bytes())
    rss: Any = feedparser.parse((out / "north-korea.rss").read_bytes())
    assert rss.version == "rss20" and not rss.bozo
    doc = json.loads((out / "north-korea.json").read_text())
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == "https://example.github.io/feeds/north-korea.json"
    titles = [e.title for e in atom.entries]
    assert [e.title for e in rss.entries] == titles
    assert [i["title"] for i in doc["items"]] == titles
    assert [e.id for e in rss.entries] == [e.id for e in atom.entries] == [i["id"] for i in doc["items"]]
    assert all(i["content_html"] and i["date_published"].endswith("+09:00") for i in doc["items"])
    assert all(e.get("content") for e in rss.entries), "RSS carries the full text in content:encoded"
    assert [e.get("author") for e in rss.entries] == [e.author for e in atom.entries], "bylines in dc:creator"
    assert rss.feed.link == current_site.url("/National/North-Korea"), "the channel links to the site"


def test_a_second_site_is_data_not_code(tmp_path: Path) -> None:
    with SiteServer("koreatimes") as site:
        config = write_config(tmp_path, site.url("/www/sublist_103.html"), site="koreatimes")
        assert build(config) == 0
        check_against_gold(tmp_path / "public" / "north-korea.atom", "koreatimes", site)
        atom = (tmp_path / "public" / "north-korea.atom").read_text()
        assert "tag:koreatimes.co.kr,2026:/www/nation/2024/11/103_387654.html" in atom
        assert "<name>The Korea Times</name>" in atom
