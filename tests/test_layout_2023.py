"""The 2023-24 layout (era D in docs): no page of it was seen, so this page is written from the documented
markup (div.news_content, h1.news_title, p.news_date with AP-style dates, div.news_text_area with
div.img_box / em.img_caption / div.text_box > p). It pins that the profile's era-D selectors do their job."""

from __future__ import annotations

from feedgen_app.extraction.extract import extract_story, fallback_fields
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

KH = profile_from_table("koreaherald", builtin_table("koreaherald"), "test")
URL = "https://www.koreaherald.com/view.php?ud=20230930000123"
PAGE = """<html><head><title>Seoul says N. Korea moved missile launchers - The Korea Herald</title>
<meta property="og:image" content="https://res.heraldm.com/content/image/2023/09/30/20230930000123_0.jpg"></head>
<body><div class="gnb"><a href="/list.php?ct=020100000000">National</a></div>
<div class="news_content">
<div class="news_title_area"><h1 class="news_title">Seoul says N. Korea moved missile launchers near border</h1>
<h2 class="news_title">Military on alert ahead of Chuseok holiday</h2>
<p class="news_date">Sept. 30, 2023 - 20:50</p></div>
<div class="news_journalist_area"><span class="name">By Choi Si-young (siyoungchoi@heraldcorp.com)</span></div>
<div class="news_btn_wrap"><button>Share</button><button>Font size</button></div>
<div class="news_text_area">
<div class="img_box"><img src="https://res.heraldm.com/content/image/2023/09/30/20230930000123_0.jpg" alt="">
<em class="img_caption">A South Korean soldier stands guard at a post in Paju on Saturday. (Yonhap)</em></div>
<div class="text_box"><p>North Korea has moved several mobile missile launchers closer to the inter-Korean border, the Joint Chiefs of Staff said Saturday.</p>
<p>The military raised its surveillance posture ahead of the Chuseok holiday, a JCS official said.</p>
<div class="view_ad"><span>Advertisement</span></div>
<p>Seoul and Washington were closely monitoring the movements, the official added.</p></div>
</div></div>
<div class="main_r"><div class="main_r_tit">MOST POPULAR</div></div>
</body></html>"""


def test_era_d_page() -> None:
    story = extract_story(Page(URL, URL, 200, PAGE), KH, URL, "/view.php?ud=20230930000123")
    assert story.title == "Seoul says N. Korea moved missile launchers near border"
    assert story.subtitle == "Military on alert ahead of Chuseok holiday"
    assert story.authors == ("Choi Si-young",)
    assert story.published is not None and story.published.isoformat() == "2023-09-30T20:50:00+09:00"
    assert story.image is not None and story.image.caption == (
        "A South Korean soldier stands guard at a post in Paju on Saturday. (Yonhap)"
    )
    assert story.body_text.split("\n") == [
        "North Korea has moved several mobile missile launchers closer to the inter-Korean border, the Joint Chiefs of Staff said Saturday.",
        "The military raised its surveillance posture ahead of the Chuseok holiday, a JCS official said.",
        "Seoul and Washington were closely monitoring the movements, the official added.",
    ]
    assert fallback_fields(story, KH) == ()
