"""`feedgen-app build` with `site = "auto"` on every real listing page of `../shared/benchmarks/listings`,
each served at its own path by a local server (its stories are not in the set: they answer 404). What must
hold: every build publishes or holds its feed with a named reason, never an internal error, and discovery
asks for the stories the page lists. Reports the states, the reasons and how many story links each build
asked for.

    python bench/listing_builds.py
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from _common import machine, report
from support.site_server import SiteServer

from feedgen_app.cli import main

LISTINGS = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "listings"


def main_run() -> None:
    pages = json.loads((LISTINGS / "pages.json").read_text())
    states: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    asked: list[int] = []
    bugs = 0
    for p in pages:
        parts = urlsplit(p["url"])
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        body = gzip.decompress((LISTINGS / "html" / f"{p['id']}.html.gz").read_bytes())
        with tempfile.TemporaryDirectory() as tmp, SiteServer() as site:
            site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
            site.static(target, body, "text/html")
            folder = Path(tmp)
            (folder / "feeds.toml").write_text(
                '[output]\ndir = "public"\nbase_url = "https://example.test/"\n[http]\nmin_delay = 0\n'
                f'max_per_host = 8\nretries = 0\n[[feeds]]\nid = "page"\nsite = "auto"\nlisting = "{site.url(target)}"\n'
            )
            main(["build", "--config", str(folder / "feeds.toml")])
            status = json.loads((folder / "public" / "status.json").read_text())["feeds"]["page"]
            states[status["state"]] += 1
            why = str(status.get("why") or "")
            bugs += "internal error" in why or bool(status.get("last_poll", {}).get("bugs"))
            short = re.sub(
                r"\d+", "N", re.sub(r"https?://\S+", "URL", why.split(";")[0].split(", the first")[0])
            )
            reasons[short[:70] if status["state"] != "healthy" else "healthy"] += 1
            asked.append(sum(1 for r in site.requests if r.path not in ("/robots.txt", target)))
    lines = [
        "### Builds on real listing pages (`bench/listing_builds.py`)",
        "",
        f"{machine()}; {len(pages)} pages of `../shared/benchmarks/listings`, each the `listing` of a feed with "
        '`site = "auto"`, served locally (their stories answer 404).',
        "",
        "| builds | internal errors | states | story links asked for (median) |",
        "|---|---|---|---|",
        f"| {len(pages)} | {bugs} | {', '.join(f'{k} {v}' for k, v in sorted(states.items()))} | "
        f"{sorted(asked)[len(asked) // 2]} |",
        "",
        "Reasons: " + "; ".join(f"{n} × {why!r}" for why, n in reasons.most_common(5)) + ".",
    ]
    report("listing-builds", lines)


if __name__ == "__main__":
    main_run()
