"""When the site's layout changes, the profile repairs itself: selectors learned from what the fallbacks
found, offered as a TOML patch, used with `repair = "apply"`, dropped when they stop agreeing, and stored
pages extracted again without fetching."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import gold, write_config
from support.scoring import html_text
from support.site_server import Response, SiteServer
from support.state import forget_stories

from feedgen_app.cli import main
from feedgen_app.config import load_config
from feedgen_app.storage.store import Store

LISTING = "/National/North-Korea"
APPLY = '[sites.koreaherald]\nrepair = "apply"\n'


@pytest.fixture
def redesign() -> Iterator[SiteServer]:
    with SiteServer("redesign") as server:
        yield server


def status_of(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "public" / "status.json").read_text())
    return data["feeds"]["north-korea"]


def entries(tmp_path: Path) -> dict[str, Any]:
    parsed: Any = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes())
    return {e.link: e for e in parsed.entries}


def test_learned_selectors_are_offered_as_a_patch_that_works_when_pasted(
    tmp_path: Path, redesign: SiteServer, capfd: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    assert main(["build", "--config", str(config)]) == 1
    status = status_of(tmp_path)
    repair = status["repair"]
    assert repair["mode"] == "suggest"
    learned = {x["field"]: x for x in repair["learned"]}
    assert {"items", "title", "authors", "published", "body"} <= set(learned)
    assert all(x["stories"] == 4 for x in learned.values() if x["field"] not in ("image", "caption"))
    assert not any(":nth" in x["selector"] or ">" in x["selector"] for x in learned.values())
    assert "status.json" in status["last_error"], "the reason says where the learned selectors are"
    log = capfd.readouterr().err
    assert "learned title selector" in log
    assert main(["status", "--config", str(config)]) == 1
    shown = capfd.readouterr().out
    assert "[sites.koreaherald.article]" in shown and "paste into feeds.toml" in shown

    # a person pastes the patch: the next build is back on the profile, with entries no worse than before
    before = entries(tmp_path)
    patched = tmp_path / "patched"
    patched.mkdir()
    write_config(patched, redesign.url(LISTING), extra_top=repair["patch"])
    tomllib.loads((patched / "feeds.toml").read_text())
    assert main(["build", "--config", str(patched / "feeds.toml")]) == 0
    after = status_of(patched)
    assert after["state"] == "healthy" and after["fields_from_fallbacks"] == []
    assert_no_worse(before, entries(patched), redesign)


def assert_no_worse(before: dict[str, Any], after: dict[str, Any], server: SiteServer) -> None:
    """Same titles, authors, dates and text: the learned selectors give what the fallbacks gave, no more."""
    assert set(after) == set(before)
    for want in gold("redesign")["entries"]:
        old, new = before[server.url(want["path"])], after[server.url(want["path"])]
        assert (new.title, new.author, new.published) == (old.title, old.author, old.published)
        assert html_text(new.content[0].value) == html_text(old.content[0].value)


def test_with_apply_the_next_poll_is_on_learned_selectors_and_reset_forgets_them(
    tmp_path: Path, redesign: SiteServer, capfd: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, redesign.url(LISTING), extra_top=APPLY)
    assert main(["build", "--config", str(config)]) == 1, "this poll still came from the fallbacks"
    first = entries(tmp_path)
    assert "used from the next poll" in status_of(tmp_path)["last_error"]
    forget_stories(tmp_path)  # the stories are fetched and extracted again
    assert main(["build", "--config", str(config)]) == 0
    status = status_of(tmp_path)
    assert status["state"] == "healthy" and status["profile_matches"] is True
    assert set(status["field_sources"]["title"]) == {"learned"}
    in_use = {x["field"] for x in status["repair"]["in_use"]}
    assert {"items", "title", "body"} <= in_use
    assert_no_worse(first, entries(tmp_path), redesign)
    capfd.readouterr()
    assert main(["status", "--config", str(config)]) == 0
    assert "in use since" in capfd.readouterr().out
    # the stored pages run through the learned selectors (checked against the fallbacks) say the same
    assert main(["reextract", "--config", str(config)]) == 0
    assert "0 revised" in capfd.readouterr().err
    assert main(["repair", "--config", str(config)]) == 0
    assert "koreaherald (apply): title = `h1.hl-text`" in capfd.readouterr().out
    from feedgen_app.storage.lock import exclusive

    with exclusive(tmp_path / "state" / "feedgen.sqlite"):  # as a running daemon holds it
        assert main(["repair", "--config", str(config), "--reset", "koreaherald"]) == 0
    assert "learned selectors forgotten" in capfd.readouterr().out
    assert main(["repair", "--config", str(config)]) == 0
    assert "No learned selectors are kept" in capfd.readouterr().out
    assert main(["repair", "--config", str(config), "--reset", "nosuchsite"]) == 2
    assert "no site named 'nosuchsite'" in capfd.readouterr().err


def test_a_learned_selector_that_stops_agreeing_is_dropped(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING), extra_top=APPLY)
    main(["build", "--config", str(config)])
    store = Store(tmp_path / "state" / "feedgen.sqlite")
    try:
        assert any(x.field == "title" for x in store.learned("koreaherald"))
    finally:
        store.close()
    forget_stories(tmp_path)
    # the site turns one story's section kicker into a heading styled like the headline: the learned
    # title selector now reads "North Korea" there, where the JSON-LD still says the story's title
    path = "/article/10889950"
    page = (Path(__file__).parent / "fixtures/redesign/pages/article-10889950.html").read_text()
    kicker = '<p class="kicker"><a href="/National/North-Korea">North Korea</a></p>'
    assert kicker in page
    page = page.replace(kicker, '<h1 class="hl-text">North Korea</h1>')
    redesign.route(
        path, lambda req: Response(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})
    )
    main(["build", "--config", str(config)])
    status = status_of(tmp_path)
    dropped = {x["field"]: x for x in status["repair"]["dropped"]}
    assert "title" in dropped and "North Korea" in dropped["title"]["why"]
    store = Store(tmp_path / "state" / "feedgen.sqlite")
    try:
        assert not any(x.field == "title" for x in store.learned("koreaherald"))
    finally:
        store.close()
    titles = {e.title for e in entries(tmp_path).values()}
    assert "North Korea" not in titles, "the feed kept the right titles"


def test_reextract_runs_the_changed_profile_over_stored_pages_without_fetching(
    tmp_path: Path, redesign: SiteServer, capfd: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    main(["build", "--config", str(config)])
    before = entries(tmp_path)
    fetched = redesign.count()
    # the person fixes the profile with a body selector that also takes the tags row under the body
    config.write_text(
        config.read_text().replace(
            "[output]", '[sites.koreaherald.article]\nbody = ["div.col-main"]\n\n[output]'
        )
    )
    assert load_config(str(config)).feeds[0].profile.article.body[0].text == "div.col-main"
    capfd.readouterr()
    assert main(["reextract", "--config", str(config)]) == 0
    assert redesign.count() == fetched, "nothing fetched"
    assert "4 archived pages re-extracted: 4 revised" in capfd.readouterr().err
    after = entries(tmp_path)
    assert set(after) == set(before)
    assert all("#NorthKorea" in entry.content[0].value for entry in after.values())
    changed = changed_at(tmp_path)
    assert all(changed[url] > first for url, first in changed_at(tmp_path, before=True).items())
    # run again: nothing changes, and no entry's updated moves
    assert main(["reextract", "--config", str(config)]) == 0
    assert "0 revised, 4 unchanged" in capfd.readouterr().err
    assert changed_at(tmp_path) == changed


def changed_at(tmp_path: Path, before: bool = False) -> dict[str, Any]:
    """When the store saw each story's text change (an entry's `updated` when the site gives none);
    with `before`, when it was first seen."""
    store = Store(tmp_path / "state" / "feedgen.sqlite")
    try:
        kept = store.feed_stories("north-korea", 50)
    finally:
        store.close()
    return {s.key_url: s.first_seen if before else s.changed_at for s in kept}


def test_the_archive_stays_within_its_budget(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING), extra_feed="archive_kb = 3")
    main(["build", "--config", str(config)])
    store = Store(tmp_path / "state" / "feedgen.sqlite")
    try:
        kept = store.archived_pages("north-korea")
        assert 0 < len(kept) < 4, "the oldest pages went to stay within 3 KB"
        assert store.archive_size("north-korea") <= 3000
        archived = store.archived_page("north-korea", kept[0][0])
        assert archived is not None and "<html" in archived.page.text
    finally:
        store.close()
    config.write_text(config.read_text().replace("archive_kb = 3", "archive_kb = 0"))
    (tmp_path / "state" / "feedgen.sqlite").unlink()
    main(["build", "--config", str(config)])
    store = Store(tmp_path / "state" / "feedgen.sqlite")
    try:
        assert store.archived_pages("north-korea") == [], "archive_kb = 0 keeps no page"
    finally:
        store.close()


def test_check_live_shows_what_it_would_learn(
    tmp_path: Path, redesign: SiteServer, capfd: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, redesign.url(LISTING))
    assert main(["check", "--config", str(config), "--live", "--stories", "3"]) == 1
    out = capfd.readouterr().out
    assert "learned    title = `h1.hl-text`" in out and "on 3 of 3 stories" in out
    assert "learned    items = `a.card-link[href]`" in out
    patch = "\n".join(
        line[4:] for line in out.splitlines() if line.startswith("    ") and not line.startswith("     ")
    )
    assert "[sites.koreaherald.article]" in patch


def test_learned_selectors_are_never_positional_or_generated() -> None:
    from feedgen_app.dom import parse
    from feedgen_app.repair.candidates import candidates, stable_name

    assert not any(map(stable_name, ["css-1x2y3z", "sc-bdfBwQ", "post-10889950", "a1b2c3d4", "active"]))
    assert all(map(stable_name, ["story__body", "col-md-6", "hl-text", "h2", "articleText"]))
    doc = parse(
        '<html><body><div id="post-10889950" class="css-1x2y3z wrap"><div><div>'
        '<h1 class="sc-bdfBwQ hl-text">Headline</h1></div></div></div></body></html>'
    )
    found = candidates(next(doc.iter("h1")))
    assert found[0] == "h1.hl-text"
    assert all("nth" not in c and ">" not in c and "css-" not in c and "10889950" not in c for c in found)
    assert "div.wrap h1.hl-text" in found
    # broken markup can name an element what no selector can say: it gives no candidate, not a crash
    odd = parse('<html><body><div class="wrap"><h1< class="hl">Headline</h1<></div></body></html>')
    assert candidates(next(e for e in odd.iter() if str(e.tag).startswith("h1"))) == []


def test_a_learned_selector_whose_evidence_is_gone_is_replaced(tmp_path: Path, redesign: SiteServer) -> None:
    config = write_config(tmp_path, redesign.url(LISTING), extra_top=APPLY)
    main(["build", "--config", str(config)])
    forget_stories(tmp_path)
    # the next redesign renames the headline's class: the learned `h1.hl-text` finds nothing any more
    pages = Path(__file__).parent / "fixtures/redesign/pages"
    for page in pages.glob("article-*.html"):
        body = page.read_text().replace('class="hl-text"', 'class="hl-title"').encode()
        redesign.route(
            f"/article/{page.stem.split('-')[1]}",
            lambda req, body=body: Response(200, body, {"Content-Type": "text/html; charset=utf-8"}),
        )
    assert main(["build", "--config", str(config)]) == 1, "this poll's titles came from the JSON-LD"
    status = status_of(tmp_path)
    dropped = {x["field"]: x["why"] for x in status["repair"]["dropped"]}
    assert "gave nothing on this poll's stories" in dropped["title"]
    store = Store(tmp_path / "state" / "feedgen.sqlite")
    try:
        assert {x.field: x.selector for x in store.learned("koreaherald")}["title"] == "h1.hl-title"
    finally:
        store.close()


def _page(n: int) -> str:
    """A story whose body box holds a related-stories box and a reader's long comment after the text."""
    paragraphs = "".join(
        f"<p>Paragraph {i} of story {n}: officials said on Tuesday that the talks would resume next month, "
        f"after a pause of several weeks over the agenda.</p>"
        for i in range(5)
    )
    related = (
        '<div class="related-box"><h3>Related stories</h3><ul>'
        + "".join(
            f'<li><a href="/article/{900 + i}">An older story about the talks, number {i}</a></li>'
            for i in range(4)
        )
        + "</ul></div>"
    )
    return (
        f"<html><head><title>Story {n}</title>"
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Talks to resume, story {n}", '
        f'"datePublished": "2026-11-2{n}T10:00:00+09:00", "author": {{"name": "Kim Arin"}}}}</script></head>'
        '<body><nav class="menu"><a href="/">Home</a> <a href="/National">National</a></nav>'
        f'<div class="article-wrap"><h1 class="headline">Talks to resume, story {n}</h1>'
        f'<div class="content">{paragraphs}{related}'
        '<section class="comments"><h3>Comments</h3><p class="comment">I have said for years that these talks '
        "are pointless, and nobody in Seoul listens to people like me who know better. "
        + "Every round ends the same way, with promises that are broken before the ink is dry, and yet the "
        * 4
        + "ministry keeps announcing them as if they were news.</p></section></div></div></body></html>"
    )


