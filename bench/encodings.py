"""Decoding pages as a browser does: `feedgen_app.fetching.encoding.decode` against the decoder it replaced (header,
then meta, then strict UTF-8, then charset-normalizer), beautifulsoup4's UnicodeDammit on its own, and
charset-normalizer on its own, in the same run.

Two sets, each with its truth:
- conflicts: pages whose declarations disagree with each other or with their bytes, as servers and
  archives send them (a BOM against a `<meta>`, a header against a `<meta>`, one bad byte in UTF-8,
  `iso-8859-1` carrying windows-1252 quotes, UTF-8 declared as Latin-1...): right when the text a browser
  shows (or, for UTF-8 declared as Latin-1, the text the page holds) comes out whole;
- undeclared: the same news sentences in 16 languages, each page encoded in its language's legacy charset
  with no declaration at all: right when the sentence comes out whole (what the detector is for).
And the real pages of `../shared/benchmarks/{articles,listings}`: how many decode differently from before.

    python bench/encodings.py
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from _common import machine, report
from bs4.dammit import UnicodeDammit
from charset_normalizer import from_bytes

from feedgen_app.fetching import encoding
from feedgen_app.fetching.encoding import decode

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"

SENTENCES = {
    "cp1252": "Le gouvernement a présenté jeudi un budget qui prévoit des économies de dépenses.",
    "cp1250": "Rząd przedstawił w czwartek budżet, który przewiduje oszczędności w wydatkach.",
    "cp1251": "Правительство в четверг представило бюджет, предусматривающий сокращение расходов.",
    "koi8-r": "Правительство в четверг представило бюджет, предусматривающий сокращение расходов.",
    "cp1253": "Η κυβέρνηση παρουσίασε την Πέμπτη έναν προϋπολογισμό που προβλέπει περικοπές δαπανών.",
    "cp1254": "Hükümet perşembe günü harcamalarda tasarruf öngören bir bütçe sundu.",
    "cp1255": "הממשלה הציגה ביום חמישי תקציב הכולל קיצוצים בהוצאות.",
    "cp1256": "قدمت الحكومة يوم الخميس ميزانية تتضمن تخفيضات في الإنفاق.",
    "cp874": "รัฐบาลเสนองบประมาณเมื่อวันพฤหัสบดีซึ่งรวมถึงการลดค่าใช้จ่าย",
    "koi8-u": "Уряд у четвер представив бюджет, який передбачає скорочення видатків.",
    "cp932": "政府は木曜日、歳出削減を盛り込んだ予算案を発表した。",
    "euc_jp": "政府は木曜日、歳出削減を盛り込んだ予算案を発表した。",
    "cp949": "정부는 목요일 지출 삭감을 포함한 예산안을 발표했다.",
    "gb18030": "政府星期四公布了包括削减开支在内的预算案。",
    "big5hkscs": "政府星期四公佈了包括削減開支在內的預算案。",
    "iso8859-2": "Vláda ve čtvrtek představila rozpočet, který počítá s úsporami ve výdajích.",
}


def _page(text: str, head: str = "") -> str:
    paragraphs = "".join(f"<p>{text}</p>" for _ in range(3))
    return f"<html><head>{head}<title>News</title></head><body>{paragraphs}</body></html>"


def conflicts() -> list[tuple[str, bytes, str, str]]:
    """(name, body, content type, the text that must come out whole)."""
    ru, fr = SENTENCES["cp1251"], SENTENCES["cp1252"]
    quotes = "“Storm” closes the schools – again"
    return [
        ("UTF-8 BOM, meta windows-1251", b"\xef\xbb\xbf" + _page(ru, "<meta charset=windows-1251>").encode(), "text/html", ru),
        ("UTF-8 BOM, header iso-8859-1", b"\xef\xbb\xbf" + _page(fr).encode(), "text/html; charset=iso-8859-1", fr),
        ("UTF-16LE BOM, meta utf-8", ("\ufeff" + _page(ru, "<meta charset=utf-8>")).encode("utf-16-le"), "text/html", ru),
        ("header windows-1251, meta utf-8", _page(ru, "<meta charset=utf-8>").encode("cp1251"), "text/html; charset=windows-1251", ru),
        ("UTF-8 with one bad byte", _page(fr, "<meta charset=utf-8>").encode() + b"\xff", "text/html", fr),
        ("UTF-8 with one bad byte, header utf-8", _page(ru).encode()[:-20] + b"\x81" + _page(ru).encode()[-20:], "text/html; charset=utf-8", ru),
        ("iso-8859-1 with windows-1252 quotes", _page(quotes).encode("cp1252"), "text/html; charset=iso-8859-1", quotes),
        ("euc-kr with windows-949 letters", _page("똠방각하 " + SENTENCES["cp949"]).encode("cp949"), "text/html; charset=euc-kr", "똠방각하"),
        ("meta says utf-16, bytes are UTF-8", _page(fr, "<meta charset=utf-16>").encode(), "text/html", fr),
        ("UTF-8 declared iso-8859-1 (meta)", _page(fr, "<meta charset=iso-8859-1>").encode(), "text/html", fr),
        ("UTF-8 declared ISO-8859-1 (server default)", _page(ru).encode(), "text/html; charset=ISO-8859-1", ru),
        ("UTF-8 with windows-1252 quotes pasted in", _page(fr).encode().replace("« oui »".encode(), b"x") + _page(quotes).encode().replace("“".encode(), b"\x93").replace("”".encode(), b"\x94"), "text/html; charset=utf-8", quotes),
        ("charset=rot13 (no web encoding)", _page(fr).encode(), "text/html; charset=rot13", fr),
        ("UTF-8 declared gb2312 (meta)", _page(SENTENCES["gb18030"], "<meta charset=gb2312>").encode(), "text/html", SENTENCES["gb18030"]),
        ("UTF-8 declared gb2312 (header)", _page(SENTENCES["gb18030"]).encode(), "text/html; charset=gb2312", SENTENCES["gb18030"]),
        ("UTF-8 declared euc-kr (meta)", _page(SENTENCES["cp949"], "<meta charset=euc-kr>").encode(), "text/html", SENTENCES["cp949"]),
        ("UTF-8 declared shift_jis (meta)", _page(SENTENCES["cp932"], "<meta charset=shift_jis>").encode(), "text/html", SENTENCES["cp932"]),
        ("UTF-8 declared big5 (header)", _page(SENTENCES["big5hkscs"]).encode(), "text/html; charset=big5", SENTENCES["big5hkscs"]),
        ("UTF-8 with one bad byte, undeclared", _page(ru).encode()[:-20] + b"\xc3" + _page(ru).encode()[-20:], "text/html", ru),
        ("UTF-8 with one bad byte, undeclared (French)", _page(fr).encode().replace(b"</title>", b"\xe9</title>"), "text/html", fr),
        ("gb2312 declared, GBK bytes", _page(SENTENCES["gb18030"], "<meta charset=gb2312>").encode("gb18030"), "text/html", SENTENCES["gb18030"]),
        ("euc-kr declared, bytes euc-kr", _page(SENTENCES["cp949"]).encode("cp949"), "text/html; charset=euc-kr", SENTENCES["cp949"]),
        ("undeclared windows-1252, one letter", _page("Le café est fermé.").encode("cp1252"), "text/html", "Le café est fermé."),
    ]  # fmt: skip


def undeclared() -> list[tuple[str, bytes, str, str]]:
    return [
        (f"undeclared {name}", _page(text).encode(name), "text/html", text)
        for name, text in SENTENCES.items()
    ]


def before(body: bytes, content_type: str) -> str:
    """The decoder this project used until 2026-12-01: header, meta, strict UTF-8, charset-normalizer."""
    m = re.search(r"charset\s*=\s*[\"']?([-\w.:]+)", content_type, re.IGNORECASE)
    candidates = [m.group(1)] if m else []
    meta = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", body[:4096], re.IGNORECASE)
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for name in [*candidates, "utf-8"]:
        try:
            codecs.lookup(name)
            return body.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", "replace")


def last_release(body: bytes, content_type: str) -> str:
    """The decoder of 2026-12-01 to 2026-12-06: the WHATWG order, valid UTF-8 wins over a single-byte
    label only, undeclared non-UTF-8 bytes always go to the detector."""
    name = encoding.declared_encoding(body, content_type)
    multi = {
        "utf-8",
        "utf-16-le",
        "utf-16-be",
        "gb18030",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "cp932",
        "cp949",
    }
    if name is None or (name not in multi and not body.isascii()):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            name = name or encoding._detected(body)
    if name == "utf-8" and encoding._only_windows_punctuation_bad(body):
        body = UnicodeDammit.detwingle(body)
    text = body.decode(name, "replace")
    return text[1:] if text.startswith("\ufeff") else text


def dammit(body: bytes, content_type: str) -> str:
    m = re.search(r"charset\s*=\s*[\"']?([-\w.:]+)", content_type, re.IGNORECASE)
    return UnicodeDammit(body, [m.group(1)] if m else [], is_html=True).unicode_markup or ""


def normalizer(body: bytes, _content_type: str) -> str:
    best = from_bytes(body).best()
    return str(best) if best is not None else ""


DECODERS: list[tuple[str, Callable[[bytes, str], str]]] = [
    ("feedgen-app (BOM, valid UTF-8, header, meta, mostly-UTF-8, charset-normalizer)", decode),
    ("last release (WHATWG order, detwingle, charset-normalizer for undeclared)", last_release),
    ("before (header, meta, UTF-8, charset-normalizer)", before),
    ("UnicodeDammit alone", dammit),
    ("charset-normalizer alone", normalizer),
]


def _against_gold(pages: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """Article pages where the share of the gold text's words found in the decoded page fell (worse) or
    rose (better) against the last release (pages are decoded with no header, as saved)."""
    gold = {
        row["id"] + ".html.gz": row["text"]
        for row in map(json.loads, (SHARED / "articles" / "gold.jsonl").read_text().splitlines())
    }
    worse, better = [], []
    for name, text in gold.items():
        words = set(re.findall(r"\w+", text))
        if not words or name not in pages:
            continue
        shares = [
            len(words & set(re.findall(r"\w+", fn(pages[name], "")))) / len(words)
            for fn in (decode, last_release)
        ]
        if shares[0] < shares[1]:
            worse.append(name)
        elif shares[0] > shares[1]:
            better.append(name)
    return worse, better


def main() -> None:
    sets = {"conflicts": conflicts(), "undeclared": undeclared()}
    rows, wrong = [], {}
    for name, fn in DECODERS:
        cells = []
        for set_name, cases in sets.items():
            t0 = time.perf_counter()
            missed = [case for case, body, ctype, truth in cases if truth not in fn(body, ctype)]
            ms = (time.perf_counter() - t0) * 1000 / len(cases)
            cells.append(f"{len(cases) - len(missed)}/{len(cases)} ({ms:.1f} ms)")
            wrong[(name, set_name)] = missed
        rows.append(f"| {name} | {' | '.join(cells)} |")
    real = [
        p
        for d in ("articles/pages", "listings/html", "listings-modern/html")
        for p in sorted((SHARED / d).glob("*.gz"))
    ]
    pages = {p.name: gzip.decompress(p.read_bytes()) for p in real}
    changed = [name for name, body in pages.items() if decode(body) != last_release(body, "")]
    worse, better = _against_gold(pages)
    lines = [
        "### Decoding (`bench/encodings.py`)",
        "",
        f"{machine()}. Right: the page's text comes out whole (see the script for each case).",
        "",
        "| decoder | conflicting declarations | undeclared, 16 legacy charsets |",
        "|---|---|---|",
        *rows,
        "",
        "Missed by feedgen-app: " + (", ".join(wrong[(DECODERS[0][0], "conflicts")] + wrong[(DECODERS[0][0], "undeclared")]) or "none") + ".",
        f"Real pages ({len(real)} of the article and both listing sets) decoded differently from the last release: {len(changed)}"
        + (f" ({', '.join(changed)})" if changed else "") + ".",
        f"Article pages whose gold words are found less often in the decoded page than with the last release: {len(worse)}"
        + (f" ({', '.join(worse)})" if worse else "") + f"; more often: {len(better)}" + (f" ({', '.join(better)})" if better else "") + ".",
    ]  # fmt: skip
    report("encodings", lines)


if __name__ == "__main__":
    main()
