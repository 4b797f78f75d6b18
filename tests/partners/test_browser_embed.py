"""A partner's page on another origin frames the lesson widget and, in vain, the site itself."""

import html
import http.server
import re
import threading

import pytest
from wagtail.models import Locale

from lessons.models import LessonPage
from pioneer.core.public import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.demo]


def _serve(html):
    """A one-page site on 127.0.0.1 (another origin than the live server), in a thread."""
    body = html.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def test_partner_page_shows_the_widget_but_not_the_site(live_server, demo_site, browser):
    zh = Locale.objects.get(language_code="zh-hans")
    newest = public_pages(LessonPage, locale=zh).order_by("-date", "-pk")[:3]
    expected = [lesson.title for lesson in newest]
    widget_url = f"{live_server.url}/embed/lessons/?limit=3"
    site_url = f"{live_server.url}/zh-hans/"
    partner = f"""<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>合作单位网站</title></head>
<body><h1>某县党员教育网</h1>
<iframe id="widget" src="{widget_url}" width="360" height="420" style="border:0"
 title="时代先锋网课程"></iframe>
<iframe id="site" src="{site_url}" width="360" height="420" title="时代先锋网"></iframe>
</body></html>"""
    server, thread = _serve(partner)
    context = browser.new_context(viewport={"width": 800, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
        assert page.locator("h1").inner_text() == "某县党员教育网"

        widget = page.frame_locator("#widget")
        links = widget.locator("li a")
        links.first.wait_for()
        assert links.all_inner_texts() == expected
        for index in range(3):
            assert links.nth(index).get_attribute("target") == "_blank"
            assert links.nth(index).get_attribute("rel") == "noopener"
        assert widget.get_by_role("link", name="更多课程 · 时代先锋网").count() == 1
        frame = page.frame(url=lambda url: "/embed/lessons/" in url)
        assert frame is not None
        # The height the builder gives for these lessons holds them at 360 px.
        _src, height = _builder_snippet(context, live_server, "/zh-hans/embed/?limit=3")
        bottom = frame.evaluate("document.body.getBoundingClientRect().bottom")
        assert bottom <= height

        # X-Frame-Options: DENY (and frame-ancestors 'none') make Chromium refuse the site.
        site_frame = page.locator("#site").element_handle().content_frame()
        assert site_frame is not None
        content = site_frame.content()
        assert "site-header" not in content
        assert "时代先锋网" not in site_frame.evaluate("document.title")
        assert site_frame.locator(".site-header, .brand, #main").count() == 0
        assert not site_frame.url.startswith(live_server.url)  # Chromium's error page
        direct = context.request.get(site_url)  # the page is there, only not for framing
        assert direct.ok and direct.headers["x-frame-options"] == "DENY"
    finally:
        context.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _builder_snippet(context, live_server, path):
    """The widget address and frame height the builder's snippet gives."""
    page = context.request.get(live_server.url + path).text()
    frame = re.search(r'<div class="embed-preview"><iframe src="([^"]+)"[^>]* height="(\d+)"', page)
    assert frame, path
    return html.unescape(frame[1]), int(frame[2])


def test_the_builder_sizes_the_frame_to_the_actual_list(live_server, demo_site, browser):
    """Not from ``limit``: a county with two lessons asked for twenty gets a short frame;
    in the columns the widget is offered for (300–400 px) the list fits without scrolling
    and leaves little empty."""
    context = browser.new_context(viewport={"width": 800, "height": 600})
    found = []
    for path in (
        "/zh-hans/embed/?region=tonglu&limit=20",
        "/zh-hans/embed/?limit=5",
        "/zh-hans/embed/?function=culture&limit=20",
        "/en/embed/?limit=8",
        "/en/embed/?function=skills&region=huzhou&limit=20",
    ):
        src, height = _builder_snippet(context, live_server, path)
        for width in (300, 400):
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 50})
            page.goto(src)
            content = page.evaluate("document.documentElement.scrollHeight")
            page.close()
            found.append((path, width, height, content))
    context.close()
    for _path, width, height, content in found:
        assert content <= height, found  # no scrolling
        slack = 0.08 if width == 300 else 0.3
        assert height - content <= max(40, slack * height), found
    short = [height for path, _width, height, _content in found if "tonglu" in path]
    assert short[0] < 90 + 66 * 20 / 2  # far below the old estimate from limit=20