def test_a_learned_body_never_takes_more_than_the_fallbacks_took() -> None:
    """The fallback's text is the bound: here the fallbacks left out the readers' comments inside the
    story's box, so the learned body brings a strip selector for them (or is not learned at all)."""
    import dataclasses
    from datetime import UTC, datetime

    from feedgen_app.extraction.extract import extract_story
    from feedgen_app.profile import builtin_table, profile_from_table, with_learned
    from feedgen_app.records import Page
    from feedgen_app.repair.article import ArticleLearner
    from feedgen_app.repair.sample import Sample

    kh = profile_from_table("koreaherald", builtin_table("koreaherald"), "test")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    samples = []
    for n in range(1, 5):
        url = f"https://www.koreaherald.com/article/{n}"
        page = Page(url, url, 200, _page(n))
        story = extract_story(page, kh, url, str(n), now=now)
        assert story.source_of("body") == "generic" and "pointless" in story.body_text
        prose = "\n".join(line for line in story.body_text.split("\n") if line.startswith("Paragraph"))
        samples.append(Sample(page, dataclasses.replace(story, body_text=prose)))
    learned = {x.field: x.selector for x in ArticleLearner(samples, kh, now).learn("koreaherald", now)}
    assert learned["body"] == "div.content"
    assert "section.comments" in learned["strip"].split(", "), "the comments box the fallback left out"
    applied = with_learned(kh, learned.items())
    for s in samples:
        story = extract_story(s.page, applied, s.story.url, s.story.story_id, now=now)
        assert story.source_of("body") == "learned:div.content"
        assert story.body_text == s.story.body_text, "the fallback's text: no related box, no comment"

    # with nothing to name the comments by, no body is learned at all
    bare = [
        Sample(dataclasses.replace(s.page, text=s.page.text.replace(' class="comments"', "")), s.story)
        for s in samples
    ]
    assert "body" not in {x.field for x in ArticleLearner(bare, kh, now).learn("koreaherald", now)}


