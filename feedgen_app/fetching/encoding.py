"""A page's bytes to text: a browser's order (the WHATWG Encoding Standard), and one rule of mature tools.

1. A byte order mark (UTF-8, UTF-16LE, UTF-16BE) wins over everything.
2. Bytes that decode as strict UTF-8 and hold multi-byte sequences are UTF-8, whatever the header or the
   `<meta>` says: a legacy encoding almost never forms valid UTF-8 by chance, while a label left over
   from before a site moved to UTF-8 (a CMS template's `gb2312`, a server's default `ISO-8859-1`) is
   common. A browser believes the label and shows mojibake; a reader wants the text.
3. Then the charset of the Content-Type header, then one declared in the page (a `<meta>` charset or an
   XML declaration in its first bytes), each read through the standard's labels: `iso-8859-1` and `ascii`
   are windows-1252, `euc-kr` is windows-949, `shift_jis` is windows-31J, `gb2312` is GBK, a `<meta>` that
   says UTF-16 means UTF-8. A label that names no web encoding is passed over.
4. With no usable declaration: UTF-8 when the bytes are UTF-8 but for a few bad bytes among many good
   multi-byte sequences (a browser's detector reads them so, showing U+FFFD for the bad ones), else
   charset-normalizer's guess (a dependency of requests; it read 15 of 16 legacy charsets right where
   UnicodeDammit read 11: bench/encodings.py).

The declared encoding is used whatever the bytes hold: a bad byte becomes U+FFFD, as a browser shows it,
never a reason to decode the whole page as another charset. One repair a browser does not make: a UTF-8
page whose only bad bytes are windows-1252 punctuation (curly quotes, dashes pasted from a word processor)
gets them back through beautifulsoup4's `UnicodeDammit.detwingle`. Pure.
"""

from __future__ import annotations

import codecs
import re

