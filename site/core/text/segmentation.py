"""What a "word" is, for indexing and for querying, on every search backend.

Chinese has no spaces, and neither SQLite FTS5 nor an engine's standard analyzer finds
words inside a run of Chinese characters. So text is turned into space-separated words
here, once, and every backend indexes and matches those words:

* normalise: NFKC (full-width letters and digits become half-width), Traditional
  characters become Simplified (OpenCC), lower case;
* segment: jieba (through rjieba) with the programme's own terms in its dictionary;
  indexing uses the search mode (水稻病虫害 → 水稻 病虫 虫害 病虫害) for recall, queries
  the precise mode;
* Latin words are stemmed (Snowball, English), so "stations" finds "station";
* synonyms are not indexed: they apply to the query (``search.synonyms``, groups editors
  manage), so changing them never needs the index rebuilt; the index holds what pages say;
* document numbers (浙组通〔2024〕3号 in any typed form) index as one key word, plus
  their issuer code, so a number or its prefix finds the document.
"""

import functools
import re
import unicodedata

import rjieba
import snowballstemmer
from opencc import OpenCC

from pioneer.core.text import docnumbers

# Terms of the programme that the general dictionary would split.
USER_WORDS = [
    "远程教育",
    "远教",
    "现代远程教育",
    "终端接收站点",
    "接收站点",
    "站点管理员",
    "乡村振兴",
    "千万工程",
    "红船精神",
    "电子商务",
    "电商",
    "直播带货",
    "带货",
    "医疗保险",
    "医保",
    "养老保险",
    "非洲猪瘟",
    "猪瘟",
    "生猪养殖",
    "病虫害",
    "绿色防控",
    "叠盘出苗",
    "文化礼堂",
    "农民画",
    "开放大学",
    "数字乡村",
    "防汛防台",
    "森林防火",
    "电信诈骗",
    "党员干部",
    "基层党组织",
    "浙组通",
    "浙组发",
    "浙远教办",
]

# Words of the programme's synonym groups as they shipped in code, kept in the dictionary
# so that texts segment as they always have (the groups themselves are data now:
# search/data/synonyms.jsonl).
GROUP_WORDS = [
    "远程教育", "远教", "电子商务", "电商", "网店", "医疗保险", "医保", "养老保险", "养老金",
    "非洲猪瘟", "非瘟", "猪瘟", "病虫害", "病虫", "开放大学", "电大", "广播电视大学",
    "非物质文化遗产", "非遗", "自学考试", "自考", "网络电视", "iptv", "乡村春晚", "村晚",
    "村民委员会", "村委会", "农村信用社", "信用社", "农信社", "新型农村合作医疗", "新农合",
    "最低生活保障", "低保", "终端接收站点", "接收站点", "远教站点", "直播带货", "直播电商",
    "防汛防台", "防台防汛", "防台风", "电信诈骗", "电信网络诈骗", "电诈", "网络诈骗",
    "千万工程", "千村示范万村整治", "党史", "中共党史", "学历教育", "成人学历教育",
]  # fmt: skip

_LATIN = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"\w", re.UNICODE)
# A document number inside running text: issuer code, year in any brackets, number.
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{2,12})\s*[\[(（【〔［]\s*((?:19|20)\d{2})\s*[\])）】〕］]\s*(\d{1,4})\s*号?"
)

_stemmer = snowballstemmer.stemmer("english")
_converter = OpenCC("t2s.json")


@functools.cache
def ensure_dictionary():
    """Put the programme's terms in jieba's dictionary (once a process)."""
    for word in USER_WORDS + GROUP_WORDS:
        rjieba.add_word(word, 50_000, None)
    return True


def normalise(text):
    """Half-width, Simplified, lower-case text."""
    text = unicodedata.normalize("NFKC", text or "")
    if _CJK.search(text):
        text = _converter.convert(text)
    return text.lower()


