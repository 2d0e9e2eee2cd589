"""A story from the page's embedded app data, for pages built by script frameworks that ship the story as
data and little or none of it as HTML: Next.js (`__NEXT_DATA__`), Nuxt (`__NUXT_DATA__`, `__NUXT__`), Apollo
and Redux state (`window.__APOLLO_STATE__ = {…}`), and other `application/json` script blocks.

The story is the object whose body-named field (`body`, `content`, `articleBody`, `html`…) holds the most
prose: HTML, plain text, or a list of blocks (rich-text and portable-text documents). Its title, authors and
the path where it was found come with it. Pure: reads script texts, returns a record.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.etree

from feedgen_app.dom import HtmlElement

_SCRIPTS = lxml.etree.XPath(
    "//script[@id='__NEXT_DATA__' or @id='__NUXT_DATA__' or contains(translate(@type, 'JSON', 'json'), "
    "'application/json') or contains(text(), '__APOLLO_STATE__') or contains(text(), '_STATE__')"
    " or contains(text(), '__NUXT__')]"
)
_ASSIGNED = re.compile(
    r"^\s*(?:window\.|var\s+|let\s+|const\s+)?[\w$.\[\]'\"]+\s*=\s*(\{.*\})\s*;?\s*$", re.DOTALL
)
_BODY_KEYS = frozenset(
    {
        "body",
        "content",
        "articlebody",
        "bodyhtml",
        "body_html",
        "contenthtml",
        "content_html",
        "html",
        "text",
        "articletext",
        "richtext",
        "story",
        "storybody",
        "maintext",
        "fulltext",
        "rendered",
    }
)
_TITLE_KEYS = ("headline", "title", "name", "seotitle")
_AUTHOR_KEYS = ("authors", "author", "byline", "writers", "writer", "creator", "creators")
_NAME_KEYS = ("name", "displayName", "display_name", "fullName", "full_name", "title", "byline")
_TAG = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|blockquote|figure|br)\b", re.IGNORECASE)
MIN_BODY = 500  # characters of prose: shorter is a teaser, a description or a label, not a story
MAX_SCRIPT = 20_000_000  # characters: a larger script is not read
MAX_NODES = 500_000  # values walked in one script's data, however it nests
MAX_DEPTH = 60


@dataclass(frozen=True)
class AppStory:
    """A story found in a page's app data: its body as HTML (escaped where it was text), and where."""

    body_html: str
    text_length: int
    title: str | None
    authors: tuple[str, ...]
    path: str


def app_scripts(doc: HtmlElement) -> list[tuple[str, str]]:
    """(name, text) of every script that may hold app data, read before the page is taken apart."""
    found = _SCRIPTS(doc)
    out: list[tuple[str, str]] = []
    for script in found if isinstance(found, list) else []:
        if not isinstance(script, HtmlElement):
            continue
        text = script.text or ""
        if text.strip() and len(text) <= MAX_SCRIPT:
            out.append((script.get("id") or script.get("type") or "script", text))
    return out


def app_story(scripts: list[tuple[str, str]], title_hint: str | None = None) -> AppStory | None:
    """The best story in the scripts' data: the longest body, one whose title matches `title_hint` first."""
    best: tuple[tuple[bool, int], AppStory] | None = None
    wanted = _words(title_hint or "")
    for name, text in scripts:
        data = _load(text)
        if data is None:
            continue
        if name == "__NUXT_DATA__" and isinstance(data, list):
            data = _unflatten(data)
        for story in _stories(data, name):
            key = (bool(wanted) and _words(story.title or "") == wanted, story.text_length)
            if best is None or key > best[0]:
                best = (key, story)
    return best[1] if best else None


_STEP = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


def story_at(scripts: list[tuple[str, str]], path: str) -> AppStory | None:
    """The story at a data path (`__NEXT_DATA__.props.pageProps.post.body`), as a profile or a learned
    selector names it: the value there is the body; its object's title and authors come with it."""
    name = re.split(r"[.\[]", path, maxsplit=1)[0]
    steps = [(m.group(1), m.group(2)) for m in _STEP.finditer(path, len(name))]
    for script, text in scripts:
        if script != name:
            continue
        node = _load(text)
        if script == "__NUXT_DATA__" and isinstance(node, list):
            node = _unflatten(node)
        holder: Any = None
        for key, index in steps:
            holder = node
            if key is not None and isinstance(node, dict):
                node = node.get(key)
            elif index is not None and isinstance(node, list) and int(index) < len(node):
                node = node[int(index)]
            else:
                node = None
                break
        body = _as_html(node) if node is not None else None
        if body is not None and isinstance(holder, dict):
            length = len(re.sub(r"<[^>]*>", "", body))
            title = next(
                (v.strip() for k in _TITLE_KEYS if isinstance(v := holder.get(k), str) and v.strip()), None
            )
            return AppStory(body, length, title, _authors(holder), path)
    return None


