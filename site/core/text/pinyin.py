"""ASCII pinyin for Chinese text: the words of a title as a slug (水稻叠盘育秧 →
shuidao-diepan-yuyang), segmented with the programme's dictionary."""

import re

from django.utils.text import slugify

from pioneer.core.text.segmentation import ensure_dictionary, normalise

MAX_LENGTH = 80
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def pinyin_slug(text, max_length=MAX_LENGTH):
    """水稻叠盘育秧技术（2026） → shuidao-diepan-yuyang-jishu-2026: a word's syllables
    joined, words apart, other letters and digits kept, at most ``max_length`` long."""
    import rjieba
    from pypinyin import Style, lazy_pinyin

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
