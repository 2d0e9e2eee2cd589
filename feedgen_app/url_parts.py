"""Addresses split and joined without raising: a page's links, `<base>`, pictures, frames, feed items and
redirects are the site's to write, and `http://[::1` (an unclosed bracket) or `http://x:99999/` (a port
out of range) make `urllib.parse` raise. Every stage splits and joins through here, so such an address is
simply absent. Pure."""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urljoin, urlsplit

NOTHING = urlsplit("")  # the parts of no address: empty scheme, host, path and query
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+(?:%25[\w.~-]+)?\]")
# what a browser's URL parser refuses in a host name (the WHATWG URL Standard's forbidden code points)
_NOT_IN_HOST = re.compile(r"[\x00-\x20\x7f#/:<>?@\[\\\]^|%]")


def split(url: str) -> SplitResult | None:
    """The address's parts, port checked; None when it cannot name anything: a browser would refuse its
    host (`http://[::1`, `http://exa mple.test/`, `http://%zz/`, a web address with no host) or its port."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a port out of range or not a number)
    except ValueError:
        return None
    web = parts.scheme.lower() in ("http", "https")
    if (parts.netloc or web) and not _good_host(parts.netloc):
        return None
    return parts


def _good_host(netloc: str) -> bool:
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        end = host.find("]") + 1
        rest = host[end:]
        return end > 0 and bool(_IPV6.fullmatch(host[:end])) and (not rest or rest.startswith(":"))
    name = host.rpartition(":")[0] if ":" in host else host
    return bool(name) and not _NOT_IN_HOST.search(name)


def parts_of(url: str) -> SplitResult:
    """The address's parts, or NOTHING's when it cannot name anything."""
    return split(url) or NOTHING


def join(base: str, url: str) -> str:
    """`url` resolved against `base`; "" when either cannot be read or the result cannot name anything."""
    try:
        resolved = urljoin(base, url)
    except ValueError:
        return ""
    return resolved if split(resolved) is not None else ""
