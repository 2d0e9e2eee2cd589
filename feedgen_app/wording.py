"""Counted nouns for messages a person reads: "1 feed", "2 feeds", "1 of 1 story". Pure."""

from __future__ import annotations

_PLURALS = {"story": "stories", "entry": "entries", "address": "addresses", "is": "are", "was": "were"}


def noun(n: int, word: str) -> str:
    """`word` as `n` of it takes it: "story" or "stories"."""
    return word if n == 1 else _PLURALS.get(word, word + "s")


def count(n: int, word: str) -> str:
    """ "1 feed", "2 feeds", "0 stories"."""
    return f"{n:,} {noun(n, word)}"
