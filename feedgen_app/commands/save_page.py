"""`feedgen-app save-page URL --site NAME [--dir DIR]`: saves a live page and what feedgen-app extracts from it
(the page, a routes.json entry, an expected-results file) under DIR/<site>/: to check a profile offline with
`extract`, to attach to a bug report, or, in a checkout, as a fixture that tests/test_saved_pages.py runs."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from feedgen_app.config import HttpConfig
from feedgen_app.discovery.discover import FEED_SOURCE, listing_stories
from feedgen_app.errors import ConfigError, FeedgenError
from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.http import Fetcher
from feedgen_app.profile import SiteProfile
from feedgen_app.urls import canonical, is_story_url, path_and_query, story_key


def _slug(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path_and_query(url)).strip("-")[:80] or "index"


def _update_json(path: Path, key: str, value: Any) -> None:
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = value
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def save_page(
    profiles: Mapping[str, SiteProfile], http: HttpConfig, url: str, site: str, folder: str, out: TextIO
) -> int:
    if site not in profiles:
        raise ConfigError(
            "--site", "", f"unknown site profile {site!r} (have: {', '.join(sorted(profiles))})"
        )
    profile = profiles[site]
    fetcher = Fetcher.for_config(http)
    page = fetcher.get(url)
    target = path_and_query(page.url)
    root = Path(folder) / site
    (root / "pages").mkdir(parents=True, exist_ok=True)
    name = f"{_slug(page.url)}.html"
    (root / "pages" / name).write_text(page.text, encoding="utf-8")
    _update_json(
        root / "routes.json", target, {"file": name, "type": "text/html; charset=utf-8", "status": 200}
    )
    expected: dict[str, Any]
    if is_story_url(canonical(page.url, profile), profile):
        try:
            story = extract_story(page, profile, page.url, story_key(page.url))
        except FeedgenError as exc:
            expected = {"kind": "story", "error": str(exc)}
        else:
            expected = {
                "kind": "story",
                "title": story.title,
                "authors": list(story.authors),
                "published": story.published.isoformat() if story.published else None,
                "updated": story.updated.isoformat() if story.updated else None,
                "image": story.image.url if story.image else None,
                "caption": story.image.caption if story.image else None,
                "text": story.body_text,
                "sources": dict(story.sources),
            }
    else:
        found = listing_stories(page, profile)
        expected = {
            "kind": "feed" if found.source == FEED_SOURCE else "listing",
            "stories": [story_key(r.url) for r in found.refs],
            "source": found.source,
        }
    _update_json(root / "expected.json", target, expected)
    page_file = root / "pages" / name
    lines = [
        f"saved {url} as {page_file}",
        f"what feedgen-app extracts from it is in {root / 'expected.json'} (under {target!r}).",
        "Use it to:",
        f"  - see the extraction again, offline: feedgen-app extract --site {site} --url {url} {page_file}",
        f"  - report a wrong extraction: attach the folder {root} and say which field is wrong",
    ]
    if (Path(folder).resolve() / ".." / ".." / "test_saved_pages.py").exists():
        lines.append(
            "  - keep it working: fix what is wrong in expected.json by hand (that is the test), then run "
            "`python -m pytest tests/test_saved_pages.py`"
        )
    out.write("\n".join(lines) + "\n")
    return 0
