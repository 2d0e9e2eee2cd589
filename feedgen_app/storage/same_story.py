"""Is a story found under a new URL one the feed already holds? Sites change their URL scheme (the Korea
Herald moved from view.php?ud= to /article/<id> in Dec 2024), and a reader must not get every story twice.
Pure: texts and headlines in, measures out; the store asks them of the feed's stories near in time.

The same story is: the same headline and the same published time; or near-identical text (most of its
five-word runs shared), which survives a new headline or a re-dated page.
"""

from __future__ import annotations

import heapq
import re
import zlib
from collections.abc import Sequence

SHINGLE = 5  # words
SAME_TEXT = 0.85  # share of five-word runs in common (Jaccard) that makes two texts one story
MIN_WORDS = 40  # shorter texts (a video's line, a photo caption) are too alike by chance to compare
SKETCH = 48  # the smallest hashes of a text's five-word runs kept to estimate how alike two texts are
SKETCH_CHARS = 100_000  # the start of a text is enough to know it again (and a huge one stays cheap)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def sketch(text: str) -> tuple[int, ...]:
    """A bottom-k sketch of the text's five-word runs: small enough to store beside the story and to compare
    with every story of a feed in microseconds (`alike` estimates from two sketches the share of runs the
    texts have in common). Empty when the text is too short to compare."""
    words = _words(text[:SKETCH_CHARS])
    if len(words) < MIN_WORDS:
        return ()
    hashes = {zlib.crc32(" ".join(words[i : i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}
    return tuple(heapq.nsmallest(SKETCH, hashes))


def alike(a: Sequence[int], b: Sequence[int]) -> float:
    """The share of five-word runs two texts have in common, estimated from their sorted sketches: of the
    k smallest hashes of both texts together, how many are in both."""
    k = min(len(a), len(b))
    if not k:
        return 0.0
    if a[k - 1] < b[0] or b[k - 1] < a[0]:
        return 0.0  # no overlap at all among the smallest: nothing in common
    mine, theirs = set(a), set(b)
    both = mine & theirs
    return sum(1 for h in sorted(mine | theirs)[:k] if h in both) / k


def same_headline(a: str, b: str) -> bool:
    return _words(a) == _words(b)