def doc_number_key(canonical):
    """The one index word of a canonical document number: 浙组通〔2024〕3号 → 浙组通2024n3."""
    match = re.match(r"^(.+?)〔(\d{4})〕(\d+)号$", canonical or "")
    if not match:
        return None
    return f"{match.group(1)}{match.group(2)}n{match.group(3)}".lower()


def _doc_number_words(text):
    """Keys of the document numbers cited in a text. Where the issuer code starts is not
    marked in running text (根据浙组通〔2024〕3号), so each plausible code length is keyed."""
    words = []
    for match in _DOC_NUMBER.finditer(text):
        run, year, number = match.groups()
        for length in range(2, min(len(run), 6) + 1):
            code = run[-length:]
            words += [doc_number_key(f"{code}〔{year}〕{int(number)}号"), code]
    return words


def _latin(token):
    return _stemmer.stemWord(token) if token.isalpha() else token


def _words(text, mode):
    ensure_dictionary()
    cut = rjieba.cut_for_search if mode == "index" else rjieba.cut
    words = []
    for token in cut(text):
        token = token.strip()
        if not token or not _WORD.search(token):
            continue
        if _CJK.search(token):
            words.append(token)
            if mode == "index" and len(token) > 2:
                # Bigrams of long words, so 带货 finds 直播带货 whatever the dictionary knows.
                recent = set(words[-8:])  # cut_for_search has emitted some already
                words += [
                    pair
                    for pair in (token[i : i + 2] for i in range(len(token) - 1))
                    if pair not in recent
                ]
        else:
            words += [_latin(part) for part in _LATIN.findall(token)]
    return words


def index_words(text):
    """The words a text is indexed under, document numbers included."""
    text = normalise(text)
    return _words(text, "index") + _doc_number_words(text)


def index_text(text, segment=True):
    """``index_words`` joined by spaces: what a backend stores for a field.

    ``segment=False`` keeps the normalised text whole (for an engine analysing it with
    its own CJK bigrams) and only appends document-number keys.
    """
    if not text:
        return ""
    if segment:
        return " ".join(index_words(str(text)))
    normalised = normalise(str(text))
    return " ".join([normalised, *_doc_number_words(normalised)])


def query_words(query):
    """The words of a learner's query (precise segmentation, no duplicates)."""
    text = normalise(query)
    canonical = docnumbers.normalise(text)
    if canonical:
        key = doc_number_key(canonical)
        return [key] if key else []
    words = []
    for word in _words(text, "query") + _doc_number_words(text):
        if word not in words:
            words.append(word)
    return words


def sub_words(word):
    """The shorter words inside one of a query's words, as the index holds them: the
    dictionary's words within it (水稻病虫害 → 水稻 病虫 虫害), or, for a word the
    dictionary does not split (稻飞虱), its pairs of characters, which the index keeps for
    every long word. For a search that found too little to widen with; single characters
    are left out, since nearly every page has them."""
    word = normalise(word)
    if not _CJK.search(word) or len(word) < 3:
        return []
    ensure_dictionary()
    parts = [part for part in rjieba.cut_for_search(word) if part != word and len(part) > 1]
    if not parts:
        parts = [word[i : i + 2] for i in range(len(word) - 1)]
    return [part for position, part in enumerate(parts) if part not in parts[:position]]


def looks_like_pinyin_initials(query):
    """sdzz (水稻种植): a short run of Latin letters with no vowels-only word in it."""
    text = normalise(query).replace(" ", "")
    return 2 <= len(text) <= 10 and text.isascii() and text.isalpha()


def pinyin_initials(text):
    """The first letters of each Chinese character's pinyin: 水稻种植 → sdzz."""
    from pypinyin import Style, lazy_pinyin

    letters = []
    for syllable in lazy_pinyin(normalise(text), style=Style.FIRST_LETTER, errors="ignore"):
        letters.append(syllable.strip()[:1])
    return "".join(letters)
