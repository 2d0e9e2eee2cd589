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
    import socket
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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
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
