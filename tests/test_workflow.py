"""The GitHub Pages workflow carries the state between runs without piling up cache entries."""

from __future__ import annotations

import re
from pathlib import Path

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "pages.yml"


def test_a_new_cache_entry_only_when_a_feed_changed() -> None:
    text = WORKFLOW.read_text()
    keys = re.findall(r"^\s+key: (.+)$", text, re.M)
    assert keys, "the workflow restores and saves a cache"
    assert not any("run_id" in k or "run_attempt" in k for k in keys), "a key per run is ~48 entries a day"
    saved = [k for k in keys if "hashFiles" in k]
    assert saved and "!public/status.json" in saved[0], "status.json changes every run: not part of the key"
    assert "actions/cache/restore@" in text and "actions/cache/save@" in text
