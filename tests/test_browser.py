"""index.html and a feed opened in a real headless Chromium (Debian's, driven by Playwright): the text a
person sees, no console errors, screenshots saved to test-artifacts/."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import write_config
from support.site_server import SiteServer

from feedgen_app.build import run_build
from feedgen_app.config import load_config
from feedgen_app.http import new_session
from feedgen_app.serve import start_server

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
            assert "<feed" not in text
            page.screenshot(path=str(ARTIFACTS / "feed.png"), full_page=True)
            browser.close()
        assert errors == []
    finally:
        server.shutdown()
