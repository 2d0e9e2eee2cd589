"""A story as the store keeps it: one JSON text a row (every field, aware datetimes as ISO strings), and the
hash of what a reader sees, whose change is a revision. Pure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from feedgen_app.records import Image, Story


def iso_or_none(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def datetime_or_none(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def story_to_json(story: Story) -> str:
    data = asdict(story)
    data["published"] = iso_or_none(story.published)
    data["updated"] = iso_or_none(story.updated)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def story_from_json(text: str) -> Story:
    data: dict[str, Any] = json.loads(text)
    image = data.get("image")
    return Story(
        url=data["url"],
        story_id=data["story_id"],
        title=data["title"],
        authors=tuple(data.get("authors", ())),
        published=datetime_or_none(data.get("published")),
        updated=datetime_or_none(data.get("updated")),
        body_html=data["body_html"],
        body_text=data["body_text"],
        subtitle=data.get("subtitle"),
        image=Image(**image) if image else None,
        summary=data.get("summary", ""),
        sources=tuple((str(p[0]), str(p[1])) for p in data.get("sources", ())),
        warnings=tuple(data.get("warnings", ())),
        cut=data.get("cut"),
        missed=tuple(data.get("missed", ())),
    )


def content_hash(story: Story) -> str:
    """What a reader sees: a change here is a revision."""
    parts = [
        story.title,
        story.subtitle or "",
        "\n".join(story.authors),
        story.body_html,
        story.image.url if story.image else "",
        (story.image.caption or "") if story.image else "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