from bs4.dammit import UnicodeDammit
from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([-\w.:]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']\s*([-\w.:]+)""", re.IGNORECASE)
PRESCAN_BYTES = 4096

# WHATWG labels whose encoding Python names differently (or decodes differently: Python's latin-1 and
# euc-kr are not what a browser uses for those labels).
_LABELS = {
    **dict.fromkeys(
        [
            "ascii",
            "us-ascii",
            "ansi_x3.4-1968",
            "iso-8859-1",
            "iso8859-1",
            "iso88591",
            "iso_8859-1",
            "iso_8859-1:1987",
            "latin1",
            "l1",
            "cp819",
            "ibm819",
            "csisolatin1",
            "iso-ir-100",
            "windows-1252",
            "cp1252",
            "x-cp1252",
        ],
        "cp1252",
    ),
    **dict.fromkeys(
        ["iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254", "cp1254", "x-cp1254"], "cp1254"
    ),
    **dict.fromkeys(["tis-620", "iso-8859-11", "iso8859-11", "dos-874", "windows-874"], "cp874"),
    **dict.fromkeys(
        [
            "gb2312",
            "gbk",
            "x-gbk",
            "chinese",
            "csgb2312",
            "csiso58gb231280",
            "gb_2312",
            "gb_2312-80",
            "iso-ir-58",
        ],
        "gb18030",
    ),
    "gb18030": "gb18030",
    **dict.fromkeys(["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"], "big5hkscs"),
    **dict.fromkeys(
        [
            "euc-kr",
            "cseuckr",
            "csksc56011987",
            "iso-ir-149",
            "korean",
            "ks_c_5601-1987",
            "ks_c_5601-1989",
            "ksc5601",
            "ksc_5601",
            "windows-949",
        ],
        "cp949",
    ),
    **dict.fromkeys(
        ["shift_jis", "shift-jis", "sjis", "csshiftjis", "ms932", "ms_kanji", "windows-31j", "x-sjis"],
        "cp932",
    ),
    **dict.fromkeys(["utf-16", "utf-16le"], "utf-16-le"),
    "utf-16be": "utf-16-be",
    **dict.fromkeys(
        ["utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"], "utf-8"
    ),
    "x-user-defined": "cp1252",
}
# Python's names for close relatives of a web encoding (what a detector may answer) that no label above has
_PYTHON_NAMES = {
    "euc_jis_2004": "euc_jp",
    "euc_jisx0213": "euc_jp",
    "shift_jis_2004": "cp932",
    "shift_jisx0213": "cp932",
    "euc_kr": "cp949",
    "johab": "cp949",
    "hz": "gb18030",
}
# What else browsers decode, as Python names it (codecs.lookup(...).name).
_WEB_CODECS = frozenset(
    [
        "utf-8",
        "utf-16-le",
        "utf-16-be",
        "ibm866",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-5",
        "iso8859-6",
        "iso8859-7",
        "iso8859-8",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-15",
        "iso8859-16",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        "cp1250",
        "cp1251",
        "cp1252",
        "cp1253",
        "cp1254",
        "cp1255",
        "cp1256",
        "cp1257",
        "cp1258",
        "gb18030",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "cp932",
        "cp949",
    ]
)


def web_encoding(label: str) -> str | None:
    """The Python codec a browser would use for a charset label; None when it names no web encoding
    (`punycode`, `rot13`, `zlib`, a typo)."""
    key = label.strip().lower()
    if key in _LABELS:
        return _LABELS[key]
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    name = _LABELS.get(name, _PYTHON_NAMES.get(name, name))
    return name if name in _WEB_CODECS else None


def declared_encoding(body: bytes, content_type: str) -> str | None:
    """The encoding the response declares, in the standard's order: BOM, header, then the page itself."""
    if name := bom_encoding(body):
        return name
    header = _HEADER_CHARSET.search(content_type or "")
    if header and (name := web_encoding(header.group(1))):
        return name
    head = body[:PRESCAN_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        found = pattern.search(head)
        if found and (name := web_encoding(found.group(1).decode("ascii", "replace"))):
            # a page that says UTF-16 in ASCII bytes is not UTF-16 (the standard reads it as UTF-8)
            return "utf-8" if name.startswith("utf-16") and pattern is _META_CHARSET else name
    return None


def bom_encoding(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def decode(body: bytes, content_type: str = "") -> str:
    """The text these bytes hold (see the module's docstring); never raises."""
    name = bom_encoding(body)
    if name is None and not body.isascii():
        try:
            return body.decode("utf-8")  # valid UTF-8 with multi-byte sequences: UTF-8, whatever the label
        except UnicodeDecodeError:
            pass
    name = name or declared_encoding(body, content_type)
    if name is None:
        name = "utf-8" if body.isascii() or _mostly_utf8(body) else _detected(body)
    if name == "utf-8" and _only_windows_punctuation_bad(body):
        body = UnicodeDammit.detwingle(body)
    text = body.decode(name, "replace")
    return text[1:] if text.startswith("\ufeff") else text


UTF8_EVIDENCE = 4  # good multi-byte sequences per bad byte for undeclared bytes to be read as UTF-8


def _mostly_utf8(body: bytes) -> bool:
    """Whether undeclared bytes that are not strict UTF-8 are UTF-8 with a few bad bytes: at least
    UTF8_EVIDENCE good multi-byte sequences for each bad one. Text in a legacy encoding forms good
    sequences only by rare chance (an upper-case letter before a symbol), so its bad bytes outnumber them."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count("\ufffd".encode())
    good = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    return bad > 0 and good >= UTF8_EVIDENCE * bad


def _detected(body: bytes) -> str:
    """For bytes that declare nothing and are not UTF-8: charset-normalizer's guess, windows-1252 when it
    has none (what browsers fall back to for Western pages)."""
    best = from_bytes(body[:262144]).best()
    return (best is not None and web_encoding(best.encoding)) or "cp1252"


MIXED_CHECKS = 64  # bad bytes looked at before a page is taken for damaged rather than mixed


def _only_windows_punctuation_bad(body: bytes) -> bool:
    """Whether the bytes that break UTF-8 are all windows-1252 punctuation (0x80-0x9F: curly quotes,
    dashes, ellipsis, €): text pasted from another encoding, not damage."""
    view, start = memoryview(body), 0
    for _ in range(MIXED_CHECKS):
        try:
            codecs.utf_8_decode(view[start:], "strict", True)  # no copy of a megabyte page per bad byte
            return start > 0
        except UnicodeDecodeError as exc:
            if not 0x80 <= body[start + exc.start] <= 0x9F:
                return False
            start += exc.start + 1
    return False
