"""The story's lead image: the profile's selectors, then JSON-LD and OpenGraph, then the body's first photo;
with its caption from the profile, else from beside the picture in the page. Pure."""

from __future__ import annotations

from collections.abc import Callable

from feedgen_app.dom import HtmlElement, select, text_of
from feedgen_app.extraction.clean import squash
from feedgen_app.extraction.images import image_url, is_icon_or_banner, not_a_photo, same_picture
from feedgen_app.extraction.story_page import StoryPage, first_text
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Image
from feedgen_app.urls import web_address


def excluded_image(url: str, profile: SiteProfile) -> bool:
    return not_a_photo(url) or any(p.search(url) for p in profile.image_exclude)


def _caption_near(img: HtmlElement) -> str | None:
    for parent in img.iterancestors():
        if parent.tag in ("article", "body", "section"):
            break
        for cap in parent.iter():
            if cap.tag == "figcaption" or "caption" in (cap.get("class") or "").lower():
                text = text_of(cap)
                if text:
                    return text
    return None


def lead_image(p: StoryPage, body: HtmlElement | None) -> Image | None:
    profile, base = p.profile, p.base
    url: str | None = None
    img_tag: HtmlElement | None = None
    for sel in profile.article.image:
        for tag in select(sel.compiled, p.doc):
            candidate = web_address(tag.get(sel.attr) or "", base) if sel.attr else image_url(tag, base)
            if candidate and not excluded_image(candidate, profile):
                url, img_tag = candidate, tag
                p.sources["image"] = sel.origin
                break
        if url:
            break
    if (
        url is None
        and profile.article.image
        and not any(select(sel.compiled, p.doc) for sel in profile.article.image)
    ):
        p.missed.add("image")
    if url is None:
        metadata_images: list[tuple[str, Callable[[], str | None]]] = [
            ("json-ld", lambda: p.ld.image),
            ("opengraph", lambda: p.og.image),
        ]
        for source, raw in metadata_images:
            value = raw()
            candidate = web_address(value, base) if value else None  # never `javascript:` or `data:`
            if candidate and not excluded_image(candidate, profile):
                url = candidate
                p.sources["image"] = source
                break
    if url is None and body is not None:
        for tag in body.iter("img"):
            candidate = image_url(tag, base)
            if candidate and not excluded_image(candidate, profile) and not is_icon_or_banner(tag):
                url, img_tag = candidate, tag
                p.sources["image"] = "generic"
                break
    if url is None:
        return None
    if img_tag is None and body is not None:  # a metadata image: is it also shown in the body?
        img_tag = next((t for t in body.iter("img") if same_picture(image_url(t, base) or "", url)), None)
    caption = None
    found = first_text(p.doc, profile.article.caption)
    if found:
        caption, p.sources["caption"] = found
    elif profile.article.caption:
        p.missed.add("caption")
    if not found and img_tag is not None:
        caption = _caption_near(img_tag)
        if caption:
            p.sources["caption"] = "generic"
    alt = squash(img_tag.get("alt") or "") if img_tag is not None else ""
    return Image(url=url, caption=caption, alt=alt or (caption or ""))
