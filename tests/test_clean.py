from feedgen_app.dom import fragment
from feedgen_app.extraction.clean import clean_body

BASE = "https://www.koreaherald.com/article/1"


def clean(markup: str, skip: str | None = None) -> str:
    return clean_body(fragment(markup), BASE, skip_image=lambda u: u == skip).html


def test_scripts_styles_forms_and_handlers_are_gone() -> None:
    html = clean(
        "<p onclick='x()'>Text <a href='javascript:alert(1)'>link</a></p><script>bad()</script><style>p{}</style>"
        "<form><input></form><p><img src='/a.jpg' onerror='steal()'></p>"
    )
    assert "script" not in html and "style" not in html and "form" not in html and "input" not in html
    assert "onclick" not in html and "onerror" not in html and "javascript:" not in html
    assert "<p>Text link</p>" in html


def test_br_runs_become_paragraphs() -> None:
    html = clean("First para.<br><br>Second para<br>same para.<br><br><br>Third.")
    assert html == "<p>First para.</p>\n<p>Second para<br>same para.</p>\n<p>Third.</p>"


def test_urls_are_absolute_and_images_real() -> None:
    html = clean(
        "<p><a href='/article/2'>rel</a></p>"
        "<p><img src='data:image/gif;base64,R0l' data-src='//img.example/a.jpg'></p>"
        "<picture><source srcset='/s.jpg 480w, /l.jpg 1200w'><img src='/fallback.jpg'></picture>"
        "<p><img class='lazy' src='/blank.gif'><noscript><img src='/real.jpg'></noscript></p>"
        "<p><img srcset='/x1.jpg 1x, /x2.jpg 2x'></p>"
    )
    assert 'href="https://www.koreaherald.com/article/2"' in html
    assert 'src="https://img.example/a.jpg"' in html
    assert 'src="https://www.koreaherald.com/l.jpg"' in html
    assert 'src="https://www.koreaherald.com/real.jpg"' in html
    assert 'src="https://www.koreaherald.com/x2.jpg"' in html
    assert "data:" not in html and "blank.gif" not in html
    assert html.count('referrerpolicy="no-referrer"') == 4


def test_video_embed_becomes_a_link() -> None:
    html = clean(
        "<p>Before</p><div class='video_box'><iframe src='https://www.youtube.com/embed/abc123'></iframe></div>"
    )
    assert "<iframe" not in html
    assert 'href="https://www.youtube.com/watch?v=abc123"' in html


def test_ads_share_and_related_boxes_are_dropped() -> None:
    html = clean(
        "<p>Story.</p><div class='ad_inner'><span>Advertisement</span></div>"
        "<div class='related_news'><p>Related Articles</p><ul><li><a href='/a'>Other</a></li></ul></div>"
        "<div class='share-buttons'>Share</div><ins class='adsbygoogle'></ins><p style='display:none'>hidden</p>"
    )
    assert html == "<p>Story.</p>"


def test_structure_is_kept() -> None:
    html = clean(
        "<h1>Head</h1><h3>Sub</h3><ul><li>one</li><li><b>two</b></li></ul><blockquote><p>quoted</p></blockquote>"
        "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>"
        "<figure><img src='/f.jpg' alt='alt'><figcaption>Cap</figcaption></figure>"
    )
    assert "<h2>Head</h2>" in html and "<h3>Sub</h3>" in html
    assert "<ul><li>one</li><li><strong>two</strong></li></ul>" in html
    assert "<blockquote><p>quoted</p></blockquote>" in html
    assert "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>" in html
    assert "<figcaption>Cap</figcaption>" in html


def test_layout_table_is_flattened_and_lead_image_skipped() -> None:
    html = clean(
        "<table><tr><td><center><img src='https://res.example/lead.jpg'></center></td></tr>"
        "<tr><td><div class='view_con_t'></td></tr></table><div class='view_con_t'>Para one.<br><br>Para two.</div>",
        skip="https://res.example/lead.jpg",
    )
    assert html == "<p>Para one.</p>\n<p>Para two.</p>"


def test_control_characters_never_reach_the_output() -> None:
    from feedgen_app.extraction.extract import extract_story
    from feedgen_app.profile import builtin_table, profile_from_table
    from feedgen_app.records import Page

    profile = profile_from_table("auto", builtin_table("auto"), "test")
    html = "<html><body><h1>Ti\x0ctle</h1><article><p>bad\x00\x08\x1b text, with enough words to be a story.</p></article>"
    story = extract_story(Page("u", BASE, 200, html), profile, BASE, "x")
    assert story.title == "Title"
    assert story.body_html == "<p>bad text, with enough words to be a story.</p>"


