"""Moved to ``pioneer.core.text.segmentation`` (page forms need it too, below search);
this name is kept for one release."""

from pioneer.core.text.segmentation import (  # noqa: F401
    GROUP_WORDS,
    USER_WORDS,
    doc_number_key,
    ensure_dictionary,
    index_text,
    index_words,
    looks_like_pinyin_initials,
    normalise,
    pinyin_initials,
    query_words,
)
from pioneer.core.text.segmentation import ensure_dictionary as _jieba_ready  # noqa: F401
