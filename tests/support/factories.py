"""Build content for tests through the same page APIs editors' actions use."""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText
from wagtail_localize.synctree import create_aliases_for_new_page

from home.models import HomePage
from lessons.models import LessonIndexPage, LessonPage, LessonSeriesPage, SeriesMember
from news.models import (
    NewsIndexPage,
    NewsPage,
    PolicyIndexPage,
    PolicyPage,
    PolicyRelation,
    regional_news_index,
)
from pioneer import compat
from pioneer.core.five_functions import FUNCTION_SLUGS
from pioneer.models import Region

# Small stand-ins for a lesson's media: every byte position recognisable, so range answers
# can be checked byte for byte (tests/http/test_media_ranges.py).
VIDEO = bytes(range(256)) * 40  # 10,240 bytes
AUDIO = bytes(range(255, -1, -1)) * 20  # 5,120 bytes


def function_index(function):
    return LessonIndexPage.objects.get(
        locale__language_code="zh-hans", slug=FUNCTION_SLUGS[function], function=function
    )


def make_document(title="附件", content=b"%PDF-1.4 test", name="test.pdf"):
    document = get_document_model()(title=title, file=ContentFile(content, name=name))
    compat.set_file_metadata(document)
    document.save()
    return document


def make_image(title, colour=(200, 30, 30), name="picture.jpg"):
    """A 64×48 picture in one colour, JPEG or PNG after ``name``, saved as an upload is."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), colour).save(buffer, "PNG" if name.endswith(".png") else "JPEG")
    image = get_image_model()(title=title, file=ContentFile(buffer.getvalue(), name=name))
    compat.set_file_metadata(image)
    image.save()
    return image


def make_lesson(title, function="skills", tags=(), publish=True, body=None, **fields):
    parent = function_index(function)
    page = LessonPage(
        title=title,
        summary=fields.pop("summary", f"{title}的摘要"),
        function=function,
        body=body if body is not None else [("paragraph", RichText("<p>正文内容</p>"))],
        date=fields.pop("date", datetime.date(2026, 1, 1)),
        live=publish,  # like the admin: a page saved as a draft is not live
        **fields,
    )
    page.tags.add(*tags)
    parent.add_child(instance=page)
    return _publish(page, publish)


def _publish(page, publish):
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_media_lesson(title, video=True, audio=False, attachment=True, outline=True, **fields):
    """A lesson with what partners and offline packs carry: a video, an audio track, an
    attachment and an outline, as editors add them."""
    body = [("paragraph", RichText("<p>正文内容</p>"))]
    if outline:
        body.append(("outline", {"heading": "要点", "text": RichText("<ul><li>第一点</li></ul>")}))
    if video:
        document = make_document(f"{title}视频", VIDEO, name="lesson-video.mp4")
        body.append(("video", {"file": document, "title": ""}))
    if audio:
        document = make_document(f"{title}音频", AUDIO, name="lesson-audio.mp3")
        body.append(("audio", {"file": document, "title": ""}))
    if attachment:
        document = make_document(f"{title}讲义", name="handout.pdf")
        body.append(("attachment", {"document": document, "title": ""}))
    return make_lesson(title, body=body, **fields)


def make_series(title, lessons, function="skills", publish=True, **fields):
    """A series (专题) of ``lessons``, in that order, under the function's index."""
    page = LessonSeriesPage(
        title=title, summary=fields.pop("summary", f"{title}的简介"), live=publish, **fields
    )
    page.members = [SeriesMember(lesson=lesson) for lesson in lessons]
    function_index(function).add_child(instance=page)
    return _publish(page, publish)


def region(slug):
    return Region.objects.get(slug=slug, locale__language_code="zh-hans")


def news_root():
    return NewsIndexPage.objects.get(locale__language_code="zh-hans", region=None, slug="news")


def news_section(region_slug):
    """The news section of a region, as offices' editors find it (created when missing)."""
    return regional_news_index(region(region_slug), news_root())


