"""Whether a link's text reads as a headline: how many words it has, in any script. Pure."""

from __future__ import annotations

import re

from feedgen_app.dom import HtmlElement, text_of

# Scripts written without spaces between words: a headline of ten words is some twenty characters.
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SOUTHEAST_ASIAN = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")  # Thai, Lao, Myanmar, Khmer
_WORD = re.compile(r"[^\W\d_]")  # a token with a letter in it ("29", "-" and "|" are not words)
# "» More", "All stories ›", "Full Story »": a link to more of something, not a headline
_MORE_ARROW = re.compile(r"^\W*[»›→]|[»›→]\W*$")


# A short link text that names a picture or a clip ("Reuters Photo", "(View Photo)", "Video", "사진"): the
# link goes to the media page, not to a story.
_MEDIA = re.compile(
    r"\b(?:photos?|fotos?|foto|pictures?|pics|images?|bilder?|video|videos|vídeos?|clips?|slideshows?|"
    r"galler(?:y|ies)|galerie|galería|galleria|audio|podcast|listen|watch)\b|사진|동영상|영상|写真|動画|图片|视频|圖片|視頻",
    re.IGNORECASE,
)
MEDIA_WORDS = 3


def names_media(text: str) -> bool:
    """A link text of a few words that names a picture, a gallery or a clip."""
    return headline_words(text) <= MEDIA_WORDS and bool(_MEDIA.search(text))


def link_text(a: HtmlElement) -> str:
    """What the link says: its text, else its picture's alt text or its title."""
    text = text_of(a)
    if text:
        return text
    for img in a.iter("img"):
        alt = " ".join((img.get("alt") or img.get("title") or "").split())
        if alt:
            return alt
    return " ".join((a.get("title") or "").split())


def headline_words(text: str) -> float:
    """The words of a link text: tokens with a letter, and characters of scripts without spaces counted
    as words of two (Chinese, Japanese) or five (Thai...) characters. A "more »" link has none."""
    if not text or _MORE_ARROW.search(text):
        return 0.0
    spaced = sum(
        1
        for token in text.split()
        if _WORD.search(token) and not (_HAN_KANA.search(token) or _SOUTHEAST_ASIAN.search(token))
    )
    return spaced + len(_HAN_KANA.findall(text)) / 2 + len(_SOUTHEAST_ASIAN.findall(text)) / 5
