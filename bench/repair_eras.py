"""Self-repair across the Korea Herald's layout changes: a feed configured with one era's profile is served
the next era's pages, with `repair = "apply"`, and polled three times.

    C -> D        era-C selectors only; era-D pages (rendered here from the current fixture's gold stories
                  in the documented 2023-24 markup: div.news_title_area, p.news_date, div.news_text_area...)
    D -> E        era-D selectors only; the current (era-E) fixture site
    E -> redesign era-E selectors only; the invented 2027 redesign fixture (new class names everywhere)

Between polls the store forgets its stories (not its learned selectors), so every poll extracts the same
pages again: before and after are compared on the same stories. For each poll: which share of the required
fields (title, published, body) and of the listing came from the profile (its own or learned selectors),
the fields' accuracy against the gold (title, authors and published exact; body token F1 of the entry's
text), fields that were right before and wrong after (must be none), the state `status` shows, and the
poll's time. The same pages with the full built-in profile (written by hand for E) and with repair off
are measured in the same run.

    python bench/repair_eras.py
"""

from __future__ import annotations

import html
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
from _common import machine, report
from support.scoring import html_text, token_f1
from support.site_server import FIXTURES, SiteServer
from support.state import forget_stories

from feedgen_app.cli import main

ERAS: dict[str, dict[str, dict[str, list[str]]]] = {
    "C": {
        "listing": {
            "items": ["div.main_l ul.main_sec_li li a[href]"],
            "next_page": ["div.paging a.on + a[href]"],
        },
        "article": {
            "title": ["h1.view_tit"],
            "subtitle": ["h2.view_tit_sub"],
            "authors": ["div.view_tit_byline_l"],
            "published": ["div.view_tit_byline_r"],
            "updated": ["div.view_tit_byline_r"],
            "image": ["div#articleText table img"],
            "caption": ["div#articleText .view_con_caption"],
            "body": ["div#articleText"],
            "strip": [".view_tit_icon", ".view_main_c_li", ".spot_li", ".khadv_bg", ".main_r"],
        },
    },
    "D": {
        "listing": {"items": ["div.list_wrap ul.news_list li a[href], div.news_list_area li a[href]"]},
        "article": {
            "title": ["div.news_title_area h1.news_title"],
            "subtitle": ["div.news_title_area h2.news_title"],
            "authors": ["div.news_journalist_area .name", "div.news_journalist_area"],
            "published": ["div.news_title_area p.news_date"],
            "updated": ["div.news_title_area p.news_date"],
            "image": ["div.news_text_area div.img_box img"],
            "caption": ["div.news_text_area em.img_caption"],
            "body": ["div.news_text_area"],
            "strip": [".news_btn_wrap"],
        },
    },
    "E": {
        "listing": {
            "items": [
                "section.section_list .main_news a[href], "
                "section.section_list article.recent_news ul.news_list li a[href]"
            ]
        },
        "article": {
            "title": ["section.section_view h1.news_title"],
            "subtitle": ["section.section_view h2.news_title_sub"],
            "authors": ["section.section_view .news_info .writer"],
            "published": ["section.section_view .news_info .date"],
            "updated": ["section.section_view .news_info .date"],
            "image": ["article#articleText figure img"],
            "caption": ["article#articleText figcaption"],
            "body": ["article#articleText.article-body"],
            "strip": [".ad_inner", ".ad_label", ".related_news", ".news_tag", ".popular_news"],
        },
    },
}
REQUIRED = ("title", "published", "body")
LISTING = "/National/North-Korea"


def _ap_date(iso: str) -> str:
    """Era D's AP-style date line: "Nov. 26, 2026 - 07:41"."""
    when = datetime.fromisoformat(iso)
    month = {9: "Sept.", 3: "March", 4: "April", 5: "May", 6: "June", 7: "July"}.get(
        when.month, when.strftime("%b") + "."
    )
    return f"{month} {when.day}, {when.year} - {when:%H:%M}"


_CHROME_TOP = (
    '<div class="gnb"><a href="/list.php?ct=020100000000">National</a> <a href="/list.php?ct=020200000000">'
    'Business</a> <a href="/list.php?ct=020300000000">Life&amp;Style</a> <a href="/list.php?ct=021200000000">'
    'World</a> <a href="/list.php?ct=020600000000">Opinion</a> <a href="/list.php?ct=020300000000">Expat Living</a></div>'
)
_CHROME_BOTTOM = (
    '<div class="main_r"><div class="main_r_tit">MOST POPULAR</div><ul class="main_r_li">'
    '<li><a href="/article/10899001">BTS member to enlist in army next month</a></li>'
    '<li><a href="/article/10899002">Seoul home prices hit a record high, data shows</a></li></ul></div>'
    '<div class="footer"><a href="/privacy">PRIVACY STATEMENT</a><p>Huam-ro 4-gil 10, Yongsan-gu, Seoul</p>'
    "<p>Juvenile Protection Manager: Ahn Sung-mi</p></div>"
)


