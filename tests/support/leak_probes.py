"""Pages that must not be public, made the way editors make them, each carrying a marker.

For each kind (lesson, news, policy document) and each state the public must never see
(a draft, a scheduled page, an expired page before and after ``publish_scheduled`` runs,
a page restricted by password, by login or to a group, and an unpublished page), one page
is added through the Wagtail admin's own views with a unique marker (``token``) in its
slug, title, summary and body (and a document number for policies). ``leaks`` then
says where a crawl found any marker; ``expected_surfaces`` where a published one belongs.
Used in-process (Django's test client) and, through ``manage.py shell``, on a live site.
"""

import datetime
from dataclasses import dataclass

from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from lessons.models import LessonIndexPage, LessonPage
from news.models import NewsIndexPage, NewsPage, PolicyIndexPage, PolicyPage, regional_news_index
from pioneer.core.five_functions import FUNCTION_SLUGS, Function
from pioneer.editorial.role_setup import STATION_MANAGERS
from pioneer.models import Region
from tests.support.editorial import lesson_form, news_form, policy_form

KINDS = ("lesson", "news", "policy")
STATES = (
    "draft",
    "scheduled",
    "expired_pending",  # expire_at has passed; publish_scheduled has not run yet
    "expired",  # expire_at has passed and publish_scheduled unpublished it
    "password",
    "login",
    "groups",
    "unpublished",
)
FUNCTION = "skills"
REGION = "tonglu"  # a county: its city's listings and feeds show it too
CITY = "hangzhou"
LABELS = {"lesson": "课程", "news": "新闻", "policy": "文件"}
SHARED_WORDS = "泄漏探针"  # in every probe's title: one query finds them all
MODEL_PATHS = {"lesson": "lessons/lessonpage", "news": "news/newspage", "policy": "news/policypage"}


@dataclass
class Probe:
    kind: str
    state: str
    token: str
    number: int
    date: datetime.date
    pk: int = 0
    url: str = ""

    @property
    def title(self):
        return f"{SHARED_WORDS}{self.token}{LABELS[self.kind]}"

    @property
    def summary(self):
        return f"检查泄漏用的摘要{self.token}。"

    @property
    def text(self):
        return f"<p>正文里的探针{self.token}到此为止。</p>"

    @property
    def doc_number(self):
        return f"浙漏测〔2031〕{self.number}号" if self.kind == "policy" else ""

    @property
    def markers(self):
        """What must never show: the token (slug, title, summary, body) and the number."""
        return [m for m in (self.token, self.doc_number) if m]

    @property
    def words(self):
        """What a learner or partner might search for to find it."""
        return [m for m in (self.token, self.title, self.doc_number) if m]


def _zh(queryset):
    return queryset.filter(locale__language_code="zh-hans")


def region(slug):
    return _zh(Region.objects).get(slug=slug)


def parent_of(kind):
    if kind == "lesson":
        return _zh(LessonIndexPage.objects).get(slug=FUNCTION_SLUGS[FUNCTION], function=FUNCTION)
    if kind == "news":
        root = _zh(NewsIndexPage.objects).get(region=None, slug="news")
        return regional_news_index(region(REGION), root)
    return _zh(PolicyIndexPage.objects).get()


def newest_date():
    """A day after everything the site holds, so a published probe tops every listing."""
    days = [
        LessonPage.objects.aggregate(d=Max("date"))["d"],
        NewsPage.objects.aggregate(d=Max("date"))["d"],
        PolicyPage.objects.aggregate(d=Max("issue_date"))["d"],
        timezone.localdate(),
    ]
    return max(day for day in days if day) + datetime.timedelta(days=1)


def _draft_page(probe):
    """An unsaved page holding the probe's fields, for the form helpers to read."""
    common = {"title": probe.title, "slug": probe.token, "summary": probe.summary}
    if probe.kind == "lesson":
        return LessonPage(
            **common, function=FUNCTION, region=region(REGION), date=probe.date, duration_minutes=20
        )
    if probe.kind == "news":
        return NewsPage(**common, region=region(REGION), date=probe.date, source="泄漏检查")
    return PolicyPage(
        **common,
        doc_type="notice",
        status="in_force",
        issuer="泄漏检查办公室",
        region=region(REGION),
        doc_number=probe.doc_number,
        issue_date=probe.date,
    )


