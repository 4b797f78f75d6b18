"""What an editor reads on an admin page: the text nodes, the labels read aloud or shown
as placeholders and tooltips, and the sidebar menu (rendered by JavaScript from JSON)."""

import json
import re
from html.parser import HTMLParser

# Names that stay as they are in Chinese text, and words of the demo's own content.
PROPER_NAMES = {
    "Wagtail",
    "URL",
    "ID",
    "RSS",
    "Atom",
    "API",
    "JSON",
    "JSONL",
    "CSV",
    "PO",
    "HTML",
    "PDF",
    "UTF",
    "SEO",
    "English",  # the language's own name in the language switcher
    "WebVTT",
    "Excel",
    "ICP",
    # Keys as printed on keyboards (Wagtail's shortcut list shows them in <kbd>, mostly).
    "Ctrl",
    "Alt",
    "Shift",
    "Esc",
    "Enter",
    "Cmd",
    "Tab",
}
_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "aria-description")
# Code, keys and samples are not prose.
_SKIP = {"script", "style", "svg", "noscript", "code", "kbd", "samp"}
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_ACRONYM = re.compile(r"[A-Z0-9]{2,6}s?")  # KB, MB, XLSX, PNG, URLs
# Tokens that are addresses, file names, e-mail addresses, slugs or code: not prose.
_NOT_PROSE = re.compile(r"[/@_\\=<>{}#]|\.[A-Za-z0-9]|^[a-z0-9]+(-[a-z0-9]+)+$|%\(|\d")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = []
        self.sidebar = False
        self.pieces = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if not self.skipping:
            for name in _ATTRIBUTES:
                if attrs.get(name):
                    self.pieces.append(attrs[name])
        if tag in _SKIP:
            self.skipping.append(tag)
            self.sidebar = tag == "script" and attrs.get("id") == "wagtail-sidebar-props"

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
            self.sidebar = False

    def handle_data(self, data):
        if self.sidebar:
            self.pieces.extend(_labels(json.loads(data)))
        elif not self.skipping:
            self.pieces.append(data)


def _labels(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("label", "title", "heading") and isinstance(item, str):
                yield item
            else:
                yield from _labels(item)
    elif isinstance(value, list):
        for item in value:
            yield from _labels(item)


def visible_text(html):
    parser = _Text()
    parser.feed(html)
    return [" ".join(piece.split()) for piece in parser.pieces if piece.strip()]


def english_words(text, allowed=()):
    """The English words of ``text`` that are neither a proper name nor user content."""
    found = []
    for token in text.split():
        if _NOT_PROSE.search(token):
            continue
        for word in _WORD.findall(token):
            if word in PROPER_NAMES or word in allowed or _ACRONYM.fullmatch(word):
                continue
            found.append(word)
    return found


def untranslated(html, allowed=(), content=()):
    """Pieces of visible text that still hold English, once ``content`` (titles and names
    that editors wrote, in English for the English pages) is taken out."""
    found = set()
    for piece in visible_text(html):
        for text in content:
            if text in piece:
                piece = piece.replace(text, "")
        if english_words(piece, allowed):
            found.add(piece)
    return sorted(found)
