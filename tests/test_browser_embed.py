"""A partner's page on another origin frames the lesson widget and, in vain, the site itself."""

import http.server
import threading

import pytest
from wagtail.models import Locale

from lessons.embed import iframe_height
from lessons.models import LessonPage
from pioneer.public import public_pages

pytestmark = pytest.mark.browser


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
        # The height the partner page suggests (90 + 66 per lesson) holds them at 360 px.
        bottom = frame.evaluate("document.body.getBoundingClientRect().bottom")
        assert bottom <= iframe_height(3)

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
