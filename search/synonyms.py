"""Synonyms as content: the groups editors manage (``SynonymGroup``), applied to queries.

A query's words are matched against the active groups (a group's word may span several of
the query's words: 电信网络诈骗 is 电信 网络 诈骗 to a dictionary that lacks it), and each
match becomes a choice of the group's words, each segmented as a query would be: 土豆种植
searches (土豆 or 马铃薯 or 洋芋) and 种植. The index holds only what pages say, segmented
with a dictionary fixed in code, so a group added, changed or retired takes effect on the
next search, on every backend alike, without re-indexing anything.

The groups are read once per process and content generation (saving one moves the
generation), so every app server uses a change from the request after it is committed.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pioneer.caching import generation
from pioneer.core.text.segmentation import normalise, query_words

# Between the words of a group as editors type them: 、，,；; / | and spaces.
_SEPARATORS = re.compile(r"[\s、，,；;/|]+")
_WORD = re.compile(r"^[\w·]+$")
MAX_WORD = 20  # characters
MAX_WORDS = 20  # in a group
# Choices one word widens to, and a whole query: a word in many groups must not make a
# query the backend refuses (an engine's 1,024 clauses) or cannot build (PostgreSQL).
MAX_CHOICES = 16
MAX_QUERY_CHOICES = 64


def parse_terms(text):
    """The normalised words of a group's field (Simplified, half-width, lower case), in
    the order typed, each once."""
    words = []
    for part in _SEPARATORS.split(normalise(text or "")):
        part = part.strip()
        if part and part not in words:
            words.append(part)
    return words


def check_group(terms_text, also_text):
    """Why a group cannot be saved, as a ValidationError naming the field; else None."""
    terms, also = parse_terms(terms_text), parse_terms(also_text)
    errors = {}
    if not terms:
        errors["terms"] = _("请至少填写一个词。")
    elif len(terms) + len(also) < 2:
        errors["terms"] = _("一组至少要有两个词：再填一个同义词，或填写“单向：也能找到”。")
    for name, words in (("terms", terms), ("also_finds", also)):
        bad = [
            word
            for word in words
            if not _WORD.match(word)
            or len(word) > MAX_WORD
            or word.isdigit()
            or not query_words(word)
        ]
        if bad:
            errors.setdefault(
                name,
                _("“%(word)s”不是一个词：要有汉字或字母，只能用汉字、字母、数字，最多 %(max)s 字。")
                % {"word": bad[0], "max": MAX_WORD},
            )
    both = [word for word in also if word in terms]
    if both:
        errors.setdefault(
            "also_finds", _("“%(word)s”已经在同义词里了，不用再填。") % {"word": both[0]}
        )
    if len(terms) + len(also) > MAX_WORDS:
        errors.setdefault("terms", _("一组最多 %(max)s 个词。") % {"max": MAX_WORDS})
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class Lexicon:
    """``alternatives``: a group's word (as its query words, a tuple) → the words a search
    for it also looks for, itself first, each as its query words."""

    alternatives: dict = field(default_factory=dict)
    longest: int = 0  # most query words one group word spans

    def expand(self, words):
        """The query's ``words`` as clauses: each a tuple of alternatives, each a tuple of
        words that must all match. A word no group holds is ((word,),)."""
        clauses, i = [], 0
        while i < len(words):
            for span in range(min(self.longest, len(words) - i), 0, -1):
                found = self.alternatives.get(tuple(words[i : i + span]))
                if found:
                    clauses.append(found)
                    i += span
                    break
            else:
                clauses.append(((words[i],),))
                i += 1
        # However many words widen, the query stays one the backends take.
        each = max(1, MAX_QUERY_CHOICES // max(1, len(clauses)))
        return [clause[:each] for clause in clauses]


def build(groups):
    """A Lexicon of ``groups``: (terms, also_finds) pairs of word lists.

    A term finds its group's words; a one-way word finds its targets and the words of the
    targets' own groups (番薯 → 甘薯 finds 红薯 too), one step, never back."""
    alternatives, one_way = {}, {}
    for terms, also in groups:
        term_keys = [tuple(query_words(word)) for word in terms]
        also_keys = [key for key in (tuple(query_words(word)) for word in also) if key]
        found = [key for key in term_keys if key] + also_keys
        for key in term_keys:
            if not key:
                continue
            chosen = alternatives.setdefault(key, [key])
            chosen += [other for other in found if other not in chosen]
            one_way.setdefault(key, []).extend(also_keys)
    for key, targets in one_way.items():
        chosen = alternatives[key]
        for target in targets:
            chosen += [word for word in alternatives.get(target, ()) if word not in chosen]
    alternatives = {
        key: tuple(chosen[:MAX_CHOICES]) for key, chosen in alternatives.items() if len(chosen) > 1
    }
    longest = max((len(key) for key in alternatives), default=0)
    return Lexicon(alternatives, longest)


def _load():
    from search.models import SynonymGroup

    rows = SynonymGroup.objects.filter(active=True).values_list("terms", "also_finds")
    return build([(parse_terms(terms), parse_terms(also)) for terms, also in rows])


def current():
    """The active groups as a Lexicon, read once per process and content generation."""
    return generation.memo("search.synonyms", _load)


def clauses_for(words):
    return current().expand(words)


def widened(clauses):
    """Whether a group added anything to the query's clauses."""
    return any(len(clause) > 1 for clause in clauses)


def groups_changed(sender, **kwargs):
    """A group saved or deleted: every process reads the groups again (the generation
    moves), and the search answers nginx keeps are purged, so the next search uses it."""
    from pioneer.caching import front_cache

    generation.bump()
    front_cache.purge_answers_soon()
