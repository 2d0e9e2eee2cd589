"""URL canonicalisation and story-URL rules. Pure functions of strings and a profile."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlunsplit

from feedgen_app.address_kind import address_kind
from feedgen_app.profile import SiteProfile
from feedgen_app.url_parts import join, parts_of, split

# Dropped from every canonical URL when a profile does not list the parameters to keep.
# Parameters known to track, never to name a page: ad-click ids, mail-campaign and analytics tags, share
# markers of the big platforms, server sessions (the kinds browsers' query stripping removes). A site's
# own parameters (`sid`, `page`, `from`, `np`…) name stories on some sites: only its profile's
# `keep_query` drops them.
_TRACKING = re.compile(
    r"^(utm_\w*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|igshid|igsh"
    r"|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|rb_clickid"
    r"|s_kwcid|ref_src|ref_url|spm|_openstat|sessionid|phpsessid|jsessionid|aspsessionid)$",
    re.IGNORECASE,
)
# What canonical() also dropped before state schema 9: stories stored then are kept under such addresses
_DROPPED_BEFORE = re.compile(r"^(mc_[a-z]+|ref|ACE_SEARCH|np|mp|page|cpage|sid|from|share)$", re.IGNORECASE)
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"


MAX_URL = 8192  # characters: longer is no link a page means (a megabyte `og:image`, a data dump)


def absolute(url: str, base: str) -> str:
    """`url` resolved against `base`; whitespace inside attribute values is dropped as browsers do. An
    address that cannot name a page (an unclosed IPv6 bracket, a port out of range, over MAX_URL
    characters) gives "", which no caller takes for a link."""
    url = re.sub(r"[\t\n\r]", "", url).strip()
    if len(url) > MAX_URL:
        return ""
    return join(base, url)


def web_address(url: str, base: str) -> str | None:
    """`url` resolved against `base` when it names a web page or file (http or https); None for
    `javascript:`, `data:`, `mailto:` and addresses that cannot name a page."""
    resolved = absolute(url, base) if url else ""
    return resolved if resolved.lower().startswith(("http://", "https://")) else None


def canonical(url: str, profile: SiteProfile) -> str:
    """Lower-cased scheme and host, no default port, no fragment, only meaningful query parameters,
    sorted; "" for an address that cannot name a page."""
    parts = split(url)
    if parts is None:
        return ""
    port = parts.port
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host if port is None or (scheme, port) in {("http", 80), ("https", 443)} else f"{host}:{port}"
    path = quote(unquote(parts.path), safe=_SAFE_PATH) or "/"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if profile.keep_query is not None:
        keep = set(profile.keep_query)
        pairs = [(k, v) for k, v in pairs if k in keep]
    else:
        pairs = [(k, v) for k, v in pairs if not _TRACKING.match(k)]
    query = urlencode(sorted(dict(pairs).items()))
    return urlunsplit((scheme, netloc, path, query, ""))


def former_canonical(url: str) -> str:
    """The address canonical() gave a story before state schema 9, when it also dropped `sid`, `page`,
    `from` and other sites' own parameters: the key its story was stored under then."""
    parts = split(url)
    if parts is None or not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _DROPPED_BEFORE.match(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(sorted(dict(kept).items())), ""))


def path_and_query(url: str) -> str:
    parts = parts_of(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def host_of(url: str) -> str:
    return (parts_of(url).hostname or "").lower()


def is_story_url(url: str, profile: SiteProfile) -> bool:
    """A link is a story when it matches one of the profile's patterns (or, with none, looks like one)."""
    if parts_of(url).scheme not in ("http", "https"):
        return False
    target = path_and_query(url)
    if profile.story_urls:
        return any(p.search(target) for p in profile.story_urls)
    return looks_like_story(url)


def looks_like_story(url: str) -> bool:
    """For sites with no patterns: an address that may name a story (address_kind.py), not a section
    front, a file, a service page or a redirect."""
    return address_kind(url).may_be_story


def host_allowed(url: str, listing_url: str, profile: SiteProfile) -> bool:
    """A link to the listing's host (on the listing's port: another port of the same host is another
    service, an admin page) or to one of the profile's hosts."""
    host = host_of(url)
    if host == host_of(listing_url):
        return same_port(url, listing_url)
    return host in profile.allowed_hosts


def same_port(url: str, other: str) -> bool:
    """Both on their scheme's default port (http and https count as one site), or on the same port."""
    return origin(url).partition("//")[2] == origin(other).partition("//")[2]


def story_key(url: str) -> str:
    """The part of a canonical story URL that identifies it whatever host served it."""
    return path_and_query(url)


def tag_uri(url: str, profile: SiteProfile, listing_url: str) -> str:
    """A stable Atom id (RFC 4151 tag: URI): the same story gets the same id on every build and mirror."""
    authority = profile.id_authority or host_of(listing_url)
    return f"tag:{authority},2026:{story_key(url)}"


def feed_origins(listing: str, extra_urls: Iterable[str], hosts: Iterable[str]) -> tuple[str, ...]:
    """Where one feed's poll may go: its listing's origin (scheme, host and port), those of the other URLs
    it names (its site feed), and the profile's own hosts over http and https."""
    found = {origin(listing), *(origin(u) for u in extra_urls if u)}
    for host in hosts:
        found.update({f"https://{host.lower()}", f"http://{host.lower()}"})
    return tuple(sorted(found))


def origin(url: str) -> str:
    """scheme://host[:port], lower-cased, the port only when it is not the scheme's default: what a
    poll may go to, and the key of a host's pacing and robots rules."""
    parts = split(url)
    if parts is None:
        return ""
    scheme, host, port = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")
