"""Per-feed include / exclude rules: words or regular expressions on title, author or text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from conftest import write_config
from support.site_server import SiteServer

from feedgen_app.cli import main
from feedgen_app.filters import RuleError, parse_rule, wanted
from feedgen_app.records import Story

LISTING = "/National/North-Korea"


def story(title: str, text: str = "", authors: tuple[str, ...] = ()) -> Story:
    return Story("https://x/1", "1", title, authors, datetime(2026, 11, 27, tzinfo=UTC), None, "", text)


def test_words_match_whole_words_in_any_field_by_default() -> None:
    rule = parse_rule("missile")
    assert rule.matches(story("N. Korea fires MISSILE"))
    assert rule.matches(story("Talks", text="a missile was fired"))
    assert not rule.matches(story("Missiles everywhere")), "whole words: missiles is another word"
    assert parse_rule("Red Cross").matches(story("Red  Cross talks"))


def test_fields_and_regular_expressions() -> None:
    assert parse_rule("author:Yonhap").matches(story("x", authors=("Yonhap",)))
    assert not parse_rule("title:Yonhap").matches(story("x", text="(Yonhap)"))
    assert parse_rule("title:/missiles?/").matches(story("Missiles everywhere"))
    assert parse_rule("note: a colon inside").field == "any", "a colon in words is part of the words"
    with pytest.raises(RuleError, match=r"names no field 'autor'.*'any:autor:AFP'"):
        parse_rule("autor:AFP")


def test_include_then_exclude() -> None:
    include, exclude = [parse_rule("title:Korea")], [parse_rule("author:/^AFP$/")]
    assert wanted(story("Korea talks", authors=("Yonhap",)), include, exclude)
    assert not wanted(story("Korea talks", authors=("AFP",)), include, exclude)
    assert not wanted(story("Japan talks"), include, exclude)
    assert wanted(story("Japan talks"), [], exclude), "no include rules: everything not excluded"


@pytest.mark.parametrize("bad", ["title:", "/(unclosed/", ""])
def test_bad_rules_are_refused(bad: str) -> None:
    with pytest.raises(RuleError):
        parse_rule(bad)


def test_a_feed_publishes_only_what_its_rules_keep(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = 'include = ["title:/missile|satellite/"]\nexclude = ["text:greenhouse"]'
    config = write_config(tmp_path, current_site.url(LISTING), rules)
    assert main(["build", "--config", str(config)]) == 0
    titles = [
        e.title for e in feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes()).entries
    ]
    assert titles and all("missile" in t.lower() or "satellite" in t.lower() for t in titles)
    assert not any("greenhouse" in t.lower() for t in titles)
    status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
    poll = status["last_poll"]
    assert poll["filtered"] == poll["new"] - len(titles) > 0, "what the rules dropped is counted"
    capsys.readouterr()
    main(["status", "--config", str(config)])
    assert f"{poll['filtered']} filtered" in capsys.readouterr().out
    assert f"{poll['filtered']} filtered" in (tmp_path / "public" / "index.html").read_text()

    assert main(["preview", "north-korea", "--config", str(config), "--stories", "20"]) == 0
    shown = capsys.readouterr().out
    assert f"{poll['filtered']} of {poll['new']} left out by the feed's include/exclude rules" in shown
    assert "greenhouse" not in shown.lower()

    bad = write_config(tmp_path, current_site.url(LISTING), 'exclude = ["/(unclosed/"]')
    assert main(["check", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "feeds[0] (north-korea).exclude[0]" in err and "not a valid regular expression" in err
