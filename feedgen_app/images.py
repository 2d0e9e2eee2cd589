"""Finding the real URL of an image: lazy-loading attributes, srcset, <picture>, <noscript>. Pure."""

from __future__ import annotations

import re

from feedgen_app.dom import HtmlElement
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


def image_url(img: HtmlElement, base: str) -> str | None:
    """The absolute URL a reader should load for `img`, or None when only a placeholder is known."""
    candidates = [img.get(a) or "" for a in _LAZY_ATTRS]
    for attr in ("data-srcset", "srcset"):
        largest = _largest_in_srcset(img.get(attr) or "")
        if largest:
            candidates.append(largest)
    picture = next((a for a in img.iterancestors("picture")), None)  # libxml2 may nest <img> in <source>
    if picture is not None:
        for source in picture.iter("source"):
            largest = _largest_in_srcset(source.get("srcset") or source.get("data-srcset") or "")
            if largest:
                candidates.append(largest)
    candidates.append(img.get("src") or "")
    noscript = img.getnext()
    if noscript is not None and noscript.tag == "noscript":
        candidates.extend(i.get("src") or "" for i in noscript.iter("img"))
        if noscript.text and "<img" in noscript.text:  # kept as text by some parsers
            m = re.search(r"""src\s*=\s*["']([^"']+)""", noscript.text)
            if m:
                candidates.append(m.group(1))
    for url in candidates:
        if url and not is_placeholder(url):
            resolved = absolute(url, base)
            if resolved.startswith(("http://", "https://")):
                return resolved
    return None
