"""Site knowledge lives in profiles: the generic modules name no host, class or label of one site (dates in
many languages are generic; the Korea Herald's own labels, zone and players are its profile's)."""

from __future__ import annotations

import re
from pathlib import Path

import feedgen_app

GENERIC = (
    "clean",
    "generic",
    "dates",
    "discover",
    "most_read",
    "address_kind",
    "headline",
    "metadata",
    "images",
    "main_text",
    "junk",
    "dom",
)
ONE_SITE = re.compile(
    r"koreaherald|koreatimes|khadv|byline_tools|view_con|news_text|kakao|naver|\bKST\b|Asia/Seoul|입력|수정",
    re.IGNORECASE,
)


def test_generic_modules_carry_no_site_knowledge() -> None:
    root = Path(feedgen_app.__file__).parent
    found = []
    for name in GENERIC:
        path = next(root.rglob(f"{name}.py"))  # wherever its stage's package keeps it
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ONE_SITE.search(line):
                found.append(f"{name}.py:{n}: {line.strip()}")
    assert not found, "site knowledge belongs in feedgen_app/sites/*.toml:\n" + "\n".join(found)