def _load(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text.removeprefix("<!--").removesuffix("-->").strip()
    if not text.startswith(("{", "[")):
        m = _ASSIGNED.match(text)
        if not m:
            return None
        text = m.group(1)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _unflatten(values: list[Any]) -> Any:
    """Nuxt 3's payload (devalue): a flat list whose objects and lists hold the indexes of their values."""
    done: dict[int, Any] = {}

    def at(index: Any, depth: int) -> Any:
        if not isinstance(index, int) or not 0 <= index < len(values) or depth > MAX_DEPTH:
            return None
        if index in done:
            return done[index]
        value = values[index]
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            done[index] = out
            for k, v in value.items():
                out[k] = at(v, depth + 1)
            return out
        if isinstance(value, list):
            if (
                value
                and isinstance(value[0], str)
                and value[0] in ("Reactive", "ShallowReactive", "Ref", "Set")
            ):
                return at(value[1], depth + 1) if len(value) > 1 else None
            items: list[Any] = []
            done[index] = items
            items.extend(at(v, depth + 1) for v in value)
            return items
        return value

    return at(0, 0)


def _stories(data: Any, name: str) -> Iterator[AppStory]:
    walked = 0
    stack: list[tuple[Any, str, int]] = [(data, name, 0)]
    while stack and walked < MAX_NODES:
        node, path, depth = stack.pop()
        walked += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, dict):
            story = _story_in(node, path)
            if story is not None:
                yield story
            stack.extend((v, f"{path}.{k}", depth + 1) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(
                (v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node) if isinstance(v, dict | list)
            )


def _story_in(node: dict[str, Any], path: str) -> AppStory | None:
    best: tuple[int, str, str] | None = None
    for key, value in node.items():
        if not isinstance(key, str) or key.lower().replace("-", "") not in _BODY_KEYS:
            continue
        body = _as_html(value)
        if body is None:
            continue
        length = len(re.sub(r"<[^>]*>", "", body))
        if length >= MIN_BODY and (best is None or length > best[0]):
            best = (length, body, key)
    if best is None:
        return None
    title = next((v.strip() for k in _TITLE_KEYS if isinstance(v := node.get(k), str) and v.strip()), None)
    return AppStory(best[1], best[0], title, _authors(node), f"{path}.{best[2]}")


def _as_html(value: Any) -> str | None:
    """A body value as HTML: HTML as it is, text as paragraphs, a list of blocks as their paragraphs."""
    if isinstance(value, dict) and isinstance(value.get("rendered"), str):  # WordPress's REST shape
        value = value["rendered"]
    if isinstance(value, str):
        if _TAG.search(value):
            return value
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", value) if p.strip()]
        return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) if paragraphs else None
    blocks = value.get("content") if isinstance(value, dict) else value  # a rich-text document's blocks
    if not isinstance(blocks, list):
        return None
    paragraphs = [text for block in blocks[:5000] if (text := _block_text(block))]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) if paragraphs else None


def _block_text(block: Any, depth: int = 0) -> str:
    """The text of one block of a rich-text document: its text leaves (`text`, `value`) joined."""
    if depth > 8:
        return ""
    if isinstance(block, str):
        return block.strip()
    if isinstance(block, dict):
        own = [block[k] for k in ("text", "value") if isinstance(block.get(k), str)]
        kids = [block[k] for k in ("children", "content") if isinstance(block.get(k), list)]
        parts = own + [_block_text(c, depth + 1) for kid in kids for c in kid]
        return " ".join(" ".join(p.split()) for p in parts if p and p.strip())
    return ""


def _authors(node: dict[str, Any]) -> tuple[str, ...]:
    for key in _AUTHOR_KEYS:
        value = node.get(key)
        items = value if isinstance(value, list) else [value]
        names = [name for item in items[:20] if (name := _name(item))]
        if names:
            return tuple(dict.fromkeys(names))
    return ()


def _name(item: Any) -> str | None:
    if isinstance(item, str):
        text = " ".join(item.split())
        return text if 0 < len(text) <= 80 and not text.startswith(("http://", "https://")) else None
    if isinstance(item, dict):
        return next((n for k in _NAME_KEYS if (n := _name(item.get(k)))), None)
    return None


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
