"""What a page wraps around its stories, one definition for every stage: the elements of navigation, the
page's header and footer, side boxes, and the words that head or name a most-read box. Discovery reads a
link in them as no story of the listing's; extraction leaves them out of a story's text. Pure.
"""

from __future__ import annotations

import re

from feedgen_app.dom import HtmlElement

NAVIGATION_TAGS = frozenset({"nav", "menu"})  # menus: chrome wherever they stand
FRAME_TAGS = frozenset({"header", "footer"})  # the page's header and footer; a story card's own inside one
SIDE_TAGS = frozenset({"aside"})  # side boxes; a story's own aside inside its <article>
CHROME_TAGS = NAVIGATION_TAGS | FRAME_TAGS | SIDE_TAGS
# ARIA's names for the same parts, on pages that mark them with `role` instead of tags
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menubar"})
STORY_PARTS = frozenset({"article", "main"})  # what a header, footer or aside inside belongs to


def is_chrome_element(el: HtmlElement) -> bool:
    """A menu, header, footer or side box by its tag or its ARIA role."""
    return el.tag in CHROME_TAGS or el.get("role") in CHROME_ROLES


def in_page_chrome(el: HtmlElement, sides: bool = True) -> bool:
    """Inside the page's menus, header, footer or (with `sides`) side boxes: a menu anywhere; a header,
    footer or aside only outside an `<article>` or `<main>` (`<article><header><h2><a>` is how many themes
    write a headline: the card's own, not the page's)."""
    ancestors = list(el.iterancestors())
    framing = FRAME_TAGS | SIDE_TAGS if sides else FRAME_TAGS
    for i, ancestor in enumerate(ancestors):
        if ancestor.tag in NAVIGATION_TAGS:
            return True
        if ancestor.tag in framing and not any(outer.tag in STORY_PARTS for outer in ancestors[i + 1 :]):
            return True
    return False


# A box headed as readers' favourites ("Most popular", "Meistgelesen", "많이 본 뉴스") …
MOST_READ_HEADING = re.compile(
    r"most[\s-]*(?:popular|read|viewed|e-?mailed|shared|commented|recommended|watched|clicked|blogged)"
    r"|\bpopular\b|\btrending\b|\btop\s*(?:5|10|20|five|ten)\b"
    r"|meist(?:gelesen|gesehen|kommentiert|geklickt)|beliebteste"
    r"|plus\s+(?:lus|consult|populaires|partag|comment|vus)"
    r"|m[aá]s\s+(?:le[ií]d|vist|popular|compartid|comentad)|lo\s+m[aá]s\s+(?:le|vist)"
    r"|pi[uù]\s+(?:lett|vist|popolar|condivis|commentat|cliccat)"
    r"|mest\s+(?:lest|l[äa]st|l[æa]st|sedd|sett|delt|popul)"
    r"|mais\s+(?:lid|vist|popular|partilh|compartilh)|meest\s+(?:gelezen|bekeken)"
    r"|najczęściej|najpopularniejsz|самые\s+(?:популярн|читаем)"
    r"|많이\s*본|인기|랭킹|ランキング|人気|よく読まれ|最も読まれ|热门|熱門|排行|最受欢迎",
    re.IGNORECASE,
)
# … or named so in its class or id (`mostread`, `popular-stories`, `top10`)
MOST_READ_NAME = re.compile(
    r"popular|most[-_]?(?:read|viewed|e?mailed|shared|commented|clicked)|trending|ranking|top[-_]?10",
    re.IGNORECASE,
)