def test_deep_nesting_and_unclosed_tags() -> None:
    deep = "<div>" * 200 + "<p>deep text here</p>" + "</div>" * 200
    assert "deep text here" in clean(deep + "<p><a><b><i>unclosed")


def test_absurd_nesting_is_a_story_error_not_a_crash() -> None:
    import pytest

    from feedgen_app.errors import ExtractError
    from feedgen_app.extraction.extract import extract_story
    from feedgen_app.profile import builtin_table, profile_from_table
    from feedgen_app.records import Page

    profile = profile_from_table("auto", builtin_table("auto"), "test")
    html = "<html><body><h1>T</h1><article>" + "<div>" * 20000 + "<p>text, text, and more text here</p>"
    try:
        story = extract_story(Page("u", BASE, 200, html), profile, BASE, "x")
    except ExtractError as exc:
        assert BASE in str(exc)
    else:
        assert story.title == "T"
    with pytest.raises(ExtractError):
        extract_story(Page("u", BASE, 200, "\x00\x01 garbage \xff" * 50), profile, BASE, "x")


def test_other_frames_are_dropped_not_linked() -> None:
    html = clean_body(
        fragment(
            "<p>Text</p><iframe src='https://googleads.g.doubleclick.net/pagead/ads?x=1'></iframe>"
            "<iframe src='https://www.facebook.com/plugins/like.php'></iframe><iframe src='https://tv.kakao.com/embed/player/cliplink/123'></iframe>"
        ),
        BASE,
        video_hosts=("tv.kakao.com",),  # a profile's own video player (the Korea Herald's)
    ).html
    assert "doubleclick" not in html and "like.php" not in html
    assert 'href="https://tv.kakao.com/embed/player/cliplink/123"' in html


def test_hostile_markup_stays_out() -> None:
    html = clean(
        "<p><a href='  JaVaScRiPt:alert(1)'>a</a> <a href='java&#x09;script:alert(2)'>b</a>"
        " <a href='data:text/html,<script>alert(3)</script>'>c</a> <a href='vbscript:x'>d</a></p>"
        "<p><img src='x' onerror='alert(4)'><svg onload='alert(5)'><circle/></svg>"
        "<math><mi xlink:href='javascript:alert(6)'>m</mi></math></p>"
        "<iframe srcdoc='<script>alert(7)</script>'></iframe><object data='evil.swf'></object>"
        "<meta http-equiv='refresh' content='0;url=https://evil.example'><base href='https://evil.example/'>"
        "<p style='background:url(javascript:alert(8))' class='x' id='y' data-x='1'>styled</p>"
        "<form action='https://evil.example'><input name='q'></form><p>&lt;script&gt;alert(9)&lt;/script&gt;</p>"
    )
    lowered = html.lower()
    for bad in (
        "javascript",
        "vbscript",
        "data:",
        "onerror",
        "onload",
        "<svg",
        "<math",
        "srcdoc",
        "<object",
        "<meta",
        "<base",
        "style=",
        "<form",
        "<input",
        "<script",
    ):
        assert bad not in lowered, bad
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in html, "escaped text stays escaped"
    assert "<p>styled</p>" in html


def _paragraphs(markup: str) -> tuple[str, ...]:
    return clean_body(fragment(markup), "https://example.test/").paragraphs


def test_a_label_repeated_under_each_part_stays_and_a_copied_run_goes() -> None:
    parts = "".join(
        f"<h3>Price in town {i}</h3><p>Between {i}00 and {i}50 dollars for a standard job.</p>"
        "<p>Free estimates from local pros</p>"
        for i in range(1, 4)
    )
    copy = "<p>The first paragraph of the tab, long enough to count.</p><p>Its second paragraph, as long.</p>"
    paragraphs = _paragraphs(f"{parts}{copy}{copy}")
    assert paragraphs.count("Free estimates from local pros") == 3
    assert paragraphs.count("Its second paragraph, as long.") == 1
    assert paragraphs.count("The first paragraph of the tab, long enough to count.") == 1


def test_template_filler_text_is_not_story_text() -> None:
    paragraphs = _paragraphs(
        "<p>The real first paragraph of the story.</p>"
        "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>"
    )
    assert paragraphs == ("The real first paragraph of the story.",)


