"""The learned selectors as a `[sites.NAME]` table to paste into feeds.toml: each learned selector ahead of
the profile's own for its field (a table in feeds.toml replaces the built-in list, so the list is whole)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from feedgen_app.profile import Selector, SiteProfile
from feedgen_app.records import LearnedSelector


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _parts(text: str, field: str) -> list[str]:
    """A learned strip is several selectors joined; every other field keeps its selector whole."""
    return [p.strip() for p in text.split(",")] if field == "strip" else [text]


def toml_patch(profile: SiteProfile, learned: Sequence[LearnedSelector]) -> str:
    """The TOML table, or "" when nothing was learned."""
    if not learned:
        return ""
    tables: dict[str, list[str]] = {}
    for item in sorted(learned, key=lambda x: x.field):
        table = "listing" if item.field == "items" else "article"
        own: tuple[Selector, ...] = getattr(getattr(profile, table), item.field)
        values = _parts(item.selector, item.field) + [s.text for s in own if not s.learned]
        line = f"{item.field} = [{', '.join(_quoted(v) for v in dict.fromkeys(values))}]"
        tables.setdefault(table, []).append(f"# {item.why}\n{line}")
    out = [
        f'# learned from the fallbacks; paste into feeds.toml, or set repair = "apply"\n[sites.{profile.name}]'
    ]
    for table, lines in tables.items():
        out.append(f"[sites.{profile.name}.{table}]\n" + "\n".join(lines))
    return "\n".join(out) + "\n"