def era_d_article(entry: dict[str, Any]) -> str:
    """A story of the current fixture's gold in the documented 2023-24 markup."""
    e = {k: html.escape(v) if isinstance(v, str) else v for k, v in entry.items()}
    image = (
        f'<div class="img_box"><img src="{e["image"]}" alt=""><em class="img_caption">{e["caption"]}</em></div>'
        if entry["image"]
        else ""
    )
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in entry["paragraphs"])
    stamp = _ap_date(entry["published"])  # era D prints the first publication time only
    return (
        f"<html><head><title>{e['title']} - The Korea Herald</title></head><body>{_CHROME_TOP}"
        f'<div class="news_content"><div class="news_title_area"><h1 class="news_title">{e["title"]}</h1>'
        f'<p class="news_date">{stamp}</p></div>'
        f'<div class="news_journalist_area"><span class="name">By {e["author"]}</span></div>'
        '<div class="news_btn_wrap"><button>Share</button><button>Font size</button></div>'
        f'<div class="news_text_area">{image}<div class="text_box">{paragraphs}</div></div></div>'
        f"{_CHROME_BOTTOM}</body></html>"
    )


def era_d_listing(entries: list[dict[str, Any]]) -> str:
    items = "".join(
        f'<li><a href="{e["path"]}"><p class="news_title">{html.escape(e["title"])}</p></a>'
        f'<span class="date">{_ap_date(e["published"])}</span></li>'
        for e in entries
    )
    latest = (
        '<div class="latest_news"><h3>Latest News</h3><ul><li><a href="/article/10899003">KOSPI ends higher '
        "on chip rally</a></li></ul></div>"
    )
    return (
        f"<html><head><title>North Korea - The Korea Herald</title></head><body>{_CHROME_TOP}{latest}"
        f'<div class="list_wrap"><ul class="news_list">{items}</ul></div>{_CHROME_BOTTOM}</body></html>'
    )


def era_d_site() -> tuple[SiteServer, dict[str, Any]]:
    gold = json.loads((FIXTURES / "koreaherald/current/gold.json").read_text())
    server = SiteServer()
    server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    server.static(LISTING, era_d_listing(gold["entries"]).encode())
    for entry in gold["entries"]:
        server.static(entry["path"], era_d_article(entry).encode())
    return server, gold


def fixture_site(name: str) -> tuple[SiteServer, dict[str, Any]]:
    return SiteServer(name), json.loads((FIXTURES / name / "gold.json").read_text())


