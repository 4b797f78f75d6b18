"""ASCII pinyin slugs for pages made in the admin.

A Chinese title as a slug becomes some 150 characters of percent-encoding in a shared link
(WeChat, SMS); the demo's addresses are pinyin words (水稻叠盘育秧 → shuidao-diepan-yuyang).
The page form's slug field (PinyinSlugInput) fills itself from the title as the editor types,
through ``pinyin_slug_view``, unique among the page's future siblings; editors may still
type their own (Chinese typed there becomes pinyin too). On save, an empty slug (no
JavaScript) or one with Chinese in it is made the same way, so the address is ASCII either
way.
"""

import re

from django.http import JsonResponse
from django.urls import reverse
from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import SlugInput
from wagtail.models import Page

MAX_LENGTH = 80
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def pinyin_slug(text, max_length=MAX_LENGTH):
    """水稻叠盘育秧技术（2026） → shuidao-diepan-yuyang-jishu-2026: a word's syllables
    joined, words apart, other letters and digits kept, at most ``max_length`` long."""
    import rjieba
    from pypinyin import Style, lazy_pinyin

    from search.segmentation import ensure_dictionary, normalise

    ensure_dictionary()
    parts = []
    for word in rjieba.cut(normalise(text)):
        if _HAN.search(word):
            word = "".join(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))
        word = slugify(word, allow_unicode=False)
        if word:
            parts.append(word)
    slug = "-".join(parts)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else ""
        slug = slug or "-".join(parts)[:max_length]
    return slug.strip("-")


def unique_child_slug(parent, slug, page=None):
    """``slug``, or ``slug-2``, ``slug-3`` … the first no sibling under ``parent`` uses."""
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


class PinyinSlugInput(SlugInput):
    """Wagtail's slug field, filled with pinyin instead of Wagtail's transliteration (which
    drops Chinese or keeps it as it is)."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs, **kwargs)
        self.attrs.update(
            {
                "data-controller": "w-slug pinyin-slug",
                "data-action": (
                    "blur->pinyin-slug#slugify "
                    "w-sync:check->pinyin-slug#compare "
                    "w-sync:apply->pinyin-slug#apply:prevent"
                ),
                "data-w-slug-allow-unicode-value": "false",
            }
        )

    class Media:
        js = ["pioneer/admin/pinyin-slug.js"]

    def get_context(self, name, value, attrs):
        self.attrs["data-pinyin-slug-url-value"] = reverse("pinyin_slug")
        return super().get_context(name, value, attrs)

    def value_from_datadict(self, data, files, name):
        value = (super().value_from_datadict(data, files, name) or "").strip()
        if value and value.isascii():
            return value
        return pinyin_slug(value or data.get("title", "")) or value


class PinyinSlugPageForm(WagtailAdminPageForm):
    """The base form of every page type: pinyin slugs, unique among siblings."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is not None:
            field.widget = PinyinSlugInput()
            if self.parent_page is not None:
                field.widget.attrs["data-pinyin-slug-parent-value"] = self.parent_page.pk
            if self.instance.pk:
                field.widget.attrs["data-pinyin-slug-page-value"] = self.instance.pk

    def clean(self):
        slug, title = self.cleaned_data.get("slug"), self.cleaned_data.get("title")
        # A slug made from the title (by the editor's browser or by the widget) steps aside
        # for a sibling's; one the editor typed keeps Wagtail's "already in use" error.
        if slug and title and self.parent_page is not None and slug == pinyin_slug(title):
            self.cleaned_data["slug"] = unique_child_slug(self.parent_page, slug, self.instance)
        return super().clean()


def pinyin_slug_view(request):
    """GET ?title=&parent=&page= → {"slug": …}: the slug the form would make."""
    slug = pinyin_slug(request.GET.get("title", "")[:255])
    parent_id, page_id = request.GET.get("parent", ""), request.GET.get("page", "")
    if slug and parent_id.isdigit():
        parent = Page.objects.filter(pk=int(parent_id)).first()
        page = Page.objects.filter(pk=int(page_id)).first() if page_id.isdigit() else None
        if parent is not None:
            slug = unique_child_slug(parent, slug, page)
    return JsonResponse({"slug": slug})
