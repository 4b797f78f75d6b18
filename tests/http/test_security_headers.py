"""Content-Security-Policy on public pages, the embed widget and the admin (issue 10).

Header tests read the policy as a browser would (directive by directive); the browser
tests load pages in Chromium with JavaScript on and collect every CSP violation it
reports, so a policy too strict for the site's own pages fails here, not for a learner.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from storages.backends.s3 import S3Storage

from lessons.models import LessonPage
from pioneer.http import middleware
from tests.support.factories import make_lesson, make_media_lesson

WIDGET = "/embed/lessons/"


def policy(response, header="Content-Security-Policy"):
    """A CSP header as {directive: [sources]}."""
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_public_page_has_a_full_policy(client, db):
    response = client.get("/zh-hans/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no other origin
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert "'self'" in csp["img-src"] and "'self'" in csp["media-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_lesson_page_allows_partner_video_frames_and_its_media(client, db):
    lesson = make_media_lesson("安全策略测试课程", audio=True)
    csp = policy(client.get(lesson.url))
    # EmbedBlock takes any oEmbed provider: frames from any HTTPS page, and this site.
    assert csp["frame-src"] == ["'self'", "https:"]
    assert "'unsafe-inline'" not in csp["script-src"]


@override_settings(CSP_MEDIA_ORIGINS=["https://cdn.example.gov.cn"])
def test_extra_media_origins_from_settings(client, db):
    middleware.media_origins.cache_clear()
    try:
        csp = policy(client.get("/zh-hans/"))
    finally:
        middleware.media_origins.cache_clear()
    assert "https://cdn.example.gov.cn" in csp["img-src"]
    assert "https://cdn.example.gov.cn" in csp["media-src"]
    assert "https://cdn.example.gov.cn" not in csp["script-src"]


def test_media_origins_come_from_the_s3_storages(settings):
    """Renditions on a custom domain, documents at signed URLs of the endpoint: both
    origins, read from the storages' own URLs (built locally, no request)."""
    common = {"access_key": "k", "secret_key": "s", "bucket_name": "pioneer"}
    public = S3Storage(custom_domain="img.example.gov.cn", querystring_auth=False, **common)
    private = S3Storage(endpoint_url="https://oss.example.gov.cn:9000", **common)
    assert middleware._origin(public.url("images/a.jpg")) == "https://img.example.gov.cn"
    assert middleware._origin(private.url("documents/a.mp4")) == "https://oss.example.gov.cn:9000"
    assert middleware._origin("/media/images/a.jpg") is None  # local media: 'self'


def test_media_origins_name_the_store_s3_renditions_redirect_to(settings):
    """On S3 pages link renditions on this site, which redirects to a signed URL of the
    store (pioneer.ops.storage.CheckedRenditionStorage): img-src needs that origin."""
    settings.STORAGES = {
        **settings.STORAGES,
        "renditions": {
            "BACKEND": "pioneer.ops.storage.CheckedRenditionStorage",
            "OPTIONS": {
                "access_key": "k",
                "secret_key": "s",
                "bucket_name": "pictures",
                "endpoint_url": "https://img-store.example.gov.cn",
            },
        },
    }
    middleware.media_origins.cache_clear()
    try:
        origins = middleware.media_origins()
    finally:
        middleware.media_origins.cache_clear()
    assert "https://img-store.example.gov.cn" in origins


def test_embed_widget_is_frameable_anywhere_and_loads_nothing(client, db):
    for params in ({}, {"limit": "x"}):  # the page and its 400
        response = client.get(WIDGET, params)
        csp = policy(response)
        assert csp["frame-ancestors"] == ["*"]
        assert csp["default-src"] == ["'none'"]
        assert csp["style-src"] == ["'unsafe-inline'"]
        assert "script-src" not in csp  # default-src 'none': no script at all
        assert "X-Frame-Options" not in response


def test_embed_builder_keeps_its_inline_style_only(client, db):
    csp = policy(client.get("/zh-hans/embed/"))
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_admin_has_its_own_policy(client, admin_user):
    login = client.get("/admin/login/")
    csp = policy(login)
    assert "'unsafe-inline'" in csp["script-src"]  # Wagtail's admin needs it
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    client.force_login(admin_user)
    lesson = make_lesson("安全策略编辑测试课程")
    edit = client.get(f"/admin/pages/{lesson.pk}/edit/")
    assert edit.status_code == 200
    assert "'unsafe-inline'" in policy(edit)["style-src"]


