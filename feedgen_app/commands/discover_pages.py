"""`feedgen-app discover`: which story links discovery takes from saved listing pages or live URLs, and why.

Takes files (`.html`, `.html.gz`) or http(s) URLs and a site profile (`auto`: none); writes, per input, the
stories in listing order with the list each came from and why it was taken, then the links left out with
why (a JSON object a line, or text). Exit code as for `extract`: 0 when every input gave stories, 1 when
some gave none or could not be read. Users run it when they add a site; bench/discover_real.py uses it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from feedgen_app.commands.extract_pages import input_failure, read_input, site_profile
from feedgen_app.commands.page_loop import PagesRead, over_inputs
from feedgen_app.discovery.discover import FALLBACK_SOURCE, discover, nothing_found
from feedgen_app.errors import FeedgenError
from feedgen_app.fetching.http import Fetcher
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Discovery, LinkVerdict
from feedgen_app.wording import count, noun

FORMATS = ("json", "text")


@dataclass(frozen=True)
class Found:
    input: str
    url: str
    discovery: Discovery | None = None
    error: str | None = None

    def taken(self) -> list[LinkVerdict]:
        """The stories in listing order, each with why and where (selectors say only which matched)."""
        if self.discovery is None:
            return []
        why = {v.url: v for v in self.discovery.verdicts}
        how = "" if self.discovery.source == FALLBACK_SOURCE else f"listing selector {self.discovery.source}"
        return [why.get(r.url) or LinkVerdict(r.url, r.listing_text, True, how) for r in self.discovery.refs]

    def left_out(self) -> list[LinkVerdict]:
        return [v for v in self.discovery.verdicts if not v.taken] if self.discovery else []


def discover_one(name: str, profile: SiteProfile, url: str | None, fetcher: Fetcher | None) -> Found:
    try:
        page, note = read_input(name, url, fetcher)
        if note:  # every link would resolve against a file: say how to give them their site
            raise FeedgenError(f"{name}: {note}")
        return Found(name, page.final_url, discovery=discover(page, profile))
    except Exception as exc:  # one input's failure is reported, and the others are still read
        where, error = input_failure(name, url, exc)
        return Found(name, where, error=error)


def as_json(found: Found) -> dict[str, Any]:
    def link(v: LinkVerdict) -> dict[str, str]:
        return {"url": v.url, "text": v.text, "why": v.why, "list": v.box}

    return {
        "input": found.input,
        "url": found.url,
        "source": found.discovery.source if found.discovery else None,
        "stories": [link(v) for v in found.taken()],
        "left_out": [link(v) for v in found.left_out()],
        "error": found.error,
    }


def _as_text(found: Found) -> str:
    lines = [f"== {found.input}" + (f" ({found.url})" if found.url and found.url != found.input else "")]
    if found.discovery is None:
        return "\n".join([*lines, f"error: {found.error}", ""])
    taken, left = found.taken(), found.left_out()
    lines.append(
        f"{count(len(taken), 'story')} via {found.discovery.source}; {len(left)} other {noun(len(left), 'address')} left out"
    )
    if not taken:
        lines.append(nothing_found(found.discovery, found.url))
    for n, v in enumerate(taken, 1):
        lines.append(
            f"{n:4}. {v.url}\n      {v.text[:100]!r}\n      why: {v.why}" + (f"; in {v.box}" if v.box else "")
        )
    if left:
        lines.append("left out:")
    lines += [f"      {v.url}  {v.text[:60]!r}: {v.why}" for v in left]
    return "\n".join([*lines, ""])


def run_discover(
    inputs: Sequence[str],
    site: str,
    profiles: Mapping[str, SiteProfile],
    url: str | None,
    fmt: str,
    out: TextIO,
    fetcher: Fetcher | None = None,
    stop: threading.Event | None = None,
) -> PagesRead:
    profile = site_profile(site, profiles)

    def one(name: str) -> tuple[str, bool]:
        found = discover_one(name, profile, url, fetcher)
        text = json.dumps(as_json(found), ensure_ascii=False) if fmt == "json" else _as_text(found)
        return text, bool(found.taken())

    return over_inputs(inputs, one, out, stop)