def test_an_ordered_lists_text_reads_with_its_numbers() -> None:
    body = clean_body(
        fragment(
            "<p>Please do the following:</p><ol><li>Run the tests.</li><li>Choose one that fails.</li></ol>"
            "<ol start='3'><li>Fix it.</li></ol><ol><li><span>1</span> Look for a deal.</li></ol>"
            "<ul><li>A point with no number.</li></ul>"
        ),
        "https://example.test/",
    )
    assert body.text.splitlines() == [
        "Please do the following:",
        "1. Run the tests.",
        "2. Choose one that fails.",
        "3. Fix it.",
        "1 Look for a deal.",
        "A point with no number.",
    ]
    assert "<ol><li>Run the tests.</li>" in body.html  # the markup numbers its items itself


def test_a_block_that_is_only_a_label_of_chrome_is_not_story_text() -> None:
    paragraphs = _paragraphs(
        "<p>The first paragraph of the story.</p><div><p>Advertisement</p></div><p>Table of Contents</p>"
        "<p>The second paragraph of the story.</p><p>Back to top</p><p>Share this post</p>"
        "<p>Facebook Twitter Email</p><p>Like this:</p><p>Like Loading...</p><p>6 min read</p>"
    )
    assert paragraphs == ("The first paragraph of the story.", "The second paragraph of the story.")


def test_a_paragraph_of_only_zero_width_characters_is_no_paragraph() -> None:
    body = clean_body(
        fragment(
            "<p>The story.</p><p>\u200d</p><p>\u200b \ufeff</p><p>\U0001f468\u200d\U0001f469 a family</p>"
        ),
        "https://example.test/",
    )
    assert body.paragraphs == ("The story.", "\U0001f468\u200d\U0001f469 a family")
    assert body.html.count("<p>") == 2


def test_an_affiliate_disclosure_before_the_story_is_not_its_text_but_a_story_about_affiliates_is() -> None:
    about = "Affiliate programs: streamers earn a commission when viewers buy games through their links."
    paragraphs = _paragraphs(
        "<p>This post contains affiliate links. Click here to read my full disclosure.</p>"
        "<p>The first paragraph of the story, about how streamers make money.</p>"
        f"<p>Subscriptions are the first way.</p><p>Sponsorships are the second.</p><p>{about}</p>"
        "<p>Donations are the last, and the most loyal viewers give the most.</p>"
        "<p>We may earn a commission from links on this page.</p>"
    )
    assert paragraphs[0] == "The first paragraph of the story, about how streamers make money."
    assert about in paragraphs
    assert not any("on this page" in p for p in paragraphs)


def test_a_table_of_contents_linking_into_the_page_goes_and_its_headings_stay() -> None:
    names = ["Le Wagon", "TripleTen", "Simplilearn"]
    toc = "".join(f"<li><a href='#s{i}'>{n}: the details</a></li>" for i, n in enumerate(names))
    sections = "".join(
        f"<h2 id='s{i}'>{n}: the details</h2><p>{n} is a school that teaches people to program.</p><p>Up</p>"
        for i, n in enumerate(names)
    )
    overview = (
        "<p>Three kinds of camera</p><ul>" + "".join(f"<li>{n}: the details</li>" for n in names) + "</ul>"
    )
    paragraphs = _paragraphs(f"<p>The story starts here.</p><ol>{toc}</ol>{sections}")
    assert paragraphs == (
        "The story starts here.",
        *(
            x
            for n in names
            for x in (f"{n}: the details", f"{n} is a school that teaches people to program.")
        ),
    )
    kept = _paragraphs(f"{overview}{sections}")  # a plain list of the sections, no links: the story's own
    assert kept[1] == "Le Wagon: the details\nTripleTen: the details\nSimplilearn: the details"


def test_a_zero_width_space_inside_a_word_does_not_split_it() -> None:
    paragraphs = _paragraphs(
        "<h2>H\ufeffow to apply the formula</h2><p>Divide the gain\u200b by the cost.</p>"
    )
    assert paragraphs == ("How to apply the formula", "Divide the gain by the cost.")


def test_the_space_or_break_an_inline_element_holds_is_kept() -> None:
    body = clean_body(
        fragment(
            "<p>Helios has served<a href='/about'> <span>thousands</span></a> of firms.</p>"
            "<p>A link for<strong> </strong><a href='/m'><strong>easy mood boards</strong></a>.</p>"
            "<p><b>E-Commerce Apps</b><b><br></b><span>Facilitate online shopping.</span></p>"
        ),
        "https://example.test/",
    )
    assert body.paragraphs == (
        "Helios has served thousands of firms.",
        "A link for easy mood boards.",
        "E-Commerce Apps Facilitate online shopping.",
    )
    assert "served <a href=" in body.html  # what a reader sees, not "servedthousands"
    assert "<strong>E-Commerce Apps</strong><br>Facilitate" in body.html