def form_for(probe, page, action=None, **changes):
    helper = {"lesson": lesson_form, "news": news_form, "policy": policy_form}[probe.kind]
    return helper(page, action, text=probe.text, **changes)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def add_probe(admin, probe):
    """Add the page in the admin with the actions its state needs, as an editor would."""
    parent = parent_of(probe.kind)
    url = f"/admin/pages/add/{MODEL_PATHS[probe.kind]}/{parent.pk}/"
    later = _local(timezone.now() + datetime.timedelta(days=1))
    changes, action = {}, "action-publish"
    if probe.state == "draft":
        action = None
    elif probe.state == "scheduled":
        changes["go_live_at"] = later
    elif probe.state.startswith("expired"):
        changes["expire_at"] = later
    response = admin.post(url, form_for(probe, _draft_page(probe), action, **changes))
    if response.status_code != 302:
        form = response.context["form"] if response.context else None
        raise AssertionError(f"adding {probe}: {form.errors if form else response.status_code}")
    page = _zh(Page.objects).get(slug=probe.token)
    probe.pk, probe.url = page.pk, page.url or page.get_url_parts()[2]
    if probe.state in ("password", "login", "groups"):
        set_privacy(admin, probe, probe.state)
    elif probe.state == "unpublished":
        response = admin.post(f"/admin/pages/{page.pk}/unpublish/")
        assert response.status_code == 302, response.status_code
    return probe


def set_privacy(admin, probe, kind):
    """The admin's privacy dialog: ``password``, ``login``, ``groups`` or ``none``."""
    data = {"restriction_type": kind, "password": "", "groups": []}
    if kind == "password":
        data["password"] = "probe-secret-1"
    elif kind == "groups":
        from django.contrib.auth.models import Group

        data["groups"] = [Group.objects.get(name=STATION_MANAGERS).pk]
    response = admin.post(f"/admin/pages/{probe.pk}/privacy/", data)
    assert response.status_code == 200, response.status_code
    restricted = PageViewRestriction.objects.filter(page_id=probe.pk).exists()
    assert restricted == (kind != "none"), (probe, kind)


