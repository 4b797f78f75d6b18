"""Data saver (省流量): with ``Save-Data: on`` or the learner's switch, pages send no
images or video posters up front; each image becomes a link that says its size."""

import math
import re

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from wagtail.rich_text import RichText

from lessons.models import LessonIndexPage, LessonPage
from pioneer.demo.media import make_cover
from tests.support.factories import make_lesson

pytestmark = pytest.mark.django_db

SAVE_DATA = {"HTTP_SAVE_DATA": "on"}


@pytest.fixture
def illustrated_lesson(db):
    """A lesson with a cover, an illustrated paragraph and an illustrated step."""
    picture = make_cover("省流量测试图", "skills", "saver-test")
    step_picture = make_cover("省流量步骤图", "skills", "saver-step")
    body = [
        ("paragraph", RichText("<p>先看图，再动手。</p>")),
        ("image", {"image": picture, "alt": "稻田分区示意", "caption": "图一"}),
        ("steps", {"title": "步骤", "steps": [{"text": "翻耕", "image": step_picture}]}),
    ]
    return make_lesson("省流量配图课程", body=body, cover=picture)


def _image_links(html):
    return re.findall(r'<a class="image-link" href="([^"]+)">([^<]+)</a>', html)


def test_lesson_with_save_data_sends_links_with_sizes_instead_of_images(client, illustrated_lesson):
    normal = client.get(illustrated_lesson.url).content.decode()
    assert normal.count("<img") == 3  # the cover, the picture and the step's picture

    response = client.get(illustrated_lesson.url, **SAVE_DATA)
    html = response.content.decode()
    assert "<img" not in html
    assert "Save-Data" in response["Vary"]
    links = _image_links(html)
    assert len(links) == 3
    for href, label in links:
        assert href.startswith(settings.MEDIA_URL) and href.endswith(".webp")
        size = default_storage.size(href.removeprefix(settings.MEDIA_URL))
        assert label.endswith(f"（{math.ceil(size / 1024)} KB）"), label
    assert links[0][1].startswith("查看图片（")  # the cover, decorative: no alt text
    assert links[1][1].startswith("查看图片：稻田分区示意（")


@pytest.mark.demo
def test_video_lessons_with_save_data_have_no_poster_and_never_preload(client, db):
    lesson = next(
        page
        for page in LessonPage.objects.live().filter(locale__language_code="zh-hans")
        if any(block.block_type == "video" for block in page.body)
    )
    assert "poster=" in client.get(lesson.url).content.decode()
    html = client.get(lesson.url, **SAVE_DATA).content.decode()
    assert "poster=" not in html and "<img" not in html
    media = re.findall(r"<(?:video|audio)\b[^>]*>", html)
    assert media and all('preload="none"' in tag for tag in media)


@pytest.mark.demo
def test_listings_with_save_data_have_text_and_no_images(client, db):
    index = LessonIndexPage.objects.get(locale__language_code="zh-hans", function="")
    assert "<img" in client.get(index.url).content.decode()
    html = client.get(index.url, **SAVE_DATA).content.decode()
    assert "<img" not in html
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    assert len(titles) == 12  # a full page of lessons, readable as text
    assert "<img" not in client.get("/zh-hans/", **SAVE_DATA).content.decode()


def test_switch_turns_the_data_saver_on_and_off_without_javascript(client, illustrated_lesson):
    html = client.get(illustrated_lesson.url).content.decode()
    assert "?saver=on&amp;next=" in html and "省流量</a>" in html

    response = client.get("/mode/", {"saver": "on", "next": illustrated_lesson.url})
    assert response.status_code == 302 and response["Location"] == illustrated_lesson.url
    assert response.cookies["saver"].value == "on"
    assert "mode" not in response.cookies  # the elder-friendly mode is left alone
    html = client.get(illustrated_lesson.url).content.decode()
    assert "<img" not in html and len(_image_links(html)) == 3
    assert "退出省流量" in html

    response = client.get("/mode/", {"saver": "off", "next": illustrated_lesson.url})
    assert response.cookies["saver"].value == ""
    client.cookies.pop("saver", None)
    assert "<img" in client.get(illustrated_lesson.url).content.decode()


def test_learner_can_turn_off_what_the_browser_asks_for(client, illustrated_lesson):
    assert "退出省流量" in client.get(illustrated_lesson.url, **SAVE_DATA).content.decode()
    response = client.get("/mode/", {"saver": "off", "next": "/zh-hans/"}, **SAVE_DATA)
    assert response.cookies["saver"].value == "off"
    html = client.get(illustrated_lesson.url, **SAVE_DATA).content.decode()
    assert "<img" in html and "?saver=on&amp;next=" in html


def test_elder_mode_and_data_saver_are_separate_cookies(client, db):
    client.cookies["saver"] = "on"
    response = client.get("/mode/", {"mode": "elder", "next": "/zh-hans/"})
    assert "saver" not in response.cookies
    html = client.get("/zh-hans/").content.decode()
    assert 'class="elder"' in html and "退出省流量" in html and "退出大字模式" in html


@pytest.mark.demo
@pytest.mark.browser
def test_browser_with_save_data_loads_no_image_until_asked(live_server, demo_site, browser):
    """Chromium sends ``Save-Data: on`` with JavaScript off: no image, poster or media
    request on the home page, the lesson index or a video lesson; the link loads one."""
    lesson = next(
        page
        for page in LessonPage.objects.live().filter(locale__language_code="zh-hans")
        if any(block.block_type == "video" for block in page.body)
    )
    index = LessonIndexPage.objects.get(locale__language_code="zh-hans", function="")
    picture_lesson = make_lesson("浏览器省流量测试", cover=make_cover("封面", "skills", "b"))
    context = browser.new_context(
        java_script_enabled=False,
        extra_http_headers={"Save-Data": "on"},
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    loaded = []
    page.on("request", lambda request: loaded.append((request.resource_type, request.url)))
    for url in ("/zh-hans/", index.url, lesson.url, picture_lesson.url):
        loaded.clear()
        assert page.goto(live_server.url + url).status == 200
        page.wait_for_load_state("load")
        heavy = [r for r in loaded if r[0] in ("image", "media")]
        assert heavy == [], (url, heavy)
        assert page.locator("img").count() == 0
        assert page.locator("video[poster]").count() == 0
        for preload in page.locator("video, audio").evaluate_all(
            "els => els.map(el => el.getAttribute('preload'))"
        ):
            assert preload == "none"
        assert page.locator("h1").count() == 1
    link = page.get_by_role("link", name=re.compile(r"查看图片（\d+ KB）"))
    with page.expect_response(lambda r: "/images/" in r.url) as image:
        link.click()
    assert image.value.ok and image.value.headers["content-type"] == "image/webp"
    context.close()
