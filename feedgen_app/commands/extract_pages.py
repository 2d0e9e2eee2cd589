"""`feedgen-app extract`: what the extraction chain makes of saved pages or live URLs.

Takes files (`.html`, `.html.gz`) or http(s) URLs, a site profile (`auto`: none) and an output format;
writes one result per input (a JSON object a line, plain text, or an HTML page) and returns the exit code:
0 when every input gave a story, 1 when some did not. Live URLs go through the same polite client as a
build (user agent, robots.txt, size and time limits).
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from feedgen_app.commands.page_loop import PagesRead, over_inputs
from feedgen_app.config import HttpConfig
from feedgen_app.dom import HtmlElement, base_url, parse
from feedgen_app.errors import ConfigError, FeedgenError
from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.encoding import decode
from feedgen_app.fetching.http import Fetcher
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Page, Story

FORMATS = ("json", "text", "html")

log = logging.getLogger("feedgen_app.extraction.extract")


@dataclass(frozen=True)
class Outcome:
    input: str
    url: str
    story: Story | None = None
    error: str | None = None


RELATIVE = (
    "relative links: pass --url (the page names no address of its own: no canonical link, og:url or "
    "<base>; give the address it was saved from, e.g. --url https://www.example.com/news/)"
)


def own_address(doc: HtmlElement) -> str | None:
    """A saved page's own address: its canonical link, og:url or <base>, attribute values read as HTML
    reads them (`REL="Canonical"` too)."""
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            href = (link.get("href") or "").strip()
            if href.lower().startswith(("http://", "https://")):
                return href
    for meta in doc.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == "og:url":
            content = (meta.get("content") or "").strip()
            if content.lower().startswith(("http://", "https://")):
                return content
    base = base_url(doc, "")
    return base or None


def _relative_links(doc: HtmlElement) -> int:
    """Links and pictures whose address needs the page's own to mean anything."""
    values = [a.get("href") or "" for a in doc.iter("a")] + [i.get("src") or "" for i in doc.iter("img")]
    return sum(1 for v in values if v.strip() and not re.match(r"\s*(?:[a-zA-Z][\w+.-]*:|//|#)", v))


