"""``/sitemap.xml``: an index of section files (``/sitemap-<section>.xml``, ``?p=N``) that
list every public page in every language, with hreflang alternates.

One file may list 50,000 addresses at most and a province has more, so each section is
cut into files of ``SITEMAP_LIMIT`` pages. A section is a content kind of the registry
(``pioneer.core.content_types``: lessons with their series, news, policies) or ``other``,
so this module names no content type. Within a section pages go by id: a new page lands
in the last file, and where each file starts is one query a section and content
generation (``section_files``), so the last file of 200,000 pages is read by an id range
like the first (no OFFSET). A file's addresses are worked out from the pages' paths in one
pass, not by ``Page.get_full_url`` (a ``reverse()`` under a language switch: 170 µs a page,
1.7 s for a file of 5,000 and their alternates), and written without a template (Django's
took 0.6 s for such a file). bench/sitemap_scale.py measures it all.
"""

import datetime
import re
import zlib
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import views as sitemap_views
from django.db import connection
from django.db.models import CharField, F, Q, Window
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import RFC3986_SUBDELIMS, http_date
from wagtail.models import Page, Site

from pioneer.caching.generation import LocalLRU, memo, peek, shared
from pioneer.core import content_types
from pioneer.core.addresses import public_url
from pioneer.core.i18n import HREFLANG
from pioneer.core.public import hidden, public_pages

LIMIT = 5000  # pages a file by default (SITEMAP_LIMIT); bench/sitemap_scale.py measures it
MAX_LIMIT = 50_000  # what the sitemap protocol allows a file
OTHER = "other"  # the pages of no registered kind: home pages, indexes, notices, …
LASTMOD = Coalesce("last_published_at", "latest_revision_created_at")


def limit():
    return max(1, min(int(getattr(settings, "SITEMAP_LIMIT", LIMIT)), MAX_LIMIT))


def section_types():
    """{section: content type ids of its pages}, each registered kind (with the models
    searched under it) in the registry's order, then ``OTHER`` (None: every other type).
    Content types are kept by Django once looked up, so this queries once a process."""
    found = {}
    for kind in content_types.kinds():
        types = ContentType.objects.get_for_models(*kind.searched_models())
        found[kind.key] = frozenset(ct.pk for ct in types.values())
    found[OTHER] = None
    return found


def section_of(page):
    """The section ``page`` is listed in."""
    for name, types in section_types().items():
        if types is None or page.content_type_id in types:
            return name
    return OTHER


def section_pages(name):
    """The public pages of section ``name`` (KeyError when there is none), every language."""
    found = section_types()
    types = found[name]
    if types is None:
        taken = set().union(*(t for t in found.values() if t is not None))
        selects = ~Q(content_type_id__in=taken)
    else:
        selects = Q(content_type_id__in=types)
    return public_pages(Page, locale=False).filter(selects, depth__gt=1).order_by()


def section_files(name):
    """[(first page id, newest lastmod)] of the section's files, each ``limit()`` pages in
    id order: once per process and content generation."""
    size = limit()
    key = ("sitemap-files", name, size)
    files = memo(key, lambda: shared(f"sitemap-files:{name}:{size}", lambda: _files(name, size)))
    _file_counts.set((name, size), len(files))
    return files


def _files(name, size):
    """Numbered in the database (a window over the section) and grouped by file: one
    query, whose answer is a row a file however many pages the section holds."""
    pages = section_pages(name).annotate(
        k=F("pk"), rn=Window(RowNumber(), order_by=F("pk").asc()), lm=LASTMOD
    )
    sql, params = pages.values_list("k", "rn", "lm").query.sql_with_params()
    pk, rn, lm = (connection.ops.quote_name(n) for n in ("k", "rn", "lm"))
    query = f"SELECT MIN({pk}), MAX({lm}) FROM ({sql}) files GROUP BY ({rn} - 1) / %s ORDER BY 1"
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, size])
        return [(first, _datetime(latest)) for first, latest in cursor.fetchall()]


def _datetime(value):
    """A datetime read by raw SQL (SQLite gives text), aware like the ORM's."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


# How many files each section had lately, for the purges (a publish moves the generation,
# so the memo above is empty then): a minute old at most, else counted again.
_file_counts = LocalLRU(64, seconds=60)


def file_count(name):
    size = limit()
    known = peek(("sitemap-files", name, size))
    if known is not None:
        return len(known)
    count = _file_counts.get((name, size))
    if count is None:
        count = -(-section_pages(name).count() // size)
        _file_counts.set((name, size), count)
    return count


class Addresses:
    """Full URLs from pages' ``url_path`` as ``Page.get_full_url`` gives them: the site
    root whose path the page's starts with (most specific first, as Wagtail orders them),
    its URL and its language's prefix, then the rest of the path, quoted as ``reverse()``
    quotes it. Asserted equal to Wagtail's for every page by tests/core/test_sitemap.py."""

    SAFE = RFC3986_SUBDELIMS + "/~:@"

    def __init__(self):
        self.roots = []
        for root in Site.get_site_root_paths():
            with translation.override(root.language_code):
                prefix = reverse("wagtail_serve", args=("",))
            self.roots.append((root.root_path, root.root_url, prefix))
        self.append_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)

    def __call__(self, url_path):
        for root_path, root_url, prefix in self.roots:
            if url_path.startswith(root_path):
                rest = url_path[len(root_path) :]
                # Slugs are letters, digits, "_" and "-": only others need quoting.
                path = prefix + (rest if rest.isascii() else quote(rest, safe=self.SAFE))
                if not self.append_slash and path != "/":
                    path = path.rstrip("/")
                return root_url + path
        return None  # under no site: not routable


