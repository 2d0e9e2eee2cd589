"""Finding the real URL of an image: lazy-loading attributes, srcset, <picture>, <noscript>. Pure."""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import unquote

from feedgen_app.dom import HtmlElement
from feedgen_app.url_parts import parts_of
from feedgen_app.urls import web_address

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


# What a file name says of a logo, a share card or a placeholder that a site puts in og:image when a
# story has no photo of its own: whole words of the name ("Site-Logo-header", "SearchlightLogo",
# "og-default"), never a part of one ("blog-image" is not "og-image", "FranShares" not "share").
_NOT_A_PHOTO_WORDS = {
    "logo",
    "default",
    "placeholder",
    "noimage",
    "ogimage",
    "share",
    "sns",
    "blank",
    "spacer",
}
_NOT_A_PHOTO_PAIRS = {("no", "image"), ("og", "image")}  # "share" needs no pair: it is a word of its own
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def not_a_photo(url: str) -> bool:
    """True for a data: URL, an SVG drawing, or an image file named as a logo, share card or placeholder."""
    name = unquote(parts_of(url).path.rsplit("/", 1)[-1])
    stem, _dot, extension = name.rpartition(".")
    if url.startswith("data:") or extension.lower() == "svg":
        return True
    if extension.lower() not in ("png", "jpg", "jpeg", "gif", "webp", "avif"):
        return False  # a script that draws the picture (`/api/og-image?id=…`) says nothing by its name
    words = [w.lower() for w in _NAME_WORDS.findall(stem)]
    return bool(_NOT_A_PHOTO_WORDS.intersection(words)) or any(
        pair in _NOT_A_PHOTO_PAIRS for pair in pairwise(words)
    )


def _declared(img: HtmlElement, side: str) -> int | None:
    """The width or height an <img> declares in pixels, by attribute or inline style."""
    found = re.match(r"\s*(\d+)(?:px)?\s*$", img.get(side) or "")
    if not found:
        found = re.search(rf"(?:^|;|\s){side}\s*:\s*(\d+)px", img.get("style") or "", re.IGNORECASE)
    return int(found.group(1)) if found else None


SMALLEST_PHOTO = 150  # pixels a side: smaller is an icon, an avatar or a badge
WIDEST_PHOTO = 4.0  # width to height: wider is a banner (an ad, a call to action)


def is_icon_or_banner(img: HtmlElement) -> bool:
    """An <img> that says by its size that it is not a story's photo."""
    width, height = _declared(img, "width"), _declared(img, "height")
    if any(side is not None and side <= SMALLEST_PHOTO for side in (width, height)):
        return True
    return width is not None and height is not None and height > 0 and width / height >= WIDEST_PHOTO


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
            resolved = web_address(url, base)
            if resolved:
                return resolved
    return None


# A picture's size or crop written into its address: `-1200x800`, `_768w`, `@2x`, `-scaled`, `/w_600/`,
# `/1200x800/`, `?w=600&h=400&fit=crop`: one picture, many files, as CDNs and CMSs serve them
_SIZE_IN_NAME = re.compile(
    r"[-_@.](?:\d{2,5}x\d{2,5}|\d{2,5}w|\d(?:\.\d)?x|scaled|min|large|medium|small|thumb(?:nail)?|sq|crop)$",
    re.IGNORECASE,
)
_SIZE_FOLDER = re.compile(
    r"^(?:\d{2,5}x\d{2,5}|[wh]_?\d{2,5}|[a-z]{1,2}_[\w.:]+(?:,[a-z]{1,2}_[\w.:]+)*|fit-in|resize|thumbs?|"
    r"width[-_=]?\d+|filters:.*|images?|img|media|uploads?)$",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"\.(?:jpe?g|png|webp|gif|avif|pjpeg|jfif|heic|tiff?)$", re.IGNORECASE)
GENERIC_NAME = 8  # characters: a shorter file name (`image`, `photo1`) could be any picture on its own


def _picture_parts(url: str) -> tuple[tuple[str, ...], str]:
    """The folders (sizes left out) and the file name (size and extension left out) of a picture."""
    path = unquote(parts_of(url).path).lower()
    segments = [s for s in path.split("/") if s]
    name = _EXTENSION.sub("", segments[-1]) if segments else ""
    while (shorter := _SIZE_IN_NAME.sub("", name)) != name:
        name = shorter
    folders = tuple(s for s in segments[:-1] if not _SIZE_FOLDER.match(s))
    return folders, name


def same_picture(a: str, b: str) -> bool:
    """Two addresses of one picture in two sizes or crops (`harbour-1200x800.jpg` and
    `harbour-768x512.jpg`, `photo.jpg?w=1200` and `photo.jpg?w=600`, from one CDN or two): the same file name
    once sizes are set aside, and, for a name too short to tell, the same folders too."""
    if a == b:
        return True
    (folders_a, name_a), (folders_b, name_b) = _picture_parts(a), _picture_parts(b)
    if not name_a or name_a != name_b:
        return False
    return len(name_a) >= GENERIC_NAME or folders_a == folders_b
