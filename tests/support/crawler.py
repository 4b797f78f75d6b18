"""Discover and read every public surface by following what the site itself links to.

Leak scans must not depend on a hand-made list of URLs, or a surface added later would go
unchecked. The crawler starts from a few seeds (the home pages, the sitemap, robots.txt)
and follows links in HTML (anchors, ``<link>`` alternates and feeds, iframes, and GET
forms, submitted once per option of each ``<select>``), in XML (sitemap ``<loc>``, feed
links and enclosures), in JSON (every URL-like string, and the API's further pages) and in
plain text. ZIP responses (offline packs) are opened and every member is read.

``get(url)`` does the fetching, so the same crawl runs on Django's test client in-process
or over HTTP through nginx; it returns ``(status, content_type, body, location)``.
"""

import html
import io
import json
import re
import zipfile
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Not public surfaces, or binary files whose URL is recorded but whose body is not read.
NOT_FETCHED = ("/admin", "/static/", "/media/", "/documents/", "/_util/", "/favicon.ico")
# Following these would change the crawler's own state (display-mode cookies).
NOT_FOLLOWED = ("/mode/",)
# Query keys that page through a listing or shape it, rather than filter it.
NEUTRAL_KEYS = {"page", "limit", "offset", "locale", "fields"}
API_LISTING = re.compile(r"^/api/v2/(pages|images|documents)/$")
_XML_URL = re.compile(r"<(?:loc|link|guid|id)>([^<]+)</|(?:href|url)=\"([^\"]+)\"")
_TEXT_URL = re.compile(r"https?://[^\s\"'<>]+")


