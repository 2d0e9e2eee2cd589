"""What a person sees: a broken photo's text once, a preview broken between words, RSS and JSON addresses
on the index as addresses to copy (a browser shows those files as raw text)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from conftest import write_config
from support.site_server import SiteServer

from feedgen_app.cli import main
from feedgen_app.commands.preview import _lines
from feedgen_app.config import load_config
from feedgen_app.publishing.render import entry_of
from feedgen_app.records import Image, StoredStory, Story

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def test_a_photo_whose_alt_is_its_caption_says_it_once(tmp_path: Path, current_site: SiteServer) -> None:
    feed = load_config(write_config(tmp_path, current_site.url("/x"))).feeds[0]
    caption = "Kim Jong-un visits a farm (KCNA)"
    story = Story(
        "https://x/1",
        "1",
        "T",
        (),
        NOW,
        None,
        "<p>Body.</p>",
        "Body.",
        image=Image("https://x/a.jpg", caption, caption),
    )
    content = entry_of(StoredStory(story, NOW, "", NOW), feed).content_html
    assert content.count("Kim Jong-un visits a farm") == 1, "a broken image shows its alt, then the caption"
    assert 'alt=""' in content
    other = Story(
        "https://x/2",
        "2",
        "T",
        (),
        NOW,
        None,
        "<p>B.</p>",
        "B.",
        image=Image("https://x/b.jpg", "Cap", "A farm"),
    )
    assert 'alt="A farm"' in entry_of(StoredStory(other, NOW, "", NOW), feed).content_html


def test_the_preview_breaks_lines_between_words() -> None:
    words = "Pyongyang said on Thursday that the satellite launch had succeeded, a claim Seoul disputed. " * 6
    story = Story("https://x/1", "1", "T", (), NOW, None, f"<p>{words}</p>", words)
    from feedgen_app.config import FeedConfig
    from feedgen_app.profile import profile_from_table

    feed = FeedConfig("f", "F", "auto", profile_from_table("auto", {}, "test"), "https://x/")
    lines = _lines(entry_of(StoredStory(story, NOW, "", NOW), feed), width=50)
    assert len(lines) == 3 and all(len(line) <= 50 for line in lines)
    assert all(w in words.split() for line in lines for w in line.removesuffix(" …").split()), "no word cut"


def test_index_links_every_format_and_gives_an_address_to_copy(
    tmp_path: Path, current_site: SiteServer
) -> None:
    config = write_config(
        tmp_path, current_site.url("/National/North-Korea"), 'formats = ["atom", "rss", "json"]'
    )
    assert main(["build", "--config", str(config)]) == 0
    index = (tmp_path / "public" / "index.html").read_text()
    body = index.split("</head>")[1]
    for suffix, name in ((".atom", "Atom"), (".rss", "RSS 2.0"), (".json", "JSON Feed")):
        assert (
            f'href="https://example.github.io/feeds/north-korea{suffix}"' in body and f">{name}</a>" in body
        )
    assert '<code class="address">https://example.github.io/feeds/north-korea.atom</code>' in body
    rss = (tmp_path / "public" / "north-korea.rss").read_text()
    assert '<?xml-stylesheet type="text/xsl" href="feed.xsl"?>' in rss, (
        "an RSS file opened in a browser is a page"
    )
