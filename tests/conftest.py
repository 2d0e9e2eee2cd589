from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.site_server import FIXTURES, SiteServer


def gold(site: str) -> dict[str, Any]:
    return json.loads((FIXTURES / site / "gold.json").read_text())


def write_config(
    folder: Path,
    listing: str,
    extra_feed: str = "",
    extra_top: str = "",
    site: str = "koreaherald",
    **http: object,
) -> Path:
    http_lines = "\n".join(
        f"{k} = {json.dumps(v)}" for k, v in {"min_delay": 0, "max_per_host": 4, **http}.items()
    )
    path = folder / "feeds.toml"
    path.write_text(
        f"""{extra_top}
[output]
dir = "public"
base_url = "https://example.github.io/feeds/"

[state]
path = "state/feedgen.sqlite"

[http]
{http_lines}

[[feeds]]
id = "north-korea"
title = "The Korea Herald: North Korea"
site = "{site}"
listing = "{listing}"
{extra_feed}
"""
    )
    return path


@pytest.fixture
def current_site() -> Iterator[SiteServer]:
    with SiteServer("koreaherald/current") as server:
        yield server


@pytest.fixture
def site_2022() -> Iterator[SiteServer]:
    with SiteServer("koreaherald/2022") as server:
        yield server