def make_news(title, region_slug=None, tags=(), publish=True, **fields):
    """A news item in its region's section (the province-wide list when no region)."""
    page = NewsPage(
        title=title,
        summary=fields.pop("summary", f"{title}摘要"),
        region=region(region_slug) if region_slug else None,
        source=fields.pop("source", "测试"),
        date=fields.pop("date", datetime.date(2026, 1, 1)),
        live=publish,
        **fields,
    )
    page.tags.add(*tags)
    (news_section(region_slug) if region_slug else news_root()).add_child(instance=page)
    return _publish(page, publish)


def policy_library():
    return PolicyIndexPage.objects.get(locale__language_code="zh-hans", slug="policies")


def make_policy(title, doc_number="", status="in_force", relations=(), publish=True, **fields):
    page = PolicyPage(
        title=title,
        doc_type=fields.pop("doc_type", "notice"),
        issuer=fields.pop("issuer", "测试发文机关"),
        doc_number=doc_number,
        issue_date=fields.pop("issue_date", datetime.date(2026, 2, 1)),
        status=status,
        body=fields.pop("body", [("paragraph", RichText("<p>全文</p>"))]),
        live=publish,
        **fields,
    )
    page.relations = [PolicyRelation(kind=kind, target=target) for kind, target in relations]
    policy_library().add_child(instance=page)
    return _publish(page, publish)


def make_translation(page, strings):
    """The English version of ``page`` through the path translators use (a PO file through
    wagtail-localize, as the demo's English is made): ``strings`` maps source text to its
    English; what it does not name stays in Chinese. Returns the published English page."""
    from wagtail.models import Locale

    from pioneer.demo.english import translate_instance

    english = Locale.objects.get(language_code="en")
    if page.get_translation_or_none(english) is None:
        # The factories skip the admin's ``after_create_page`` hook, by which wagtail-localize
        # gives a new page its alias in the English tree; the translation replaces that alias.
        create_aliases_for_new_page(page)
    translate_instance(page, english, strings)
    return page.get_translation(english).specific


def one_of_each():
    """One live public page of every type a learner can open ({model: page}): the
    structure's own sections and home, and one new page of each content type."""
    lesson = make_media_lesson("样例课程", audio=True)
    return {
        HomePage: HomePage.objects.get(locale__language_code="zh-hans"),
        LessonIndexPage: function_index("skills"),
        LessonPage: lesson,
        LessonSeriesPage: make_series("样例专题", [lesson, make_lesson("样例课程二")]),
        NewsIndexPage: news_root(),
        NewsPage: make_news("样例新闻", "hangzhou"),
        PolicyIndexPage: policy_library(),
        PolicyPage: make_policy("样例文件", doc_number="浙测发〔2026〕1号"),
        **_notice_pages(),
    }


def _notice_pages():
    from notices.models import NoticeIndexPage, NoticePage

    return {NoticeIndexPage: notice_index(), NoticePage: make_notice("样例预警", "tonglu")}


def zip_names(content):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).namelist()


def notice_index():
    from notices.models import NoticeIndexPage

    return NoticeIndexPage.objects.get(locale__language_code="zh-hans", slug="notices")


def make_notice(title, region_slug, level="red", areas=(), publish=True, **fields):
    """An urgent notice of ``region_slug``'s office, in force from an hour ago for a day
    unless ``starts_at`` / ``ends_at`` say otherwise."""
    from django.utils import timezone

    from notices.models import NoticePage

    now = timezone.now()
    page = NoticePage(
        title=title,
        summary=fields.pop("summary", f"{title}：请各站点做好准备。"),
        level=level,
        region=region(region_slug),
        starts_at=fields.pop("starts_at", now - datetime.timedelta(hours=1)),
        ends_at=fields.pop("ends_at", now + datetime.timedelta(days=1)),
        live=publish,
        **fields,
    )
    page.areas = [region(slug) for slug in areas]
    notice_index().add_child(instance=page)
    return _publish(page, publish)
