"""A small news site written to a folder as plain files (a section page, three stories, robots.txt), for
the server programs of `real_servers` to serve as any static site is served. No profile knows it: a feed
on it uses `site = "auto"`."""

from __future__ import annotations

import json
from pathlib import Path

SECTION = "/world/index.html"
STORIES = {
    "/world/2026/12/01/harbour-talks-end-with-a-deal.html": "Harbour talks end with a deal after a long night",
    "/world/2026/12/02/river-ferry-returns-to-service.html": "River ferry returns to service after repairs",
    "/world/2026/12/03/city-library-opens-new-wing.html": "City library opens a new wing for young readers",
}
PARAGRAPH = (
    "The council met on Tuesday evening and heard from residents, shop owners and the harbour master, "
    "who said the works had gone on longer than anyone had planned and that the costs would be shared. "
)


def story_page(title: str, day: int) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": f"2026-12-0{day}T09:30:00+00:00",
        "author": {"@type": "Person", "name": "Mina Park"},
    }
    body = "".join(f"<p>{PARAGRAPH} (part {n + 1} of the story: {title}.)</p>" for n in range(6))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | The Example Times</title>"
        f"<script type='application/ld+json'>{json.dumps(data)}</script></head><body>"
        "<header><nav><a href='/world/index.html'>World</a> <a href='/sport/index.html'>Sport</a></nav></header>"
        f"<main><article><h1>{title}</h1><p class='byline'>By Mina Park</p>{body}</article></main>"
        "<footer><a href='/about.html'>About us</a></footer></body></html>"
    )


def section_page() -> str:
    items = "".join(f"<li><h2><a href='{path}'>{title}</a></h2></li>" for path, title in STORIES.items())
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>World | The Example Times</title>"
        "</head><body><header><nav><a href='/world/index.html'>World</a> "
        "<a href='/sport/index.html'>Sport</a> <a href='/about.html'>About us</a></nav></header>"
        f"<main><h1>World</h1><ul class='stories'>{items}</ul></main>"
        "<footer><a href='/about.html'>About us</a> <a href='/contact.html'>Contact</a></footer></body></html>"
    )


def write(folder: Path) -> Path:
    """The site's files under `folder`; returns `folder`."""
    (folder / "world").mkdir(parents=True, exist_ok=True)
    (folder / SECTION.lstrip("/")).write_text(section_page(), encoding="utf-8")
    for day, (path, title) in enumerate(STORIES.items(), start=1):
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(story_page(title, day), encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    return folder
