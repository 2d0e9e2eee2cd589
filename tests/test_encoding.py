"""Pages decoded as a browser decodes them, fetched from a real local server: a BOM beats the header and the
`<meta>`, valid UTF-8 beats any label, the header beats the `<meta>`, a bad byte is one U+FFFD and not a
whole page in another charset, and the standard's labels (iso-8859-1 is windows-1252, euc-kr is
windows-949)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.site_server import SiteServer

from feedgen_app.config import HttpConfig
from feedgen_app.fetching.encoding import decode
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session

RUSSIAN = "Правительство утвердило бюджет на следующий год"
FRENCH = "Le conseil a voté « oui » à l’unanimité, dit-il — enfin"


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with SiteServer() as server:
        server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        yield server


def fetched(site: SiteServer, body: bytes, content_type: str) -> str:
    site.static("/page", body, content_type)
    config = HttpConfig(min_delay=0, retries=0)
    return Fetcher(config, new_session(config.user_agent)).get(site.url("/page")).text


def page(text: str, meta: str = "") -> str:
    head = f"<meta charset='{meta}'>" if meta else ""
    return f"<html><head>{head}<title>x</title></head><body><p>{text}</p></body></html>"


def test_a_bom_beats_the_meta_and_the_header(site: SiteServer) -> None:
    body = b"\xef\xbb\xbf" + page(RUSSIAN, meta="windows-1251").encode()
    assert RUSSIAN in fetched(site, body, "text/html")
    assert RUSSIAN in fetched(site, body, "text/html; charset=iso-8859-1")
    utf16 = "\ufeff" + page(RUSSIAN, meta="utf-8")
    assert RUSSIAN in fetched(site, utf16.encode("utf-16-le"), "text/html")


def test_the_header_beats_the_meta(site: SiteServer) -> None:
    body = page(RUSSIAN, meta="utf-8").encode("cp1251")
    assert RUSSIAN in fetched(site, body, "text/html; charset=windows-1251")


def test_one_bad_byte_is_one_replacement_character_not_another_charset(site: SiteServer) -> None:
    body = page(FRENCH, meta="utf-8").encode().replace(b"enfin", b"enf\xffin")
    text = fetched(site, body, "text/html; charset=utf-8")
    assert FRENCH.replace("enfin", "enf\ufffdin") in text
    assert RUSSIAN in fetched(site, page(RUSSIAN).encode() + b"\x81", "text/html; charset=utf-8")


def test_labels_read_as_the_encoding_standard_says(site: SiteServer) -> None:
    quotes = "“Storm” closes the schools – again"
    assert quotes in fetched(site, page(quotes).encode("cp1252"), "text/html; charset=iso-8859-1")
    korean = "똠방각하 정부 예산안 통과"  # 똠 is in windows-949, not in EUC-KR proper
    assert korean in fetched(site, page(korean).encode("cp949"), "text/html; charset=euc-kr")
    assert FRENCH in fetched(site, page(FRENCH, meta="utf-16").encode(), "text/html"), "a meta saying UTF-16"
    assert FRENCH in fetched(site, page(FRENCH).encode(), "text/html; charset=rot13"), "no such web encoding"


def test_utf8_declared_as_latin1_is_read_as_utf8(site: SiteServer) -> None:
    """A server's default charset=ISO-8859-1, or an archive that re-encoded a page: windows-1252 text
    is never valid UTF-8, so the bytes say which they are."""
    assert FRENCH in fetched(site, page(FRENCH, meta="iso-8859-1").encode(), "text/html")
    assert FRENCH in fetched(site, page(FRENCH).encode(), "text/html; charset=ISO-8859-1")


CHINESE = "政府星期四公布了包括削减开支在内的预算案。"


@pytest.mark.parametrize("label", ["gb2312", "euc-kr", "shift_jis", "big5", "windows-1251"])
def test_valid_utf8_is_utf8_whatever_the_label_says(site: SiteServer, label: str) -> None:
    """A CMS template's `<meta charset=gb2312>` left after a move to UTF-8: the bytes say what they are."""
    assert CHINESE in fetched(site, page(CHINESE, meta=label).encode(), "text/html")
    assert CHINESE in fetched(site, page(CHINESE).encode(), f"text/html; charset={label}")


def test_a_page_in_its_declared_legacy_encoding_stays_in_it(site: SiteServer) -> None:
    assert CHINESE in fetched(site, page(CHINESE, meta="gb2312").encode("gb18030"), "text/html")
    korean = "정부는 목요일 지출 삭감을 포함한 예산안을 발표했다."
    assert korean in fetched(site, page(korean).encode("cp949"), "text/html; charset=euc-kr")


def test_undeclared_utf8_with_one_bad_byte_is_utf8() -> None:
    body = page(RUSSIAN * 2).encode()
    damaged = body.replace("бюджет".encode(), "бюджет".encode()[:-1], 1)  # one character cut in half
    text = decode(damaged)
    assert RUSSIAN in text and text.count("\ufffd") == 1
    assert FRENCH in decode(page(FRENCH).encode().replace(b"<p>", b"<p>\xe9", 1))


def test_undeclared_pages_are_detected() -> None:
    assert decode(page(RUSSIAN).encode("cp1251")).count(RUSSIAN) == 1
    japanese = "政府は来年度の予算案を閣議決定した。首相は記者会見で説明した。"
    assert japanese in decode(page(japanese * 3).encode("cp932"))
    french = "Le gouvernement a présenté jeudi un budget qui prévoit des économies, à l’unanimité."
    assert french in decode(page(french).encode("cp1252"))
    assert "Le café est fermé." in decode(page("Le café est fermé.").encode("cp1252")), (
        "one accent is not UTF-8"
    )


def test_windows_quotes_pasted_into_a_utf8_page_come_back() -> None:
    body = page("“Storm” closes the schools – again, ").encode().replace("“".encode(), b"\x93")
    assert "“Storm” closes the schools – again" in decode(body, "text/html; charset=utf-8")


def test_binary_and_empty_bodies_never_raise() -> None:
    assert decode(b"") == ""
    assert isinstance(decode(bytes(range(256)) * 64, "text/html"), str)
    assert isinstance(decode(b"\xff\xfe" + b"\x00\xd8" * 10, "text/html"), str), "a lone UTF-16 surrogate"
