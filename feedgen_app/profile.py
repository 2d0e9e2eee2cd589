"""Site profiles: site knowledge as data.

Takes a TOML table (built-in `sites/<name>.toml`, or a `[sites.NAME]` table in feeds.toml) and returns a
frozen `SiteProfile`: ordered selectors per field (first match wins), strip rules, story URL patterns,
time zone and date formats. Every selector and pattern is compiled here, so a bad one is a config error
at load time, never a surprise during a poll.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedgen_app.dom import CSSSelector, compile_css
from feedgen_app.errors import ConfigError
from feedgen_app.records import LearnedSelector

ARTICLE_FIELDS = ("title", "subtitle", "authors", "published", "updated", "image", "caption", "body")
REPAIR_MODES = ("suggest", "apply", "off")  # what a site does with selectors learned from the fallbacks


DATA_PATH = "data:"  # a selector that names a path into the page's app data, not elements
_MATCHES_NOTHING = "feedgen-app-data-path"  # a tag no page has: CSS readers of a data path find nothing


@dataclass(frozen=True)
class Selector:
    """A CSS selector, optionally reading an attribute instead of text: `"meta[name=x] @content"`; or, for a
    story's body, a path into the page's embedded app data: `"data:__NEXT_DATA__.props.pageProps.post.body"`
    (the script's id or type, then keys and `[index]`es), for pages that ship their story as data."""

    text: str
    css: str
    attr: str | None
    compiled: CSSSelector = field(compare=False, repr=False)
    learned: bool = (
        False  # learned by the repair stage from what the fallbacks found, not written by a person
    )
    data_path: str | None = None  # a path into the page's app data, in place of the CSS

    @property
    def origin(self) -> str:
        """How a field's source names this selector: "profile:<text>" or "learned:<text>"."""
        return f"{'learned' if self.learned else 'profile'}:{self.text}"

    @classmethod
    def parse(cls, text: str, learned: bool = False) -> Selector:
        if text.startswith(DATA_PATH):
            path = text.removeprefix(DATA_PATH).strip()
            if not re.fullmatch(r"[^\s.\[\]]+(?:\.[^\s.\[\]]+|\[\d+\])+", path):
                raise ValueError("a data path is a script's id or type, then .keys and [indexes]")
            return cls(text, "", None, compile_css(_MATCHES_NOTHING), learned, path)
        raw_css, _, raw_attr = text.partition(" @")
        css = raw_css.strip()
        attr = raw_attr.strip() or None
        if not css:
            raise ValueError("empty selector")
        if attr is not None and not re.fullmatch(r"[A-Za-z_:][-A-Za-z0-9_:.]*", attr):
            raise ValueError(f"bad attribute name {attr!r}")
        return cls(text=text, css=css, attr=attr, compiled=compile_css(css), learned=learned)


@dataclass(frozen=True)
class ListingRules:
    items: tuple[Selector, ...] = ()  # links (or containers of links) of the section's own list
    next_page: tuple[Selector, ...] = ()


@dataclass(frozen=True)
class ArticleRules:
    title: tuple[Selector, ...] = ()
    subtitle: tuple[Selector, ...] = ()
    authors: tuple[Selector, ...] = ()
    published: tuple[Selector, ...] = ()
    updated: tuple[Selector, ...] = ()
    image: tuple[Selector, ...] = ()
    caption: tuple[Selector, ...] = ()
    body: tuple[Selector, ...] = ()
    strip: tuple[Selector, ...] = ()


@dataclass(frozen=True)
class SiteProfile:
    name: str
    title: str = ""
    timezone: str = "UTC"
    id_authority: str = ""  # authority of the entries' tag: URIs; empty: the listing's host
    allowed_hosts: tuple[str, ...] = ()
    keep_query: tuple[str, ...] | None = None  # None: keep all but tracking/paging parameters
    story_urls: tuple[re.Pattern[str], ...] = ()
    image_exclude: tuple[re.Pattern[str], ...] = ()
    date_formats: tuple[str, ...] = ()
    author_strip: tuple[re.Pattern[str], ...] = ()
    title_suffix: tuple[re.Pattern[str], ...] = ()
    test_urls: tuple[str, ...] = ()
    published_labels: tuple[str, ...] = ()  # the site's own words before a date, beside the built-in ones
    updated_labels: tuple[str, ...] = ()
    video_hosts: tuple[str, ...] = ()  # players whose frames become links, beside the well-known ones
    repair: str = "suggest"  # learned selectors: offered ("suggest"), used ("apply") or not learned ("off")
    listing: ListingRules = ListingRules()
    article: ArticleRules = ArticleRules()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_TOP_KEYS = {
    "title",
    "timezone",
    "id_authority",
    "allowed_hosts",
    "keep_query",
    "story_urls",
    "image_exclude",
    "date_formats",
    "author_strip",
    "title_suffix",
    "test_urls",
    "published_labels",
    "updated_labels",
    "video_hosts",
    "repair",
    "listing",
    "article",
    "extends",
}
_LISTING_KEYS = {"items", "next_page"}
_ARTICLE_KEYS = set(ARTICLE_FIELDS) | {"strip"}


def _strings(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(source, key, "must be a list of strings")
    return tuple(value)


def _selectors(value: Any, source: str, key: str) -> tuple[Selector, ...]:
    out = []
    for i, text in enumerate(_strings(value, source, key)):
        try:
            out.append(Selector.parse(text))
        except ValueError as exc:
            raise ConfigError(source, f"{key}[{i}]", f"{text!r}: {exc}") from None
    return tuple(out)


def _patterns(value: Any, source: str, key: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for i, text in enumerate(_strings(value, source, key)):
        try:
            out.append(re.compile(text))
        except re.error as exc:
            raise ConfigError(
                source, f"{key}[{i}]", f"regular expression {text!r} does not compile: {exc}"
            ) from None
    return tuple(out)


def _check_keys(table: Mapping[str, Any], allowed: set[str], source: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(
                source, f"{prefix}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})"
            )


def _table(value: Any, source: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(source, key, "must be a table")
    return value


def merge_tables(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """A custom profile extending a built-in one: nested tables merge, other values replace."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_tables(out[key], value)
        else:
            out[key] = value
    return out


def profile_from_table(name: str, table: Mapping[str, Any], source: str, prefix: str = "") -> SiteProfile:
    """Build and check a profile; `source` and `prefix` say where it came from, for error messages."""
    _check_keys(table, _TOP_KEYS, source, prefix)
    p = prefix
    timezone = table.get("timezone", "UTC")
    if not isinstance(timezone, str):
        raise ConfigError(source, f"{p}timezone", "must be a string such as 'Asia/Seoul'")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(source, f"{p}timezone", f"unknown time zone {timezone!r}") from None
    listing_t = _table(table.get("listing", {}), source, f"{p}listing")
    _check_keys(listing_t, _LISTING_KEYS, source, f"{p}listing.")
    article_t = _table(table.get("article", {}), source, f"{p}article")
    _check_keys(article_t, _ARTICLE_KEYS, source, f"{p}article.")
    keep_query = table.get("keep_query")
    repair = table.get("repair", "suggest")
    if repair not in REPAIR_MODES:
        raise ConfigError(source, f"{p}repair", f"must be one of {', '.join(map(repr, REPAIR_MODES))}")
    for key in ("title", "id_authority"):
        if not isinstance(table.get(key, ""), str):
            raise ConfigError(source, f"{p}{key}", "must be a string")
    return SiteProfile(
        name=name,
        title=table.get("title", ""),
        timezone=timezone,
        id_authority=table.get("id_authority", ""),
        allowed_hosts=tuple(
            h.lower() for h in _strings(table.get("allowed_hosts", []), source, f"{p}allowed_hosts")
        ),
        keep_query=None if keep_query is None else _strings(keep_query, source, f"{p}keep_query"),
        story_urls=_patterns(table.get("story_urls", []), source, f"{p}story_urls"),
        image_exclude=_patterns(table.get("image_exclude", []), source, f"{p}image_exclude"),
        date_formats=_strings(table.get("date_formats", []), source, f"{p}date_formats"),
        author_strip=_patterns(table.get("author_strip", []), source, f"{p}author_strip"),
        title_suffix=_patterns(table.get("title_suffix", []), source, f"{p}title_suffix"),
        test_urls=_strings(table.get("test_urls", []), source, f"{p}test_urls"),
        published_labels=_strings(table.get("published_labels", []), source, f"{p}published_labels"),
        updated_labels=_strings(table.get("updated_labels", []), source, f"{p}updated_labels"),
        video_hosts=tuple(
            h.lower() for h in _strings(table.get("video_hosts", []), source, f"{p}video_hosts")
        ),
        repair=repair,
        listing=ListingRules(**{k: _selectors(v, source, f"{p}listing.{k}") for k, v in listing_t.items()}),
        article=ArticleRules(**{k: _selectors(v, source, f"{p}article.{k}") for k, v in article_t.items()}),
    )


def applied(profile: SiteProfile, learned: Iterable[LearnedSelector]) -> SiteProfile:
    """The profile a poll uses: with the site's `repair = "apply"`, its learned selectors ahead of its own."""
    if profile.repair != "apply":
        return profile
    return with_learned(profile, [(x.field, x.selector) for x in learned if x.site == profile.name])


def with_learned(profile: SiteProfile, learned: Iterable[tuple[str, str]]) -> SiteProfile:
    """The profile with learned (field, selector) pairs ahead of its own selectors for those fields."""
    article: dict[str, tuple[Selector, ...]] = {}
    items: tuple[Selector, ...] = ()
    for name, text in learned:
        sel = Selector.parse(text, learned=True)
        if name == "items":
            items += (sel,)
        elif name in _ARTICLE_KEYS:
            article[name] = (*article.get(name, ()), sel)
    if not article and not items:
        return profile
    return replace(
        profile,
        listing=replace(profile.listing, items=items + profile.listing.items),
        article=replace(profile.article, **{k: v + getattr(profile.article, k) for k, v in article.items()}),
    )


def without_learned(profile: SiteProfile, fields: Iterable[str]) -> SiteProfile:
    """The profile with the learned selectors of `fields` taken out (its own stay)."""
    names = set(fields)
    article = {
        k: tuple(s for s in getattr(profile.article, k) if not s.learned) for k in names & _ARTICLE_KEYS
    }
    items = tuple(s for s in profile.listing.items if not s.learned or "items" not in names)
    return replace(
        profile,
        listing=replace(profile.listing, items=items),
        article=replace(profile.article, **article),
    )


def builtin_names() -> list[str]:
    root = resources.files("feedgen_app") / "sites"
    return sorted(p.name.removesuffix(".toml") for p in root.iterdir() if p.name.endswith(".toml"))


def builtin_table(name: str) -> dict[str, Any]:
    path = resources.files("feedgen_app") / "sites" / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyError(name) from None
