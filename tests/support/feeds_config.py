"""A feeds.toml with several feeds, one per listing URL, for the tests of many feeds at once."""

from __future__ import annotations

import json
from pathlib import Path

LISTING = "/National/North-Korea"


def config(folder: Path, listings: list[str], **http: object) -> Path:
    http_lines = "\n".join(
        f"{k} = {json.dumps(v)}" for k, v in {"min_delay": 0, "max_per_host": 2, **http}.items()
    )
    feeds = "".join(
        f'\n[[feeds]]\nid = "feed-{i}"\ntitle = "Feed {i}"\nsite = "koreaherald"\nlisting = "{url}"\n'
        for i, url in enumerate(listings)
    )
    path = folder / "feeds.toml"
    path.write_text(
        f'[output]\ndir = "public"\nbase_url = "https://example.test/"\n[state]\npath = "state/s.sqlite"\n'
        f"[http]\n{http_lines}\n{feeds}"
    )
    return path
