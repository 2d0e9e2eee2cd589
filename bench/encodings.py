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
import re
import time
from collections.abc import Callable
from pathlib import Path

from _common import machine, report
from bs4.dammit import UnicodeDammit
from charset_normalizer import from_bytes

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


def dammit(body: bytes, content_type: str) -> str:
    m = re.search(r"charset\s*=\s*[\"']?([-\w.:]+)", content_type, re.IGNORECASE)
    return UnicodeDammit(body, [m.group(1)] if m else [], is_html=True).unicode_markup or ""


def normalizer(body: bytes, _content_type: str) -> str:
    best = from_bytes(body).best()
    return str(best) if best is not None else ""


DECODERS: list[tuple[str, Callable[[bytes, str], str]]] = [
    ("feedgen-app (WHATWG order, detwingle, charset-normalizer for undeclared)", decode),
    ("before (header, meta, UTF-8, charset-normalizer)", before),
    ("UnicodeDammit alone", dammit),
    ("charset-normalizer alone", normalizer),
]


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
    real = [p for d in ("articles/pages", "listings/html") for p in sorted((SHARED / d).glob("*.gz"))]
    changed = [
        p.name
        for p in real
        if decode(gzip.decompress(p.read_bytes())) != before(gzip.decompress(p.read_bytes()), "")
    ]
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
        f"Real pages ({len(real)} of the article and listing sets) decoded differently from before: {len(changed)}"
        + (f" ({', '.join(changed)})" if changed else "") + ".",
    ]  # fmt: skip
    report("encodings", lines)


if __name__ == "__main__":
    main()
