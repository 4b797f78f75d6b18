"""Document numbers (文号) such as 浙组通〔2023〕12号, in one canonical form.

People type the year's brackets as [], (), （）, 【】 or 〔〕, with full-width digits and
stray spaces; all of these name the same document, so they are stored and searched as
``<issuer code>〔<year>〕<number>号``.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_OPEN = "[(（【〔［{｛<《〈"
_CLOSE = "])）】〕］}｝>》〉"
_YEAR = re.compile(rf"\s*[{re.escape(_OPEN)}]\s*(\d{{4}})\s*[{re.escape(_CLOSE)}]\s*")
_CANONICAL = re.compile(r"^(?P<code>[^\s〔〕]+?)〔(?P<year>\d{4})〕(?P<number>\d+)号$")
# A number typed without any bracket: 浙组通2023年12号 or 浙组通 2023 12号
_BARE_YEAR = re.compile(r"^(?P<code>\D+?)\s*(?P<year>(19|20)\d{2})\s*年?\s*(?P<number>\d+)\s*号?$")


def _fold(text):
    # NFKC turns full-width digits, letters and most brackets into ASCII ones.
    return unicodedata.normalize("NFKC", text or "").strip()


def normalise(text):
    """The canonical form of a document number, or None when it is not one."""
    folded = _fold(text)
    if not folded:
        return None
    candidate = _YEAR.sub(lambda m: f"〔{m.group(1)}〕", folded, count=1)
    candidate = re.sub(r"\s+", "", candidate)
    if candidate and not candidate.endswith("号"):
        candidate += "号"
    match = _CANONICAL.match(candidate)
    if not match:
        bare = _BARE_YEAR.match(re.sub(r"\s+", " ", folded))
        if not bare:
            return None
        match = bare
    code, year, number = match.group("code"), match.group("year"), int(match.group("number"))
    return f"{code}〔{year}〕{number}号"


def validate(text):
    """Normalise or raise a ValidationError that tells the editor what is expected."""
    canonical = normalise(text)
    if canonical is None:
        raise ValidationError(
            _("文号格式不正确：应为“发文机关代字〔年份〕序号号”，例如 浙组通〔2023〕12号"),
            code="invalid_doc_number",
        )
    return canonical


def looks_like_doc_number(text):
    return normalise(text) is not None
