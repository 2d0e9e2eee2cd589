"""index.html and a feed opened in a real headless Chromium (Debian's, driven by Playwright): the text a
person sees, no console errors, screenshots saved to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import write_config
from support.demo_process import start_demo
from support.real_servers import free_port
from support.site_server import SiteServer

from feedgen_app.config import load_config
from feedgen_app.fetching.session import new_session
from feedgen_app.publishing.serve import start_server
from feedgen_app.running.build import run_build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed here (.ci/run installs it)", allow_module_level=True)


def test_index_and_feed_in_chromium(tmp_path: Path, current_site: SiteServer) -> None:
    from playwright.sync_api import sync_playwright

    config = write_config(tmp_path, current_site.url("/National/North-Korea"), "pages = 2")
    cfg = load_config(config)
    assert (
        run_build(cfg, new_session(cfg.http.user_agent), lambda: datetime(2026, 11, 27, tzinfo=UTC)).exit_code
        == 0
    )
    server = start_server(tmp_path / "public", "127.0.0.1:0")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            page.goto(base + "/")
            text = page.inner_text("body")
            assert "The Korea Herald: North Korea" in text
            assert "Healthy" in text
            assert "N. Korea fires short-range ballistic missile into East Sea: JCS" in text
            assert (
                page.get_attribute("a.subscribe", "href")
                == "https://example.github.io/feeds/north-korea.atom"
            )
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                "no sideways scroll"
            )
            page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)

            page.goto(base + "/north-korea.atom")
            text = page.inner_text("body")
            assert "This is a web feed" in text, text[:300]
            assert "Kim Jong-un inspects new greenhouse farm" in text
            assert "2026-11-25 18:20 (+09:00)" in text, "times a person reads, with their zone"
            assert "<feed" not in text
            page.screenshot(path=str(ARTIFACTS / "feed.png"), full_page=True)
            browser.close()
        assert errors == []
    finally:
        server.shutdown()


def test_on_a_static_host_the_index_is_the_human_view(tmp_path: Path, current_site: SiteServer) -> None:
    """What the README says a static host (Pages, nginx, `python -m http.server`) shows: the feed, sent as
    application/atom+xml, is not turned into a page by Chromium; the index is, with every feed's address."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    config = write_config(tmp_path, current_site.url("/National/North-Korea"))
    cfg = load_config(config)
    run_build(cfg, new_session(cfg.http.user_agent), lambda: datetime(2026, 11, 27, tzinfo=UTC))

    class Static(http.server.SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {
            ".atom": "application/atom+xml",
            ".html": "text/html",
            ".css": "text/css",
        }

        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Static, directory=str(tmp_path / "public"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            response = page.goto(base + "/north-korea.atom")
            assert response is not None and response.headers["content-type"] == "application/atom+xml"
            shown = page.content()
            assert "This is a web feed" not in shown, "Chromium does not apply feed.xsl to atom+xml"
            page.goto(base + "/")
            text = page.inner_text("body")
            assert "The Korea Herald: North Korea" in text and "north-korea.atom" in text
            assert "N. Korea fires short-range ballistic missile into East Sea: JCS" in text
            browser.close()
    finally:
        server.shutdown()


def test_the_readme_first_hour_in_chromium(tmp_path: Path, current_site: SiteServer) -> None:
    """The README's steps as a newcomer follows them: build the default feeds.toml, start the server the
    README names, open the page it says to open and the feed it says to subscribe to. The shipped config
    is pointed at the local copy of the site and at a free port instead of 8000; nothing else changes."""
    import re
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from playwright.sync_api import sync_playwright

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    build_cmd = re.findall(r"```sh\n(.*?)```", readme, re.S)[0].strip().rsplit("&& ", 1)[1]
    serve_cmd = next(b for b in re.findall(r"```sh\n(.*?)```", readme, re.S) if "--serve" in b).strip()
    index_url = re.search(r"Then open <(http://[^>]+)>", readme)
    feed_url = re.search(r"subscribe your feed reader to <(http://[^>]+)>", readme)
    assert build_cmd == ".venv/bin/feedgen-app build" and index_url and feed_url
    port = str(free_port())
    shipped = (root / "feeds.toml").read_text()
    (tmp_path / "feeds.toml").write_text(
        shipped.replace("https://www.koreaherald.com", current_site.base).replace("8000", port)
    )
    app = [sys.executable, "-m", "feedgen_app"]
    done = subprocess.run([*app, *build_cmd.split()[1:]], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr  # 1: the mirror has only some of the sections
    assert (tmp_path / "public" / "north-korea.atom").exists(), done.stderr
    serve_args = serve_cmd.split("feedgen-app ", 1)[1].replace("8000", port).split()
    daemon = subprocess.Popen([*app, *serve_args], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(index_url[1].replace("8000", port), timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the README's server never answered"
                time.sleep(0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(index_url[1].replace("8000", port))
            text = page.inner_text("body")
            assert "The Korea Herald: North Korea" in text
            assert "N. Korea fires short-range ballistic missile into East Sea: JCS" in text
            subscribe = page.locator("a.subscribe").first
            assert subscribe.get_attribute("href") == feed_url[1].replace("8000", port), "the README's feed"
            subscribe.click()
            page.wait_for_load_state()
            text = page.inner_text("body")
            assert "This is a web feed" in text and "Kim Jong-un inspects new greenhouse farm" in text
            page.screenshot(path=str(ARTIFACTS / "readme-feed.png"), full_page=True)
            browser.close()
        assert errors == []
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(20)


def test_the_demo_in_chromium_at_a_phone_and_a_wide_screen() -> None:
    """`feedgen-app demo` as a newcomer runs it: it says what to open and subscribe to; the index (judged at
    360 px and 1280 px: no sideways scroll, every feed's formats, when it was checked and changed) and a
    feed open in Chromium; a story the sample site publishes while it runs reaches the feed; Ctrl-C ends
    it within two seconds and leaves nothing behind."""
    import re
    import signal
    import time
    import urllib.request

    from playwright.sync_api import sync_playwright

    proc = start_demo("--new-story-every", "4", "--poll-every", "2")
    assert proc.stdout is not None
    said = ""
    while "Ctrl-C to stop" not in said and proc.poll() is None:
        said += proc.stdout.readline()
    base = re.search(r"Open\s+(http://127\.0\.0\.1:\d+/)", said)
    folder = re.search(r"Everything is in (\S+), removed", said)
    assert base and folder, said
    assert f"{base[1]}harbour.atom" in said and "Ctrl-C to stop" in said

    def fetched(path: str) -> str:
        try:
            with urllib.request.urlopen(base[1] + path, timeout=5) as r:
                return str(r.read().decode())
        except OSError:
            return ""

    try:
        end = time.monotonic() + 60
        while fetched("harbour.atom").count("<entry>") < 6 or "science" not in fetched("feeds.opml"):
            assert time.monotonic() < end and proc.poll() is None, "the demo's feeds never appeared"
            time.sleep(0.5)
        ARTIFACTS.mkdir(exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for width, height in ((360, 780), (1280, 900)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(base[1])
                text = page.inner_text("body")
                assert "The Harbour Gazette: Harbour" in text and "The Harbour Gazette: Science" in text
                assert text.count("Healthy") == 2 and "Last checked" in text and "Last changed" in text
                assert "Ferry returns to the north crossing after winter repairs" in text
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                    f"{width} px"
                )
                links = page.eval_on_selector_all(".formats a", "els => els.map(e => e.textContent)")
                assert links == ["Atom", "RSS 2.0", "JSON Feed", "Atom"], links
                facts = page.eval_on_selector_all(
                    "dl.facts div",
                    "els => els.map(e => e.getBoundingClientRect().right <= window.innerWidth)",
                )
                assert facts and all(facts), "every fact fits the screen"
                page.screenshot(path=str(ARTIFACTS / f"demo-index-{width}.png"), full_page=True)
                page.close()
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.goto(base[1] + "harbour.atom")
            text = page.inner_text("body")
            assert "This is a web feed" in text and "Ferry returns to the north crossing" in text
            assert "three weeks later than planned" in text, "the whole story, not a summary"
            page.screenshot(path=str(ARTIFACTS / "demo-feed.png"), full_page=True)
            browser.close()
        end = time.monotonic() + 60
        while "A night market comes to the quay" not in fetched("harbour.atom"):
            assert time.monotonic() < end, "the story the site published while the demo ran never arrived"
            time.sleep(0.5)
    finally:
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        took = time.monotonic() - sent
        err = proc.stderr.read() if proc.stderr else ""
    assert code == 0 and took < 2.0, err
    assert "Traceback" not in err
    assert not Path(folder[1]).exists(), "nothing left behind"
