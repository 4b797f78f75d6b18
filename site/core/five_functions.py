"""The programme's five functions (五大功能), the top-level grouping of every lesson: an enum, with
the slugs of their index pages and a parser for import files."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Function(models.TextChoices):
    THEORY = "theory", _("思想理论教育")
    SKILLS = "skills", _("实用技术培训")
    CULTURE = "culture", _("文化艺术熏陶")
    EDUCATION = "education", _("学历教育培训")
    RESPONSE = "response", _("信息沟通与应急响应")


FUNCTION_SLUGS = {
    Function.THEORY: "sixiang-lilun",
    Function.SKILLS: "shiyong-jishu",
    Function.CULTURE: "wenhua-yishu",
    Function.EDUCATION: "xueli-jiaoyu",
    Function.RESPONSE: "xinxi-yingji",
}


def parse_function(value):
    """A function from its key or its Chinese name (as import files give it), else None."""
    text = str(value or "").strip()
    for choice in Function:
        with translation.override("zh-hans"):
            name = str(choice.label)
        if text in (choice.value, name):
            return choice
    return None
