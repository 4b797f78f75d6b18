"""Search finds pages only: a word that only a document, an image or a snippet holds
finds nothing, and pages the public may not see never push a visible page out.

Every index entry is named by its content type and an id that other models reuse (a
document and a page may both be number 57). These run on the database backend of the
database in use (SQLite, or PostgreSQL with DATABASE_URL) and, with SEARCH_ENGINE_URL,
on the engine.
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction

from lessons.models import LessonPage
from pioneer.core.public import public_pages
from pioneer.models import Region
from search import service, sqlite_fts
from tests.support.engine import require_engine
from tests.support.factories import make_document, make_lesson

pytestmark = pytest.mark.django_db

# Words no demo page holds; each appears in the title of one object that is not a page.
DOCUMENT_WORD, IMAGE_WORD, SNIPPET_WORD = "qzdocx", "qzimgx", "qzsnpx"
# What an attacker types into the suggestions box, one character at a time.
DOCUMENT_TITLE = f"绝密名单 {DOCUMENT_WORD}"
IMAGE_TITLE = f"内部照片 {IMAGE_WORD}"
PREFIXES = ["绝", "绝密", "绝密名单", "内", "内部照片", DOCUMENT_WORD, IMAGE_WORD, SNIPPET_WORD]


@pytest.fixture(
    params=[
        "database",
        pytest.param("engine", marks=[require_engine(), pytest.mark.engine]),
    ]
)
def backend(request):
    if request.param == "engine":
        request.getfixturevalue("engine")
    return request.param


def _zh():
    return Locale.objects.get(language_code="zh-hans")


def _found_before(client):
    """Pages the words and prefixes already find before the objects exist: an engine's
    suggestions match single characters (名单 finds 单季晚稻…), which is no leak."""
    found = set()
    for prefix in PREFIXES:
        data = client.get("/api/search/suggest/", {"q": prefix}).json()
        found |= {suggestion["id"] for suggestion in data["suggestions"]}
    for word in (DOCUMENT_WORD, IMAGE_WORD, SNIPPET_WORD):
        found |= {hit.page.pk for hit in service.search(word, _zh(), page_size=50).hits}
    return found


def _public_lessons_with_free_ids(count, found_before):
    """Public lessons whose ids no document, image or region has, and that nothing
    searched for here finds yet: the objects made below take these ids, so that an id
    mistaken for a page's names a visible page."""
    taken = found_before | (
        set(get_document_model().objects.values_list("pk", flat=True))
        | set(get_image_model().objects.values_list("pk", flat=True))
        | set(Region.objects.values_list("pk", flat=True))
    )
    lessons = [
        page
        for page in public_pages(LessonPage, locale=_zh()).order_by("pk")
        if page.pk not in taken
    ]
    assert len(lessons) >= count
    return lessons[:count]


def _image(pk, title):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 60)).save(buffer, "PNG")
    return get_image_model().objects.create(
        pk=pk, title=title, file=ImageFile(buffer, name="secret.png")
    )


@pytest.fixture
def objects_sharing_page_ids(backend, client):
    # Public lessons for the objects to take the ids of (none of the words or prefixes
    # names them); on the bare structure their ids come after every region's.
    for name in ("甲", "乙", "丙", "丁"):
        make_lesson(f"编号共用测试课{name}")
    as_document, as_image, as_region = _public_lessons_with_free_ids(3, _found_before(client))
    document = get_document_model()(
        pk=as_document.pk, title=DOCUMENT_TITLE, file=ContentFile(b"%PDF-1.4 secret", "s.pdf")
    )
    document._set_document_file_metadata()
    document.save()
    # The document is private: only a view-restricted lesson uses it.
    restricted = make_lesson(
        "仅限登录的课程", body=[("attachment", {"document": document, "title": ""})]
    )
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    _image(as_image.pk, IMAGE_TITLE)
    Region.objects.create(
        pk=as_region.pk,
        name=f"{SNIPPET_WORD}县",
        slug=SNIPPET_WORD,
        level="county",
        locale=_zh(),
    )
    if backend == "engine":
        _wait_until_the_engine_shows_new_objects()
    return [as_document, as_image, as_region]


def _wait_until_the_engine_shows_new_objects():
    from wagtail.search.backends import get_search_backend

    get_search_backend("default").refresh_indexes()


@pytest.mark.parametrize("word", [DOCUMENT_WORD, IMAGE_WORD, SNIPPET_WORD])
def test_a_word_only_another_object_holds_finds_no_page(client, objects_sharing_page_ids, word):
    outcome = service.search(word, _zh(), page_size=50)
    assert outcome.hits == [] and outcome.count == 0

    data = client.get("/api/search/", {"q": word}).json()
    assert data["results"] == [] and data["count"] == 0

    html = client.get("/zh-hans/search/", {"q": word}).content.decode()
    for page in objects_sharing_page_ids:
        assert page.title not in html


def test_suggestions_do_not_read_out_other_objects_titles(client, objects_sharing_page_ids):
    ids = {page.pk for page in objects_sharing_page_ids}
    for prefix in PREFIXES:
        data = client.get("/api/search/suggest/", {"q": prefix}).json()
        assert not ids & {suggestion["id"] for suggestion in data["suggestions"]}, prefix


def test_hidden_matches_beyond_the_limit_do_not_push_out_a_public_page(monkeypatch):
    """More matches the public may not see than the ranking keeps (drafts, restricted
    pages, pages past their expiry, documents), all ranked above the one public page
    (the word in their titles, in its body only): the public page is still found."""
    import datetime

    from django.utils import timezone
    from wagtail.rich_text import RichText

    monkeypatch.setattr(sqlite_fts, "LIMIT", 5)
    monkeypatch.setattr(service, "CANDIDATES", 5)
    word = "qzlimx"
    for number in range(3):
        make_lesson(f"{word} 草稿{number}", publish=False)
        restricted = make_lesson(f"{word} 内部{number}")
        PageViewRestriction.objects.create(page=restricted, restriction_type="login")
        expired = make_lesson(f"{word} 过期{number}")
        Page.objects.filter(pk=expired.pk).update(
            expire_at=timezone.now() - datetime.timedelta(days=1)
        )
        make_document(f"{word} 附件{number}")
    public = make_lesson(
        "公开的课程",
        body=[("paragraph", RichText(f"<p>正文里提到 {word} 一次。</p>"))],
    )
    outcome = service.search(word, _zh(), page_size=10)
    assert [hit.page.pk for hit in outcome.hits] == [public.pk]
    assert outcome.count == 1
