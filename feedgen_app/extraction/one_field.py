"""One field read by one selector, as extract_story reads the profile's selectors: what the repair stage
asks of each candidate selector it tries. Pure."""

from __future__ import annotations

from datetime import datetime

from feedgen_app.dom import HtmlElement, select
from feedgen_app.extraction.dates import find_labelled_date, plausible
from feedgen_app.extraction.extract import labels_of, split_authors
from feedgen_app.extraction.images import image_url
from feedgen_app.extraction.lead_image import excluded_image
from feedgen_app.extraction.story_page import first_text
from feedgen_app.profile import Selector, SiteProfile
from feedgen_app.urls import web_address


def read_field(
    doc: HtmlElement, base: str, field: str, sel: Selector, profile: SiteProfile, now: datetime | None
) -> object | None:
    """What one selector gives for one field, read as extract_story reads the profile's selectors: a
    string (title, subtitle, caption), a tuple of names (authors), a datetime (dates) or an image URL
    (image). None when it gives nothing. (A body is judged by the whole extraction: see the repair stage.)"""
    if field == "image":
        for tag in select(sel.compiled, doc):
            url = web_address(tag.get(sel.attr) or "", base) if sel.attr else image_url(tag, base)
            if url and not excluded_image(url, profile):
                return url
        return None
    found = first_text(doc, [sel], join_all=field in ("published", "updated"))
    if not found:
        return None
    if field == "authors":
        return split_authors(found[0], profile) or None
    if field in ("published", "updated"):
        own, others = labels_of(field, profile)
        parsed = find_labelled_date(found[0], own, profile.zone, profile.date_formats, others)
        return parsed if plausible(parsed, now) else None
    return found[0]