_NUMBER = re.compile(r"[0-9]{1,9}")


def file_urls(name, number):
    """[(address, lastmod, {hreflang: address})] of file ``number`` (from 1) of section
    ``name``: its pages in id order from where the file starts, and every public version of
    each (in this file or another) found in one query. Http404 past the last file or for
    a number that is none; an empty section's first file lists nothing."""
    if not _NUMBER.fullmatch(str(number)) or not 1 <= int(number):
        raise Http404("no such sitemap file")
    number, files = int(number), section_files(name)
    if number > max(len(files), 1):
        raise Http404("no such sitemap file")
    if not files:
        return []
    first = files[number - 1][0]
    pages, elsewhere = section_pages(name).filter(pk__gte=first), Q(pk__lt=first)
    if number < len(files):
        end = files[number][0]
        pages, elsewhere = pages.filter(pk__lt=end), elsewhere | Q(pk__gte=end)
    # The key as text: no UUID object made for each of thousands of rows.
    fields = (Cast("translation_key", CharField()), "url_path", "locale__language_code")
    rows = pages.order_by("pk").values_list(*fields, LASTMOD)[: limit()]
    addresses, versions, entries = Addresses(), {}, []
    for key, url_path, code, lastmod in rows:
        url = addresses(url_path)
        if url is not None:
            versions.setdefault(key, {})[HREFLANG.get(code, code)] = url
            entries.append((url, lastmod, key))
    # The other versions of these pages, which are in other files (of the same section).
    # Found by their key's index: with the alias and expiry conditions in the query SQLite
    # walks the index of aliases instead, 100 ms at 200,000 pages; those two are applied
    # here (the rule's own ``hidden``).
    others = public_pages(Page, locale=False, searchable=True).filter(
        elsewhere, depth__gt=1, translation_key__in=pages.values("translation_key")
    )
    now = timezone.now()
    for key, url_path, code, expire_at, alias_of in others.order_by().values_list(
        *fields, "expire_at", "alias_of_id"
    ):
        url = None if hidden(expire_at, alias_of, now) else addresses(url_path)
        if url is not None and key in versions:
            versions[key][HREFLANG.get(code, code)] = url
    return [(url, lastmod, _alternates(versions[key])) for url, lastmod, key in entries]


def _alternates(versions):
    return versions if len(versions) > 1 else {}


def render_urlset(urls):
    """The file's XML as Django's ``sitemap.xml`` template writes it, by string joins: the
    template took 0.6 s for 5,000 entries, this a few milliseconds."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
        'schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
    ]
    for location, lastmod, alternates in urls:
        parts.append(f"<url><loc>{escape(location)}</loc>")
        if lastmod is not None:
            parts.append(f"<lastmod>{timezone.localtime(lastmod):%Y-%m-%d}</lastmod>")
        for code, url in sorted(alternates.items()):
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(code)}" href="{escape(url)}"/>'
            )
        parts.append("</url>")
    parts.append("\n</urlset>\n")
    return "".join(parts)


@sitemap_views.x_robots_tag
def section(request, section):
    """``/sitemap-<section>.xml`` (``?p=N`` from the second file on)."""
    if section not in section_types():
        raise Http404("no such sitemap section")
    number = request.GET.get("p", "1")
    if not _NUMBER.fullmatch(number):
        raise Http404("no such sitemap file")
    body, latest = kept_file(section, int(number))
    response = HttpResponse(body, content_type="application/xml")
    if latest is not None:
        response["Last-Modified"] = http_date(latest)
    return response


def kept_file(name, number):
    """(the file's XML as bytes, the timestamp of its newest change): rendered once per
    content generation for every app server (a file of 5,000 addresses and their
    alternates is two queries over the page table, about 0.1 s at 100,000 lessons on
    PostgreSQL) and kept compressed (a sixth of its size)."""

    def render():
        urls = file_urls(name, number)
        latest = max((lastmod for _url, lastmod, _alt in urls if lastmod), default=None)
        body = zlib.compress(render_urlset(urls).encode(), 1)
        return body, latest.timestamp() if latest is not None else None

    body, latest = shared(f"sitemap-file:{name}:{limit()}:{number}", render)
    return zlib.decompress(body), latest


@sitemap_views.x_robots_tag
def index(request):
    """``/sitemap.xml``: every section's files on the public address, each with the newest
    change among its pages (a crawler reads again only the files that changed)."""
    files = []
    for name in section_types():
        location = public_url(reverse("sitemap_section", args=[name]))
        for number, (_first, lastmod) in enumerate(section_files(name), 1):
            address = location if number == 1 else f"{location}?p={number}"
            files.append(sitemap_views.SitemapIndexItem(address, lastmod))
    latest = [item.last_mod for item in files]
    headers = None
    if latest and None not in latest:
        headers = {"Last-Modified": http_date(max(latest).timestamp())}
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": files},
        content_type="application/xml",
        headers=headers,
    )


def sitemap_paths(page):
    """Purged with each page (``pioneer.caching.front_cache.purge_also``): the index and
    every file of the page's section, since a page published or unpublished moves the
    pages after it from one file to the next. Working out which files that is would cost a
    query a page (thousands in an import); a PURGE costs nginx next to nothing, and each
    file's cached copy is rendered again anyway at its next revalidation once the content
    generation has moved."""
    name = section_of(page)
    location = reverse("sitemap_section", args=[name])
    paths = [reverse("sitemap"), location]
    # One more than counted: the file a new page may have started.
    paths += [f"{location}?p={number}" for number in range(2, file_count(name) + 2)]
    return paths