def pass_expiry(probes):
    """Move the probes' expiry into the past (time passing), then run the cron job once for
    ``expired`` probes only: ``expired_pending`` ones are in the minute before it runs."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    for state in ("expired", "expired_pending"):
        pks = [p.pk for p in probes if p.state == state]
        Page.objects.filter(pk__in=pks).update(expire_at=past)
        if state == "expired":
            call_command("publish_scheduled", verbosity=0)
            assert not Page.objects.filter(pk__in=pks, live=True).exists()


def make_probes(admin_username, run_id, kinds=KINDS, states=STATES):
    """Every probe, added in the admin by ``admin_username`` (a superuser)."""
    from django.contrib.auth import get_user_model

    admin = Client()
    admin.force_login(get_user_model().objects.get(username=admin_username))
    date = newest_date()
    probes = []
    for kind in kinds:
        for state in states:
            number = 700 + len(probes)
            token = f"zq{run_id}{len(probes):02d}"
            probes.append(add_probe(admin, Probe(kind, state, token, number, date)))
    pass_expiry(probes)
    return probes


def publish_in_admin(admin, probe):
    """The editor opens the draft (or private page) and publishes it, or lifts privacy."""
    if probe.state in ("password", "login", "groups"):
        set_privacy(admin, probe, "none")
        return
    page = Page.objects.get(pk=probe.pk).specific.get_latest_revision_as_object()
    response = admin.post(f"/admin/pages/{probe.pk}/edit/", form_for(probe, page, "action-publish"))
    assert response.status_code == 302, response.status_code
    assert Page.objects.get(pk=probe.pk).live


# --- where to look ----------------------------------------------------------------------

LOCALES = ("zh-hans", "en")


def feed_paths():
    paths = []
    kinds = ["lessons", "news", "policies"]
    kinds += [f"lessons/{value}" for value in Function.values]
    for locale in LOCALES:
        slugs = Region.objects.filter(locale__language_code=locale).values_list("slug", flat=True)
        for kind in kinds + [f"regions/{slug}" for slug in slugs]:
            paths += [f"/feeds/{locale}/{kind}/rss.xml", f"/feeds/{locale}/{kind}/atom.xml"]
    return paths


def search_paths(probes):
    """Searches that would find the probes, on every search surface, in both languages.

    One query holds words every probe's title has; one per kind lists its probes' tokens
    (the search falls back to pages with any of the words); each document number goes
    through the document-number lookup; each token alone through the JSON search.
    """
    from urllib.parse import urlencode

    words = [SHARED_WORDS, "探针", probes[0].token[:-2]]  # the last: a suggestion box's start
    words += [" ".join(p.token for p in probes if p.kind == kind) for kind in KINDS]
    words += [p.doc_number for p in probes if p.doc_number]
    paths = []
    for word, locale in [(word, locale) for word in words for locale in LOCALES]:
        q = urlencode({"q": word})
        paths += [
            f"/{locale}/search/?{q}",
            f"/api/search/?{q}&locale={locale}",
            f"/api/search/suggest/?{q}&locale={locale}",
            f"/api/v2/pages/?{urlencode({'search': word})}&fields=*&locale={locale}",
        ]
    paths += [f"/api/search/?{urlencode({'q': p.token})}" for p in probes]
    return paths


def seeds(probes):
    """Where the crawl starts; everything else is found by following links (the embed
    builder's form, for instance, gives the widget with every filter)."""
    api = [
        f"/api/v2/pages/?locale={locale}&fields=*&limit=50{kind}"
        for locale in LOCALES
        for kind in ("", "&type=lessons.LessonPage", "&type=news.NewsPage", "&type=news.PolicyPage")
    ]
    home = ["/", "/robots.txt", "/sitemap.xml", "/api/v2/images/", "/api/v2/documents/"]
    home += [f"/{locale}/{path}" for locale in LOCALES for path in ("", "partners/", "embed/")]
    return home + api + feed_paths() + search_paths(probes)


def explore(probes):
    """The search whose filter links the crawl follows too (type, function, region, year)."""
    from urllib.parse import urlencode

    return [f"/{locale}/search/?{urlencode({'q': SHARED_WORDS})}" for locale in LOCALES]


def leaks(crawler, probes):
    """(marker, where) for every marker found in a response or in a discovered URL's path.

    A response is not blamed for a marker its own request carried (a search page repeats
    its query); it is still checked for the probe's title, and any result it links to
    shows in the links' paths, which carry the probe's slug.
    """
    from urllib.parse import unquote, unquote_plus, urlsplit

    markers = [m.lower() for probe in probes for m in (*probe.markers, probe.title)]
    found = []
    for url, fetched in crawler.pages.items():
        asked, text = unquote_plus(url).lower(), fetched.text.lower()
        found += [(m, url) for m in markers if m in text and m not in asked]
    for url in crawler.seen:
        path = unquote(urlsplit(url).path).lower()
        found += [(m, f"a link to {url}") for m in markers if m in path]
    return found


def expected_surfaces(probe):
    """Paths where a published probe of its kind must show (in Chinese)."""
    from urllib.parse import urlencode

    q = urlencode({"q": probe.token})
    feeds = ["news"] if probe.kind == "news" else ["policies"]
    if probe.kind == "lesson":
        feeds = ["lessons", f"lessons/{FUNCTION}"]
    if probe.kind in ("lesson", "news"):
        feeds += [f"regions/{REGION}", f"regions/{CITY}"]
    surfaces = [
        probe.url,
        "/zh-hans/",
        parent_of(probe.kind).url,
        f"/zh-hans/search/?{q}",
        f"/api/search/?{q}",
        f"/api/v2/pages/?{urlencode({'search': probe.token})}",
        f"/api/v2/pages/{probe.pk}/",
        f"/sitemap-{probe.kind}.xml",  # its kind's file of the index (pioneer.core.sitemap)
    ]
    surfaces += [f"/feeds/zh-hans/{kind}/{fmt}.xml" for kind in feeds for fmt in ("rss", "atom")]
    if probe.kind == "lesson":
        lessons = _zh(LessonIndexPage.objects).filter(function="").order_by("depth").first()
        surfaces += [
            lessons.url,
            f"{lessons.url}?region={CITY}",
            f"/api/search/suggest/?{urlencode({'q': SHARED_WORDS + probe.token})}",
            "/embed/lessons/",
            f"/embed/lessons/?category={FUNCTION}",
            f"/embed/lessons/?region={CITY}",
            probe.url + "offline/",
        ]
    if probe.kind == "news":
        surfaces += [_zh(NewsIndexPage.objects).get(region=None, slug="news").url]
        surfaces += [f"/zh-hans/news/?region={REGION}"]
    if probe.kind == "policy":
        surfaces += [f"/zh-hans/search/?{urlencode({'q': probe.doc_number})}"]
        surfaces += [f"{parent_of('policy').url}?{urlencode({'number': probe.doc_number})}"]
    return surfaces


def let_go_live(probes):
    """Move the probes' scheduled publication into the past (time passing: the approved
    revision and the page both hold the moment), then run the cron job once."""
    from wagtail.models import Revision

    past = timezone.now() - datetime.timedelta(minutes=1)
    pks = [p.pk for p in probes]
    scheduled = Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in pks], approved_go_live_at__isnull=False
    )
    for revision in scheduled:
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    Page.objects.filter(pk__in=pks).update(go_live_at=past)
    call_command("publish_scheduled", verbosity=0)
    assert Page.objects.filter(pk__in=pks, live=True).count() == len(probes)
