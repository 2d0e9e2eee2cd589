"""Per-feed `include` / `exclude` rules, as RSSHub's filter parameters and Miniflux's keep and block rules
work: a story is published when it matches at least one `include` rule (if any are given) and no `exclude`
rule. Pure: rules are parsed once at config load, then matched against stories.

A rule is `[FIELD:]PATTERN`. FIELD is `title`, `author`, `text` or `any` (the default: title, authors and
text). PATTERN is words, matched case-insensitively as whole words (`missile` matches "Missile launch", not
"missiles"), or a regular expression between slashes (`/missiles?/`, case-insensitive).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from feedgen_app.records import Story

FIELDS = ("any", "title", "author", "text")


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    source: str  # as written, for messages
    field: str
    pattern: re.Pattern[str]

    def matches(self, story: Story) -> bool:
        return any(self.pattern.search(value) for value in _values(story, self.field))


def _values(story: Story, field: str) -> list[str]:
    title, authors, text = [story.title, story.subtitle or ""], list(story.authors), [story.body_text]
    return {"title": title, "author": authors, "text": text}.get(field, title + authors + text)


def parse_rule(text: str) -> Rule:
    field, sep, rest = text.partition(":")
    if sep and field.strip().lower() in FIELDS:
        field, pattern = field.strip().lower(), rest.strip()
    elif sep and re.fullmatch(r"[A-Za-z]+", field) and rest[:1].strip():
        # `autor:AFP` (no space after the colon) is a misspelt field; "note: words" are words to match
        raise RuleError(
            f"{text!r} names no field {field!r} (fields: {', '.join(FIELDS)}); to match the words "
            f"themselves, write 'any:{text}'"
        )
    else:
        field, pattern = "any", text.strip()
    if not pattern:
        raise RuleError(f"{text!r} has nothing to match")
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        try:
            return Rule(text, field, re.compile(pattern[1:-1], re.IGNORECASE))
        except re.error as exc:
            raise RuleError(f"{text!r} is not a valid regular expression: {exc}") from None
    words = r"\s+".join(re.escape(w) for w in pattern.split())
    return Rule(text, field, re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE))


def wanted(story: Story, include: Sequence[Rule], exclude: Sequence[Rule]) -> bool:
    if include and not any(rule.matches(story) for rule in include):
        return False
    return not any(rule.matches(story) for rule in exclude)