def _read_file(name: str) -> str:
    path = Path(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FeedgenError(f"{name}: cannot read the file: {exc.strerror or exc}") from None
    if name.endswith(".gz") or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise FeedgenError(f"{name}: not a readable gzip file: {exc}") from None
    return decode(raw, "text/html")


def read_input(name: str, url: str | None, fetcher: Fetcher | None) -> tuple[Page, str | None]:
    """A saved page (`.html`, `.html.gz`) or a live URL as a Page whose links resolve against `url`, else
    its own address (a saved page's canonical link), and what a person should know of it: RELATIVE when
    a saved page with relative links names no address of its own. Raises FeedgenError naming the input."""
    if name.startswith(("http://", "https://")):
        page = (fetcher or Fetcher.for_config(HttpConfig())).get(name)
        return (replace(page, final_url=url) if url else page), None
    text = _read_file(name)
    note = None
    page_url = url
    if page_url is None:
        doc = parse(text)
        page_url = own_address(doc)
        if page_url is None:
            page_url = Path(name).resolve().as_uri()
            note = RELATIVE if _relative_links(doc) else None
    return Page(page_url, page_url, 200, text), note


def input_failure(name: str, url: str | None, exc: Exception) -> tuple[str, str]:
    """The address to report and a named failure for an input that gave nothing; an exception that is not
    ours is a bug, said as one (with the input), and the other inputs are still read."""
    where = url or (name if name.startswith(("http://", "https://")) else "")
    if isinstance(exc, FeedgenError):
        return where, str(exc)
    log.error("bug: %s raised %s: %s", name, type(exc).__name__, exc, exc_info=exc)
    return where, f"{name}: internal error (a bug, please report it): {type(exc).__name__}: {exc}"


def extract_one(
    name: str, profile: SiteProfile, url: str | None, fetcher: Fetcher | None, now: datetime | None = None
) -> Outcome:
    try:
        page, note = read_input(name, url, fetcher)
        story = extract_story(page, profile, page.final_url, page.final_url, now=now)
    except Exception as exc:  # one input's failure is reported, and the others are still read
        where, error = input_failure(name, url, exc)
        return Outcome(name, where, error=error)
    if note:  # the body's relative links and pictures could not be kept: say so, and how to keep them
        story = replace(story, warnings=(*story.warnings, note))
    return Outcome(name, page.final_url, story=story)


def as_json(outcome: Outcome) -> dict[str, Any]:
    story = outcome.story
    return {
        "input": outcome.input,
        "url": outcome.url,
        "title": story.title if story else None,
        "authors": list(story.authors) if story else [],
        "published": story.published.isoformat() if story and story.published else None,
        "updated": story.updated.isoformat() if story and story.updated else None,
        "image": story.image.url if story and story.image else None,
        "text": story.body_text if story else None,
        "html": story.body_html if story else None,
        "sources": dict(story.sources) if story else {},
        "warnings": list(story.warnings) if story else [],
        "error": outcome.error,
    }


def _as_text(outcome: Outcome) -> str:
    story = outcome.story
    if story is None:
        return f"== {outcome.input}\nerror: {outcome.error}\n"
    lines = [f"== {outcome.input}", f"title: {story.title}"]
    if story.authors:
        lines.append(f"by: {', '.join(story.authors)}")
    if story.published:
        lines.append(f"published: {story.published.isoformat()}")
    if story.image:
        lines.append(f"image: {story.image.url}")
        if story.image.caption:
            lines.append(f"caption: {story.image.caption}")
    lines += [f"note: {w}" for w in story.warnings]
    lines += ["", story.body_text, ""]
    return "\n".join(lines)


def _as_html(outcome: Outcome) -> str:
    """One story as a reader sees it in a feed: title, byline and date, lead image with its caption, the
    text, and where each field came from."""
    story = outcome.story
    if story is None:
        return f"<section><h1>{html.escape(outcome.input)}</h1><p>{html.escape(outcome.error or '')}</p></section>"
    meta = ", ".join(story.authors)
    if story.published:
        meta = (
            f"{meta} · {story.published:%Y-%m-%d %H:%M %z}"
            if meta
            else f"{story.published:%Y-%m-%d %H:%M %z}"
        )
    figure = ""
    if story.image:
        caption = (
            f"<figcaption>{html.escape(story.image.caption)}</figcaption>" if story.image.caption else ""
        )
        figure = f'<figure><img src="{html.escape(story.image.url)}" alt="{html.escape(story.image.alt)}">{caption}</figure>'
    notes = "".join(f"<li>{html.escape(w)}</li>" for w in story.warnings)
    sources = ", ".join(f"{html.escape(f)}: {html.escape(s)}" for f, s in story.sources)
    return (
        f'<article><h1><a href="{html.escape(outcome.url)}">{html.escape(story.title)}</a></h1>'
        f'<p class="meta">{html.escape(meta)}</p>{figure}{story.body_html}'
        + (f'<ul class="notes">{notes}</ul>' if notes else "")
        + f'<p class="sources">{sources}</p></article>'
    )


HTML_HEAD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>feedgen-app extract</title>'
    "<style>body{max-width:46rem;margin:2rem auto;padding:0 1rem;font:17px/1.55 Georgia,serif;color:#222}"
    "article{border-bottom:1px solid #ccc;margin-bottom:3rem}h1{font:bold 1.6rem/1.25 system-ui,sans-serif}"
    "h1 a{color:inherit;text-decoration:none}.meta,.sources,figcaption,.notes{font:14px/1.4 system-ui,"
    "sans-serif;color:#555}img{max-width:100%;height:auto}figure{margin:1.5rem 0}.notes{color:#8a5a00}"
    "</style></head><body>\n"
)


def site_profile(site: str, profiles: Mapping[str, SiteProfile]) -> SiteProfile:
    if site not in profiles:
        raise ConfigError(
            "--site", "", f"unknown site profile {site!r} (have: {', '.join(sorted(profiles))})"
        )
    return profiles[site]


def run_extract(
    inputs: Sequence[str],
    site: str,
    profiles: Mapping[str, SiteProfile],
    url: str | None,
    fmt: str,
    out: TextIO,
    fetcher: Fetcher | None = None,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> PagesRead:
    profile = site_profile(site, profiles)
    writers: dict[str, Callable[[Outcome], str]] = {
        "json": lambda o: json.dumps(as_json(o), ensure_ascii=False),
        "text": _as_text,
        "html": _as_html,
    }

    def one(name: str) -> tuple[str, bool]:
        outcome = extract_one(name, profile, url, fetcher, now)
        return writers[fmt](outcome), outcome.story is not None

    if fmt == "html":
        out.write(HTML_HEAD)
    return over_inputs(inputs, one, out, stop)
