"""The published folder a person opens: index.html, feeds.opml and a feed in a browser (via feed.xsl),
compared with golden files. FEEDGEN_UPDATE_GOLDEN=1 rewrites them after an intended change."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import write_config
from lxml import etree
from support.site_server import SiteServer

from feedgen_app.config import load_config
from feedgen_app.fetching.session import new_session
from feedgen_app.running.build import run_build

GOLDEN = Path(__file__).resolve().parent / "golden"
LISTING = "/National/North-Korea"


def compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("FEEDGEN_UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"{path} missing: run with FEEDGEN_UPDATE_GOLDEN=1 once"
    assert text == path.read_text()


@pytest.fixture
def public(tmp_path: Path, current_site: SiteServer) -> tuple[Path, str]:
    config = write_config(
        tmp_path,
        current_site.url(LISTING),
        'pages = 2\nformats = ["atom", "json"]',
        extra_top='title = "Korea Herald feeds"',
    )
    cfg = load_config(config)
    result = run_build(cfg, new_session(cfg.http.user_agent), lambda: datetime(2026, 11, 27, tzinfo=UTC))
    assert result.exit_code == 0
    return tmp_path / "public", current_site.base


def test_index_html(public: tuple[Path, str]) -> None:
    folder, base = public
    html = (folder / "index.html").read_text().replace(base, "http://mirror.test")
    compare("index.html", html)
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert "<script" not in html


def test_feeds_opml(public: tuple[Path, str]) -> None:
    folder, base = public
    opml = (folder / "feeds.opml").read_text().replace(base, "http://mirror.test")
    compare("feeds.opml", opml)
    doc = etree.fromstring(opml.encode())
    assert doc.xpath("//outline/@xmlUrl") == ["https://example.github.io/feeds/north-korea.atom"]


def test_feed_in_a_browser_is_a_readable_page(public: tuple[Path, str]) -> None:
    folder, base = public
    atom = etree.parse(str(folder / "north-korea.atom"))
    assert atom.getroot().getprevious() is not None  # the <?xml-stylesheet?> processing instruction
    transform = etree.XSLT(etree.parse(str(folder / "feed.xsl")))
    page = str(transform(atom)).replace(base, "http://mirror.test")
    compare("feed-in-browser.html", page)
    assert "This is a web feed" in page and "N. Korea fires short-range ballistic missile" in page


def test_index_times_of_a_feed_share_the_sites_zone(tmp_path: Path) -> None:
    """A story dated +09:00 and revised at a UTC time here: the index shows both in Korea time."""
    from datetime import UTC, datetime, timedelta, timezone

    from feedgen_app.config import config_from_dict
    from feedgen_app.publishing.site import index_html
    from feedgen_app.records import Story
    from feedgen_app.storage.store import Store

    config = config_from_dict(
        {
            "feeds": [
                {"id": "nk", "title": "NK", "site": "koreaherald", "listing": "https://www.koreaherald.com/x"}
            ]
        },
        tmp_path / "feeds.toml",
    )
    store = Store(tmp_path / "s.sqlite")
    kst = timezone(timedelta(hours=9))
    published = datetime(2026, 11, 26, 10, 15, tzinfo=kst)
    first = Story(
        "https://www.koreaherald.com/article/1", "/article/1", "T", (), published, published, "<p>a</p>", "a"
    )
    store.mark_listed("nk", [(first.url, "")], published)
    store.save_story(first, "", None, None, published.astimezone(UTC))
    revised = Story(first.url, first.story_id, "T", (), published, published, "<p>b</p>", "b")
    store.save_story(revised, "", None, None, datetime(2026, 11, 27, 1, 0, tzinfo=UTC))
    page = index_html(config, store).decode()
    store.close()
    assert "(UTC)" not in page and page.count("(+09:00)") == 2
    assert "2026-11-27 10:00 (+09:00)" in page, "the revision, at 01:00 UTC, shown in Korea time"


def test_a_feed_never_published_has_no_subscribe_link_and_is_not_in_the_opml(
    tmp_path: Path, current_site: SiteServer
) -> None:
    """A reader importing the OPML on the first day gets no broken subscription."""
    config = write_config(tmp_path, current_site.url(LISTING))
    config.write_text(
        config.read_text()
        + f'\n[[feeds]]\nid = "gone"\ntitle = "A section that is gone"\nsite = "auto"\nlisting = "{current_site.url("/gone")}"\n'
    )
    cfg = load_config(config)
    assert (
        run_build(cfg, new_session(cfg.http.user_agent), lambda: datetime(2026, 11, 27, tzinfo=UTC)).exit_code
        == 1
    )
    index = (tmp_path / "public" / "index.html").read_text()
    gone = index.split('id="feed-gone"')[1]
    assert "Not published yet" in gone and "gone.atom" not in gone and 'class="subscribe"' not in gone
    assert "gone.atom" not in index.split("</head>")[0], "no autodiscovery link either"
    opml = (tmp_path / "public" / "feeds.opml").read_text()
    assert "north-korea.atom" in opml and "gone.atom" not in opml