@dataclass
class Fetched:
    url: str
    status: int
    content_type: str
    text: str  # the body as text: JSON re-encoded without escapes, a ZIP's members joined


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form, self._select = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "area") and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "link" and attrs.get("href"):
            if attrs.get("rel", "") not in ("stylesheet", "icon", "preload", "manifest"):
                self.links.append(attrs["href"])
        elif tag in ("iframe", "img", "source", "video", "audio", "track") and attrs.get("src"):
            self.links.append(attrs["src"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = {"action": attrs.get("action") or "", "hidden": [], "selects": []}
            self.forms.append(self._form)
        elif self._form is not None and tag == "input" and attrs.get("type") == "hidden":
            if attrs.get("name"):
                self._form["hidden"].append((attrs["name"], attrs.get("value") or ""))
        elif self._form is not None and tag == "select" and attrs.get("name"):
            self._select = (attrs["name"], [])
            self._form["selects"].append(self._select)
        elif self._select is not None and tag == "option":
            self._select[1].append(attrs.get("value"))

    def handle_data(self, data):
        # <option>text</option> without a value attribute submits its text.
        options = self._select[1] if self._select is not None else None
        if options and options[-1] is None and data.strip():
            options[-1] = data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def html_links(base, text):
    """Links of an HTML page, GET forms submitted once per non-empty option of each select."""
    parser = _LinkParser()
    parser.feed(text)
    links = [urljoin(base, href) for href in parser.links]
    for form in parser.forms:
        action = urljoin(base, form["action"]) if form["action"] else base.split("?")[0]
        for name, options in form["selects"]:
            for value in options:
                if value:
                    links.append(f"{action}?{urlencode(form['hidden'] + [(name, value)])}")
    return links


def xml_links(base, text):
    return [urljoin(base, html.unescape(a or b).strip()) for a, b in _XML_URL.findall(text)]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def json_links(base, data):
    links = [urljoin(base, s) for s in _strings(data) if s.startswith(("http://", "https://", "/"))]
    parts = urlsplit(base)
    if API_LISTING.match(parts.path) and isinstance(data, dict) and "meta" in data:
        # Wagtail's API gives a total rather than a next link: page through all of it.
        query = dict(parse_qsl(parts.query))
        offset, limit = int(query.get("offset", 0)), int(query.get("limit", 20))
        if offset == 0:
            for start in range(limit, data["meta"].get("total_count", 0), limit):
                following = urlencode({**query, "offset": start})
                links.append(urlunsplit(parts._replace(query=following)))
    return links


def zip_text(body):
    """Every member of a ZIP, decoded: pages, styles and any text a file holds."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for info in archive.infolist():
            texts.append(info.filename)
            texts.append(archive.read(info).decode("utf-8", errors="replace"))
    return "\n".join(texts)


def filter_depth(url):
    """How many filters a URL applies (query keys that narrow rather than page)."""
    return len({key for key, _value in parse_qsl(urlsplit(url).query)} - NEUTRAL_KEYS)


class Crawler:
    """Breadth-first over one origin. ``explore`` lists URLs whose links are followed one
    filter deeper than the usual rule (a link is followed when it applies at most one
    filter, or no more than the page it was found on). ``aliases`` are other origins the
    site names itself by in full URLs (its Site record, the API's base URL)."""

    def __init__(self, get, origin, aliases=(), explore=(), budget=6000):
        self.get, self.origin, self.budget = get, origin.rstrip("/"), budget
        self.aliases = [alias.rstrip("/") + "/" for alias in aliases]
        self.explore = {self._key(url) for url in explore}
        self.pages = {}  # url -> Fetched
        self.seen = set()  # every same-origin URL found, fetched or not

    def _key(self, url):
        url = urljoin(self.origin + "/", url).split("#")[0]
        for alias in self.aliases:
            if url.startswith(alias):
                return self.origin + "/" + url[len(alias) :]
        return url

    def _follows(self, link, source):
        if not link.startswith(self.origin + "/"):
            return False
        path = urlsplit(link).path
        if path.startswith(NOT_FETCHED + NOT_FOLLOWED):
            return False
        allowed = max(1, filter_depth(source)) + (1 if source in self.explore else 0)
        return filter_depth(link) <= allowed

    def read(self, url):
        """Fetch one URL afresh, without following it; its links count as found."""
        url = self._key(url)
        fetched, links = self.fetch(url)
        self.pages[url] = fetched
        self.seen.update(link for link in map(self._key, links) if link.startswith(self.origin))
        return fetched

    def crawl(self, seeds):
        """Fetch the seeds and whatever they lead to; return everything read."""
        queue = deque()
        for seed in seeds:
            url = self._key(seed)
            if url not in self.seen:
                self.seen.add(url)
                queue.append(url)
        while queue:
            url = queue.popleft()
            if url in self.pages:
                continue
            if len(self.pages) >= self.budget:
                raise RuntimeError(f"crawl budget of {self.budget} fetches exhausted at {url}")
            fetched, links = self.fetch(url)
            self.pages[url] = fetched
            for link in links:
                link = self._key(link)
                if not link.startswith(self.origin + "/"):
                    continue
                self.seen.add(link)
                if link not in self.pages and self._follows(link, url):
                    queue.append(link)
        return self.pages

    def fetch(self, url):
        status, content_type, body, location = self.get(url)
        content_type = (content_type or "").split(";")[0].strip()
        links = [urljoin(url, location)] if location else []
        if content_type == "application/zip":
            return Fetched(url, status, content_type, zip_text(body)), links
        text = body.decode("utf-8", errors="replace")
        if content_type == "application/json":
            try:
                data = json.loads(text)
            except ValueError:
                data = None
            else:
                text = json.dumps(data, ensure_ascii=False)
                links += json_links(url, data)
        elif content_type == "text/html":
            links += html_links(url, text)
        elif "xml" in content_type:
            links += xml_links(url, text)
        else:
            links += _TEXT_URL.findall(text)
        return Fetched(url, status, content_type, text), links

    def readable_urls(self):
        """Every URL found, percent-decoded, for checks on what slugs give away."""
        return {unquote(url) for url in self.seen}