def test_frame_ancestors_follows_x_frame_options(db):
    mw = middleware.ContentSecurityPolicyMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    same_origin = HttpResponse("<p>preview</p>")
    same_origin["X-Frame-Options"] = "SAMEORIGIN"  # Wagtail's admin preview panel
    assert policy(mw.process_response(request, same_origin))["frame-ancestors"] == ["'self'"]
    exempt = HttpResponse("<p>exempt</p>")
    exempt.xframe_options_exempt = True
    assert "frame-ancestors" not in policy(mw.process_response(request, exempt))
    own = HttpResponse("<svg/>")
    own["Content-Security-Policy"] = "default-src 'none'"
    assert mw.process_response(request, own)["Content-Security-Policy"] == "default-src 'none'"
    json = HttpResponse("{}", content_type="application/json")
    assert "Content-Security-Policy" not in mw.process_response(request, json)


def test_no_policy_on_json_and_files(client, db):
    assert "Content-Security-Policy" not in client.get("/healthz")
    assert "Content-Security-Policy" not in client.get("/api/v2/pages/")


# --- in Chromium: the site's own pages break no rule of their policy ------------------

COLLECT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def _watch(context):
    """Collects CSP violations (events in every frame, and Chromium's console errors)."""
    context.add_init_script(COLLECT)
    errors = []

    def on_page(page):
        page.on(
            "console",
            lambda msg: msg.type == "error" and errors.append(msg.text),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))

    context.on("page", on_page)
    return errors


def _violations(page):
    found = []
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__cspViolations || []")
        except Exception as error:  # a cross-origin or gone frame
            found.append(f"unreadable frame {frame.url}: {error}")
    return found


@pytest.mark.demo
@pytest.mark.browser
def test_public_pages_break_no_csp_rule_in_chromium(live_server, demo_site, browser):
    lesson = next(
        lesson
        for lesson in LessonPage.objects.live().filter(locale__language_code="zh-hans")
        if any(block.block_type == "video" for block in lesson.body)
    )
    context = browser.new_context(java_script_enabled=True, locale="zh-CN")
    errors = _watch(context)
    page = context.new_page()
    for path in ("/zh-hans/", lesson.url, "/zh-hans/embed/", WIDGET + "?limit=3"):
        response = page.goto(live_server.url + path)
        assert response.ok, path
        assert response.headers["content-security-policy"]
        if path == lesson.url:
            assert page.locator('script[type="application/ld+json"]').count() >= 1
            video = page.locator("video")
            assert video.count() >= 1
            # Load the player's metadata and poster: media-src and img-src at work.
            video.first.evaluate("v => { v.preload = 'metadata'; v.load(); }")
            video.first.evaluate(
                "v => v.readyState >= 1 || new Promise(done =>"
                " v.addEventListener('loadedmetadata', done))"
            )
        if path == "/zh-hans/embed/":
            # The preview iframe loads after the page: wait for its first lesson.
            preview = page.frame_locator("iframe[src*='/embed/lessons/']")
            preview.locator("li").first.wait_for(timeout=20000)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], path
    assert [e for e in errors if "Content Security Policy" in e] == []
    # The watch itself works: an image from another origin is refused and reported.
    page.goto(live_server.url + "/zh-hans/")
    page.evaluate(
        "() => new Promise(done => { document.addEventListener('securitypolicyviolation', done);"
        " const img = document.createElement('img'); img.src = 'https://example.invalid/x.png';"
        " document.body.append(img); })"
    )
    assert _violations(page) == ["img-src https://example.invalid/x.png"]
    context.close()


@pytest.mark.demo
@pytest.mark.browser
def test_admin_works_under_its_policy_in_chromium(
    live_server, demo_site, browser, django_user_model
):
    django_user_model.objects.create_superuser("csp-editor", "e@example.org", "Edit-0r-Pass!")
    lesson = LessonPage.objects.filter(locale__language_code="zh-hans").first()
    context = browser.new_context(java_script_enabled=True, locale="zh-CN")
    errors = _watch(context)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("input[name=username]", "csp-editor")
    page.fill("input[name=password]", "Edit-0r-Pass!")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    assert _violations(page) == []
    assert page.locator("img[src*='gravatar']").count() == 0
    page.goto(live_server.url + f"/admin/pages/{lesson.pk}/edit/")
    page.wait_for_load_state("networkidle")
    # The editor's scripts ran: the title field and the body's StreamField are drawn.
    assert page.locator("#id_title").input_value() == lesson.title
    page.locator("[data-streamfield-stream-container]").first.wait_for(state="visible")
    assert _violations(page) == [], _violations(page)
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()
