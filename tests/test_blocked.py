"""A site that refuses us is "blocked", told apart from a broken profile everywhere a person looks (status,
status.json, /healthz, the index, check --live), with advice that is not "fix the selectors". Each kind
against a real local server: 401/403/429/451, a challenge page, a consent wall and an error page served
with 200, a tarpit behind a quick robots.txt, and stories refused one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_config
from support.site_server import FIXTURES, Response, SiteServer

from feedgen_app.cli import main
from feedgen_app.publishing.serve import health

LISTING = "/National/North-Korea"
CHALLENGE = b"<html><head><title>Just a moment...</title></head><body>Checking your browser before accessing.</body></html>"
CONSENT = (
    b"<html><head><title>Before you continue</title></head><body><h1>We value your privacy</h1>"
    b"<p>We and our partners use cookies.</p><button>Accept all</button></body></html>"
)
# the proof-of-work walls of 2025 (written here in their shape: what they say, and the puzzle they carry)
POW_WALL = (
    b"<html><head><title>Making sure you&#39;re not a bot!</title>"
    b'<script id="wall_challenge" type="application/json">{"rules":{"algorithm":"fast","difficulty":4},'
    b'"challenge":"3f9a0c"}</script><script type="module" src="/.well/wall/main.mjs"></script></head>'
    b"<body><h1>Making sure you&#39;re not a bot!</h1><p>Loading...</p><details><summary>Why am I seeing "
    b"this?</summary><p>The administrator of this website set up a wall to protect the server against the "
    b"scourge of AI companies aggressively scraping websites.</p></details></body></html>"
)
QUIET_POW_WALL = (  # says nothing a person reads but "loading": the puzzle alone tells what it is
    b"<html><head><title>Loading</title><script>window.gate = {challenge: 'a81f', difficulty: 5};</script>"
    b"</head><body><noscript>Please turn on JavaScript.</noscript><p>Loading...</p></body></html>"
)
SOFT_ERROR = b"<html><head><title>Access Denied</title></head><body>You don't have permission to access this server.</body></html>"


def built(tmp_path: Path, site: SiteServer, **http: object) -> dict[str, object]:
    config = write_config(tmp_path, site.url(LISTING), retries=0, **http)
    main(["build", "--config", str(config)])
    feeds: dict[str, dict[str, object]] = json.loads((tmp_path / "public" / "status.json").read_text())[
        "feeds"
    ]
    return feeds["north-korea"]


@pytest.mark.parametrize("status", [401, 402, 403, 429, 451])
def test_a_refusing_status_is_blocked_not_broken(tmp_path: Path, status: int) -> None:
    with SiteServer("koreaherald/current") as site:
        site.route(LISTING, lambda _r: Response(status, b"no"))
        feed = built(tmp_path, site)
    assert feed["state"] == "blocked" and feed["held"] is True
    assert f"answered {status}" in str(feed["why"]) and "do not change the selectors" in str(feed["why"])


@pytest.mark.parametrize(
    "page",
    [CHALLENGE, CONSENT, SOFT_ERROR, POW_WALL, QUIET_POW_WALL],
    ids=["challenge", "consent wall", "error page", "proof-of-work wall", "quiet proof-of-work wall"],
)
def test_a_wall_served_with_200_is_blocked(
    tmp_path: Path, page: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    with SiteServer("koreaherald/current") as site:
        site.static(LISTING, page)
        feed = built(tmp_path, site)
        assert feed["state"] == "blocked" and "challenge, consent or error page" in str(feed["why"])
        capsys.readouterr()
        config = tmp_path / "feeds.toml"
        assert main(["check", "--config", str(config), "--live"]) == 1
        out = capsys.readouterr().out
        assert "listing    BLOCKED" in out and "fix the selectors" not in out
        assert main(["status", "--config", str(config)]) == 1
        assert "BLOCKED" in capsys.readouterr().out
    code, body = health(tmp_path / "public")
    assert code == 503 and body["not_healthy"]["north-korea"]["state"] == "blocked"  # type: ignore[index]
    index = (tmp_path / "public" / "index.html").read_text()
    assert 'class="health blocked"' in index and "Blocked: blocked:" not in index


def test_a_tarpit_behind_a_quick_robots_txt_is_blocked(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current") as site:
        site.route(LISTING, lambda _r: Response(200, b"<html></html>", delay=5))
        feed = built(tmp_path, site, read_timeout=0.5, connect_timeout=1)
    assert feed["state"] == "blocked" and "tarpit" in str(feed["why"])


def test_a_site_down_is_failing_not_blocked(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current") as site:
        site.route(LISTING, lambda _r: Response(503, b"down"))
        feed = built(tmp_path, site)
    assert feed["state"] == "failing"


def test_stories_refused_one_by_one_make_the_feed_blocked(tmp_path: Path) -> None:
    listing = (FIXTURES / "koreaherald/current/pages/listing-north-korea-1.html").read_bytes()
    with SiteServer("koreaherald/current") as site:
        site.static(LISTING, listing)
        for story in (
            "10871768",
            "10871502",
            "10871233",
            "10870988",
            "10870611",
            "10870342",
            "10869877",
            "10869540",
        ):
            site.route(f"/article/{story}", lambda _r: Response(403, b"Forbidden"))
        feed = built(tmp_path, site)
    assert feed["state"] == "blocked" and feed["last_poll"]["refused"] == 8  # type: ignore[index]


@pytest.mark.parametrize("framing", ["http/1.0", "close", "close-delimited"])
def test_a_refusal_over_a_closing_connection_is_blocked(tmp_path: Path, framing: str) -> None:
    """A server that closes after each answer (HTTP/1.0, `Connection: close`): its 403 is read as a 403."""
    with SiteServer("koreaherald/current", framing=framing) as site:
        site.route(LISTING, lambda _r: Response(403, b"<h1>Forbidden</h1>" * 50))
        feed = built(tmp_path, site)
    assert feed["state"] == "blocked" and "answered 403" in str(feed["why"])
