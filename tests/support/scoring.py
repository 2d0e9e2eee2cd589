"""Token F1 between the text a feed entry carries and the gold text a person reads on the page."""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def token_f1(got: str, gold: str) -> float:
    a, b = Counter(tokens(got)), Counter(tokens(gold))
    if not a and not b:
        return 1.0
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(a.values())
    recall = overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def html_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment, one block a line."""
    soup = BeautifulSoup(fragment, "lxml")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    return soup.get_text("\n")


def leaks(text: str, boilerplate: list[str]) -> list[str]:
    return [b for b in boilerplate if b in text]