def profile_table(era: str | None, repair: str) -> str:
    """A [sites.koreaherald] table with only one era's selectors (None: the built-in profile whole)."""
    lines = ["[sites.koreaherald]", f'repair = "{repair}"']
    if era is None:
        return "\n".join(lines) + "\n"
    for table, fields in ERAS[era].items():
        lines.append(f"[sites.koreaherald.{table}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in fields.items()]
    return "\n".join(lines) + "\n"


def accuracy(folder: Path, server: SiteServer, gold: dict[str, Any]) -> dict[tuple[str, str], bool | float]:
    """{(story path, field): right? (or the body's F1)} for every gold story, from the feed file."""
    parsed: Any = feedparser.parse((folder / "public" / "north-korea.atom").read_bytes())
    by_link = {e.link: e for e in parsed.entries}
    out: dict[tuple[str, str], bool | float] = {}
    for want in gold["entries"]:
        entry = by_link.get(server.url(want["path"]))
        if entry is None:
            continue
        out[(want["path"], "title")] = entry.title == want["title"]
        out[(want["path"], "authors")] = ", ".join(a.name for a in entry.get("authors", [])) == want["author"]
        out[(want["path"], "published")] = entry.published == want["published"]
        out[(want["path"], "updated")] = entry.updated == want["updated"]
        out[(want["path"], "body")] = token_f1(html_text(entry.content[0].value), want["text"])
    return out


def on_profile(status: dict[str, Any]) -> str:
    sources = status.get("field_sources", {})
    share = []
    for field in REQUIRED:
        counts = sources.get(field, {})
        total = sum(counts.values())
        mine = counts.get("profile", 0) + counts.get("learned", 0)
        share.append(f"{mine}/{total}")
    return " ".join(share)


def summary(acc: dict[tuple[str, str], bool | float]) -> str:
    def right(field: str) -> str:
        values = [v for (_p, f), v in acc.items() if f == field]
        return f"{sum(bool(v) for v in values)}/{len(values)}"

    f1 = [float(v) for (_p, f), v in acc.items() if f == "body"]
    dates = f"{right('published')} | {right('updated')}"
    return f"{right('title')} | {right('authors')} | {dates} | {statistics.mean(f1):.3f}"


def run_case(
    name: str, era: str | None, site: Callable[[], tuple[SiteServer, dict[str, Any]]], repair: str, polls: int
) -> list[dict[str, Any]]:
    server, gold = site()
    rows = []
    with server, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = folder / "feeds.toml"
        config.write_text(
            profile_table(era, repair)
            + '[output]\ndir = "public"\nbase_url = "https://example.org/"\n[state]\npath = "state/feedgen.sqlite"\n'
            + "[http]\nmin_delay = 0\nmax_per_host = 4\n"
            + f'[[feeds]]\nid = "north-korea"\nsite = "koreaherald"\nlisting = "{server.url(LISTING)}"\n'
        )
        for poll in range(1, polls + 1):
            if poll > 1:
                forget_stories(folder)
            started = time.perf_counter()
            main(["--log-level", "ERROR", "build", "--config", str(config)])
            took = time.perf_counter() - started
            status = json.loads((folder / "public" / "status.json").read_text())["feeds"]["north-korea"]
            repair_info = status.get("repair") or {}
            rows.append(
                {
                    "case": name,
                    "poll": poll,
                    "state": status["state"],
                    "why": status["why"],
                    "listing": "profile"
                    if status["profile_matches"] or "listing" not in status["why"]
                    else "fallback",
                    "on_profile": on_profile(status),
                    "acc": accuracy(folder, server, gold),
                    "learned": [f"{x['field']}=`{x['selector']}`" for x in repair_info.get("learned", [])],
                    "dropped": [x["field"] for x in repair_info.get("dropped", [])],
                    "seconds": took,
                }
            )
    return rows


def main_bench() -> None:
    cases: list[tuple[str, str, Callable[[], tuple[SiteServer, dict[str, Any]]]]] = [
        ("C -> D", "C", era_d_site),
        ("D -> E", "D", lambda: fixture_site("koreaherald/current")),
        ("E -> redesign", "E", lambda: fixture_site("redesign")),
    ]
    lines = [
        f"Self-repair across layout eras ({machine()}; `python bench/repair_eras.py`). A feed with one era's",
        "selectors only, `repair = \"apply\"`, served the next era's pages; three polls, the store's stories",
        "forgotten between polls so each extracts the same pages. *on profile*: stories whose title, published,",
        "body came from the profile's own or learned selectors. Accuracy against the gold: title, authors and",
        "published and updated exact (right/stories), body token F1 (mean). *worse*: fields right in poll 1 (from",
        "the fallbacks) and wrong later, or a body F1 lower. *repair off* and *built-in profile* (the hand-written",
        "profile with all three eras) are the same pages in the same run.",
        "",
        "| case | poll | state | on profile (title published body) | title | authors | published | updated | body F1 | worse | learned | s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    failures = []
    for name, era, site in cases:
        rows = run_case(name, era, site, "apply", 3)
        first = rows[0]["acc"]
        for row in rows:
            worse_keys = [
                key
                for key, before in first.items()
                if key in row["acc"]
                and (
                    (isinstance(before, bool) and before and not row["acc"][key])
                    or (isinstance(before, float) and row["acc"][key] < before - 1e-9)
                )
            ]
            worse = len(worse_keys)
            if worse:
                failures.append(f"{name} poll {row['poll']}: worse: {worse_keys}")
            learned = ", ".join(row["learned"]) or (
                "dropped: " + ", ".join(row["dropped"]) if row["dropped"] else "—"
            )
            lines.append(
                f"| {name} | {row['poll']} | {row['state']} | {row['on_profile']} | {summary(row['acc'])} | "
                f"{worse} | {learned} | {row['seconds']:.2f} |"
            )
        for label, era_used, repair in (("repair off", era, "off"), ("built-in profile", None, "off")):
            (ref,) = run_case(name, era_used, site, repair, 1)
            lines.append(
                f"| {name}: {label} | 1 | {ref['state']} | {ref['on_profile']} | {summary(ref['acc'])} | | | "
                f"{ref['seconds']:.2f} |"
            )
        said = " / ".join(f"poll {r['poll']}: {r['state']}: {r['why'][:150]}" for r in rows[:2])
        lines.append(f"| {name}: status says | | | {said.replace('|', '/')} | | | | | | | | |")
    report("repair_eras", lines)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main_bench()
