"""Every field of a story has a size a reader expects: a title is a few hundred characters, a byline a
few names. A page that puts four megabytes in its headline (by accident or to hurt) gives a title cut at
a word, with a note, and never a feed file of that size. The body has its own bound (`max_story_kb`)."""

from __future__ import annotations

from dataclasses import replace

from feedgen_app.records import Image, Story

TITLE_MAX = 300
SUBTITLE_MAX = 600
AUTHOR_MAX = 120
AUTHORS_MAX = 20
CAPTION_MAX = 1000
ALT_MAX = 500


def cut(text: str, limit: int) -> str:
    """`text` when it fits in `limit` characters, else its start cut at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    start = text[: limit - 1]
    return (start.rsplit(" ", 1)[0] if " " in start[limit // 2 :] else start).rstrip(",;: ") + "…"


def bounded(story: Story) -> Story:
    """The story with every field within its bound; what was cut is said in its warnings."""
    notes = []
    title = cut(story.title, TITLE_MAX)
    if title != story.title:
        notes.append(f"title cut to {TITLE_MAX} of its {len(story.title):,} characters")
    authors = tuple(cut(a, AUTHOR_MAX) for a in story.authors[:AUTHORS_MAX])
    if len(story.authors) > AUTHORS_MAX:
        notes.append(f"{len(story.authors)} authors: the first {AUTHORS_MAX} kept")
    image = story.image
    if image is not None:
        caption = cut(image.caption, CAPTION_MAX) if image.caption else image.caption
        image = Image(url=image.url, caption=caption, alt=cut(image.alt, ALT_MAX))
    subtitle = cut(story.subtitle, SUBTITLE_MAX) if story.subtitle else story.subtitle
    if not notes and (title, authors, image, subtitle) == (
        story.title,
        story.authors,
        story.image,
        story.subtitle,
    ):
        return story
    return replace(
        story,
        title=title,
        authors=authors,
        image=image,
        subtitle=subtitle,
        warnings=story.warnings + tuple(notes),
    )
