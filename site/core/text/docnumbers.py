"""Document numbers (文号) such as 浙组通〔2023〕12号, in one canonical form.

People type the year's brackets as [], (), （）, 【】 or 〔〕, with full-width digits and
stray spaces; all of these name the same document, so they are stored and searched as
``<issuer code>〔<year>〕<number>号``.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from opencc import OpenCC

_OPEN = "[(（【〔［{｛<《〈"
_CLOSE = "])）】〕］}｝>》〉"
_YEAR = re.compile(rf"\s*[{re.escape(_OPEN)}]\s*(\d{{4}})\s*[{re.escape(_CLOSE)}]\s*")
_CANONICAL = re.compile(r"^(?P<code>[^\s〔〕]+?)〔(?P<year>\d{4})〕(?P<number>\d+)号$")
# A number typed without any bracket: 浙组通2023年12号 or 浙组通 2023 12号
_BARE_YEAR = re.compile(r"^(?P<code>\D+?)\s*(?P<year>(19|20)\d{2})\s*年?\s*(?P<number>\d+)\s*号?$")


# The beginning of a number, as a learner types it to list an issuer's documents: the
# issuer's code (湖组发), or the code and a year (杭农发〔2025〕, 杭农发 2025, 杭农发2025年).
# A code is Chinese characters only (as in segmentation's numbers inside running text), so
# an English word or a code-like Latin string is never read as one.
_PREFIX = re.compile(
    r"^(?P<code>[\u4e00-\u9fff]{2,12}?)\s*(?:〔(?P<year>\d{4})〕|(?P<bare>(?:19|20)\d{2})\s*年?)?$"
)

# A number without its issuer's code, as a learner remembers it: the year in brackets and
# the number (〔2025〕12号, (2025)12号), or the year and the number of a 文件 (2025年第12号文件);
# "2025年12号" alone is left to the text search: it reads as a date as well.
_YEAR_NUMBER = re.compile(r"^〔(?P<year>(?:19|20)\d{2})〕第?(?P<number>\d+)号(?:文件|文)?$")
_BARE_YEAR_NUMBER = re.compile(r"^(?P<year>(?:19|20)\d{2})年第?(?P<number>\d+)号(?:文件|文)$")


@dataclass(frozen=True)
class Prefix:
    """An issuer code, with or without a year: the first part of some canonical numbers."""

    code: str
    year: str | None = None

    def __str__(self):
        return f"{self.code}〔{self.year}〕" if self.year else self.code

    @property
    def stored_start(self):
        """What the canonical numbers it names begin with (the code alone is followed by
        the year's bracket, so 湖组 does not take in 湖组发's documents)."""
        return f"{self.code}〔{self.year}〕" if self.year else f"{self.code}〔"


_TO_SIMPLIFIED = OpenCC("t2s.json")


def _fold(text):
    # NFKC turns full-width digits, letters and most brackets into ASCII ones; a code typed
    # in Traditional characters (浙組通) names the same issuer as in Simplified.
    folded = unicodedata.normalize("NFKC", text or "").strip()
    return _TO_SIMPLIFIED.convert(folded) if folded else folded


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


def prefix(text):
    """The ``Prefix`` a text could be (an issuer code, or a code and a year), or None; a
    whole number is not a prefix (``normalise`` reads it). Whether any document has that
    code is for the caller to look up: 水稻 reads as a code too, and names no document."""
    folded = _fold(text)
    if not folded or normalise(folded):
        return None
    candidate = _YEAR.sub(lambda m: f"〔{m.group(1)}〕", folded, count=1)
    match = _PREFIX.match(candidate.strip())
    if not match:
        return None
    return Prefix(match.group("code"), match.group("year") or match.group("bare"))


def year_and_number(text):
    """The end every number of that year and number shares (``〔2025〕12号``), for a text
    that is a year and a number without an issuer's code, or None."""
    folded = _fold(text)
    if not folded or normalise(folded) or prefix(folded):
        return None
    candidate = re.sub(r"\s+", "", _YEAR.sub(lambda m: f"〔{m.group(1)}〕", folded, count=1))
    match = _YEAR_NUMBER.match(candidate) or _BARE_YEAR_NUMBER.match(candidate)
    if not match:
        return None
    return f"〔{match.group('year')}〕{int(match.group('number'))}号"


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
