"""Finding the real URL of an image: lazy-loading attributes, srcset, <picture>, <noscript>. Pure."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from feedgen_app.urls import absolute

_LAZY_ATTRS = (
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-url",
    "data-full-src",
    "data-hi-res-src",
)
_PLACEHOLDER = re.compile(
    r"^data:|blank\.|spacer\.|placeholder|1x1|pixel\.gif|transparent\.|lazy[-_]?load", re.I
)


def is_placeholder(url: str) -> bool:
    return not url.strip() or bool(_PLACEHOLDER.search(url))


def _largest_in_srcset(srcset: str) -> str | None:
    best: tuple[float, str] | None = None
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        size = 1.0
        if len(bits) > 1:
            m = re.match(r"([\d.]+)([wx])$", bits[1])
            if m:
                size = float(m.group(1))
        if best is None or size > best[0]:
            best = (size, bits[0])
    return best[1] if best else None


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def image_url(img: Tag, base: str) -> str | None:
    """The absolute URL a reader should load for `img`, or None when only a placeholder is known."""
    candidates = [_attr(img, a) for a in _LAZY_ATTRS]
    for attr in ("data-srcset", "srcset"):
        largest = _largest_in_srcset(_attr(img, attr))
        if largest:
            candidates.append(largest)
    picture = img.find_parent("picture")  # libxml2 may nest the <img> inside an unclosed <source>
    if isinstance(picture, Tag):
        for source in picture.find_all("source"):
            largest = _largest_in_srcset(_attr(source, "srcset") or _attr(source, "data-srcset"))
            if largest:
                candidates.append(largest)
    candidates.append(_attr(img, "src"))
    for nxt in img.find_next_siblings("noscript", limit=1):
        inner = BeautifulSoup(nxt.decode_contents(), "lxml").find("img")
        if isinstance(inner, Tag):
            candidates.append(_attr(inner, "src"))
    for url in candidates:
        if url and not is_placeholder(url):
            resolved = absolute(url, base)
            if resolved.startswith(("http://", "https://")):
                return resolved
    return None
