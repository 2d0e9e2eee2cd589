"""Site knowledge lives in profiles: the generic modules name no host, class or label of one site (dates in
many languages are generic; the Korea Herald's own labels, zone and players are its profile's)."""

from __future__ import annotations

import re
from pathlib import Path

import feedgen_app

ROOT = Path(feedgen_app.__file__).parent
# Every module of every stage that reads pages no profile describes, and the base modules they share; the
# command line, the config (whose defaults name the Korea Herald) and the profiles (sites/*.toml) are not
STAGES = ("discovery", "extraction", "repair", "fetching", "publishing", "storage", "running", "commands")
BASE = ("address_kind", "chrome", "dom", "urls", "url_parts", "nesting", "records", "filters", "wording")
GENERIC = sorted(
    [path for stage in STAGES for path in (ROOT / stage).rglob("*.py")]
    + [ROOT / f"{name}.py" for name in BASE]
)
ONE_SITE = re.compile(
    r"koreaherald|koreatimes|khadv|byline_tools|view_con|news_text|kakao|naver|\bKST\b|Asia/Seoul|입력|수정",
    re.IGNORECASE,
)


def test_generic_modules_carry_no_site_knowledge() -> None:
    assert len(GENERIC) > 60 and all(path.exists() for path in GENERIC)
    found = []
    for path in GENERIC:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ONE_SITE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "site knowledge belongs in feedgen_app/sites/*.toml:\n" + "\n".join(found)


def test_one_notion_of_page_chrome() -> None:
    """Discovery and extraction share one definition of menus, headers, footers and side boxes and one
    most-read word list (chrome.py): no other module spells its own set of those tags or words."""
    own_set = re.compile(r"frozenset\(\{[^}]*\"nav\"[^}]*\"footer\"|most\[\\s-\]\*\(\?:popular|meistgelesen")
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in GENERIC
        if path.name != "chrome.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own_set.search(line)
    ]
    assert not found, "page chrome is defined in feedgen_app/chrome.py: " + ", ".join(found)
