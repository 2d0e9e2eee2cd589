"""Pages saved with `feedgen-app save-page` (tests/fixtures/saved/<site>/) keep extracting as expected.
Also checks that save-page itself writes such a fixture from a (local) live page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import write_config
from support.site_server import FIXTURES, SiteServer

from feedgen_app.cli import main
from feedgen_app.config import load_config
from feedgen_app.discovery.discover import listing_stories
from feedgen_app.extraction.extract import extract_story
from feedgen_app.records import Page
from feedgen_app.urls import story_key

SAVED = FIXTURES / "saved"
ROOT = Path(__file__).resolve().parent.parent


def saved_cases() -> list[tuple[str, str, dict[str, Any]]]:
    cases = []
    for expected_file in sorted(SAVED.glob("*/expected.json")):
        for target, expected in json.loads(expected_file.read_text()).items():
            cases.append((expected_file.parent.name, target, expected))
    return cases


def check_saved(folder: Path, site: str, target: str, expected: dict[str, Any]) -> None:
    config = load_config(ROOT / "feeds.toml")
    profile = config.profiles[site]
    routes = json.loads((folder / "routes.json").read_text())
    url = "https://saved.test" + target
    page = Page(url, url, 200, (folder / "pages" / routes[target]["file"]).read_text())
    if expected["kind"] in ("listing", "feed"):
        assert [story_key(r.url) for r in listing_stories(page, profile).refs] == expected["stories"]
        return
    story = extract_story(page, profile, url, target)
    assert story.title == expected["title"]
    assert list(story.authors) == expected["authors"]
    assert (story.published.isoformat() if story.published else None) == expected["published"]
    assert (story.updated.isoformat() if story.updated else None) == expected["updated"]
    assert (story.image.url if story.image else None) == expected["image"]
    assert story.body_text == expected["text"]


@pytest.mark.parametrize(("site", "target", "expected"), saved_cases())
def test_saved_page(site: str, target: str, expected: dict[str, Any]) -> None:
    check_saved(SAVED / site, site, target, expected)


def test_save_page_writes_a_fixture_that_passes(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url("/National/North-Korea"))
    out = tmp_path / "saved"
    for path in ("/article/10871233", "/National/North-Korea"):
        args = ["save-page", current_site.url(path), "--site", "koreaherald", "--dir", str(out)]
        assert main([*args[:1], "--config", str(config), *args[1:]]) == 0
    printed = capsys.readouterr().out
    assert "report a wrong extraction: attach the folder" in printed
    suggested = next(line for line in printed.splitlines() if "feedgen-app extract " in line)
    assert main(suggested.split("feedgen-app ", 1)[1].split()) == 0, "the command it suggests works"
    assert "Kim Jong-un inspects new greenhouse farm" in capsys.readouterr().out
    expected = json.loads((out / "koreaherald" / "expected.json").read_text())
    assert (
        expected["/article/10871233"]["title"]
        == "Kim Jong-un inspects new greenhouse farm in South Hamgyong Province"
    )
    assert expected["/National/North-Korea"]["stories"][0] == "/article/10871768"
    for target, want in expected.items():
        check_saved(out / "koreaherald", "koreaherald", target, want)


def test_preview_writes_nothing(
    tmp_path: Path, current_site: SiteServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, current_site.url("/National/North-Korea"))
    page = tmp_path / "preview.html"
    assert (
        main(["preview", "--config", str(config), "north-korea", "--stories", "3", "--html", str(page)]) == 0
    )
    out = capsys.readouterr().out
    assert "N. Korea fires short-range ballistic missile into East Sea: JCS" in out
    assert "2026-11-26 07:41 +0900 · Yonhap" in out
    assert "North Korea fired a short-range ballistic missile" in out
    assert not (tmp_path / "public").exists() and not (tmp_path / "state").exists()
    assert "Kim Jong-un inspects" in page.read_text()


def test_save_page_outside_a_checkout_saves_under_saved_pages(
    tmp_path: Path,
    current_site: SiteServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, current_site.url("/National/North-Korea"))
    monkeypatch.chdir(tmp_path)
    url = current_site.url("/article/10871233")
    assert main(["save-page", "--config", str(config), url, "--site", "koreaherald"]) == 0
    assert (tmp_path / "saved-pages" / "koreaherald" / "expected.json").exists()
    printed = capsys.readouterr().out
    assert "saved-pages/koreaherald" in printed and "pytest" not in printed


def test_save_page_needs_no_feeds_toml(
    tmp_path: Path,
    current_site: SiteServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As its usage line says: a URL and a site; the built-in profiles serve where there is no feeds.toml."""
    monkeypatch.chdir(tmp_path)
    url = current_site.url("/article/10871233")
    assert main(["save-page", url, "--site", "koreaherald"]) == 0
    assert (tmp_path / "saved-pages" / "koreaherald" / "expected.json").exists()
    assert "configuration error" not in capsys.readouterr().err
