"""Build content for tests through the same page APIs editors' actions use."""

import datetime
import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from lessons.models import LessonIndexPage, LessonPage
from pioneer import compat
from pioneer.core.five_functions import FUNCTION_SLUGS


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
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def zip_names(content):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(content)).namelist()