def test_a_profile_that_matches_learns_nothing(tmp_path: Path) -> None:
    """The era-E pages print no "Updated" date where the profile's date selector points, so `updated`
    comes from the JSON-LD: that is a page without the field there, not a layout change."""
    with SiteServer("koreaherald/current") as site:
        config = write_config(tmp_path, site.url(LISTING))
        assert main(["build", "--config", str(config)]) == 0
    status = status_of(tmp_path)
    assert "json-ld" in status["field_sources"]["updated"]
    assert status["state"] == "healthy" and status["repair"] is None


def test_a_bug_in_learning_does_not_hold_the_feed(
    tmp_path: Path, redesign: SiteServer, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedgen_app.repair import article

    def broken(self: object, site: str, now: object) -> tuple[()]:
        raise RecursionError("a page the learner chokes on")

    monkeypatch.setattr(article.ArticleLearner, "learn", broken)
    config = write_config(tmp_path, redesign.url(LISTING), extra_top=APPLY)
    assert main(["build", "--config", str(config)]) == 1
    status = status_of(tmp_path)
    assert status["held"] is False and status["entries_published"] == 4, "published from the fallbacks"
    assert "bug" in capfd.readouterr().err and status["repair"] is None


def test_a_story_extracted_again_keeps_the_feeds_size_limit() -> None:
    """The check of a learned selector extracts the story again: a story over max_story_kb is cut there
    as it was the first time, so the fallbacks' body compares like with like and never goes out whole."""
    from datetime import UTC, datetime

    from feedgen_app.extraction.extract import extract_story
    from feedgen_app.profile import builtin_table, profile_from_table
    from feedgen_app.records import Page
    from feedgen_app.repair.sample import Sample

    kh = profile_from_table("koreaherald", builtin_table("koreaherald"), "test")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    url = "https://www.koreaherald.com/article/1"
    page = Page(
        url, url, 200, _page(1).replace("<p>Paragraph", "<p>" + "Long words here. " * 400 + "Paragraph")
    )
    story = extract_story(page, kh, url, "1", 10_000, now=now)
    assert story.cut
    again = Sample(page, story, None, 10_000).extract(kh, now)
    assert again is not None and again.cut and again.body_text == story.body_text
