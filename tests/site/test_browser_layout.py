"""Every page type fits a phone's screen, in Debian's Chromium: no page wider than 320 or
390 CSS px in the normal, elder-friendly (大字模式) and data-saver modes, in Chinese and
English; the header's switches and the small links are 44 px targets; dates and names do
not break inside; search results and the no-result message come first on a 390×844 screen.

One browser and one page per mode are reused: the whole sweep takes tens of seconds.
"""

import pytest

from tests.support.accessibility import page_urls

pytestmark = [pytest.mark.browser, pytest.mark.demo]

WIDTHS = (320, 390)
MODES = {"normal": {}, "elder": {"mode": "elder"}, "saver": {"saver": "on"}}

# What sticks out: the widest elements that end right of the viewport, to say why.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 && r.width > 0) {
      culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '')
        + ' right=' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 6)};
}"""


def _all_page_urls(language):
    from lessons.models import LessonIndexPage
    from pioneer.core.public import public_pages

    urls = dict(page_urls(language))
    index = (
        public_pages(LessonIndexPage, locale=False)
        .filter(locale__language_code=language, function="")
        .first()
    )
    urls["all lessons"] = index.url
    urls["partners"] = f"/{language}/partners/"
    urls["embed builder"] = f"/{language}/embed/"
    urls["policy library, filtered"] = urls["policy library"] + "?year=2025"
    return urls


def _context(browser, live_server, width, language, cookies):
    context = browser.new_context(
        viewport={"width": width, "height": 844},
        locale="en" if language == "en" else "zh-CN",
        java_script_enabled=True,  # to measure; the pages themselves have no script
    )
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in cookies.items()]
    )
    return context


def test_no_page_is_wider_than_a_phone_screen(live_server, demo_site, browser):
    found = []
    urls = {language: _all_page_urls(language) for language in ("zh-hans", "en")}
    for mode, cookies in MODES.items():
        for width in WIDTHS:
            context = _context(browser, live_server, width, "zh-hans", cookies)
            page = context.new_page()
            for language, pages in urls.items():
                for page_type, url in pages.items():
                    page.goto(live_server.url + url)
                    result = page.evaluate(OVERFLOW)
                    if result["scroll"] > width:
                        found.append(f"{mode} {width}px {language} {page_type} {url}: {result}")
            context.close()
    assert not found, "pages wider than the screen:\n" + "\n".join(found)


# Targets measured as drawn: header switches, navigation, footer links, the small links of
# meta lines, filters, tags and "more" links.
TARGETS = """() => {
  const selector = '.tools a, .site-nav a, .site-footer a, .meta a, .more a, .tags a, '
    + '.filter-links a, .pagination a, .search-form button, .search-form input';
  return [...document.querySelectorAll(selector)]
    .filter(el => el.getClientRects().length)
    .map(el => ({text: el.textContent.trim().slice(0, 20),
                 height: el.getBoundingClientRect().height}))
    .filter(t => t.height < 44);
}"""

# Spans that must stay on one line: dates, durations and region names.
BROKEN = """() => [...document.querySelectorAll('time, .nowrap')]
  .filter(el => el.getClientRects().length > 1)
  .map(el => el.textContent)"""

# Function buttons narrower than their column (shrunk to their words, ragged).
SHRUNK = """() => [...document.querySelectorAll('.functions a')]
  .filter(a => a.getBoundingClientRect().width < a.parentElement.getBoundingClientRect().width - 1)
  .map(a => a.textContent.trim())"""

# Function buttons and the tagline: a last line of one character.
ORPHANS = """() => {
  const lone = [];
  for (const el of document.querySelectorAll('.functions a, .brand-tagline')) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Map();
    for (const node of el.childNodes) {
      if (node.nodeType !== 3) continue;
      for (let i = 0; i < node.length; i++) {
        const r = document.createRange();
        r.setStart(node, i); r.setEnd(node, i + 1);
        const rect = r.getBoundingClientRect();
        if (!rect.height || !node.data[i].trim()) continue;
        const key = Math.round(rect.top);
        lines.set(key, (lines.get(key) || 0) + 1);
      }
    }
    const counts = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
    if (counts.length > 1 && counts[counts.length - 1] === 1) lone.push(el.textContent.trim());
  }
  return lone;
}"""


def test_targets_and_words_hold_together_on_a_phone(live_server, demo_site, browser):
    problems = []
    urls = {language: _all_page_urls(language) for language in ("zh-hans", "en")}
    for width in WIDTHS:
        for mode in ("normal", "elder"):
            context = _context(browser, live_server, width, "zh-hans", MODES[mode])
            page = context.new_page()
            for language in ("zh-hans", "en"):
                for page_type in ("home", "lesson", "news index", "search results", "series"):
                    url = urls[language][page_type]
                    page.goto(live_server.url + url)
                    where = f"{mode} {width}px {language} {page_type}"
                    if small := page.evaluate(TARGETS):
                        problems.append(f"{where}: targets under 44 px: {small}")
                    if broken := page.evaluate(BROKEN):
                        problems.append(f"{where}: broken inside: {broken}")
                    if language == "zh-hans" and (lone := page.evaluate(ORPHANS)):
                        problems.append(f"{where}: one-character last line: {lone}")
                    if shrunk := page.evaluate(SHRUNK):
                        problems.append(f"{where}: function buttons not filling: {shrunk}")
            context.close()
    assert not problems, "\n".join(problems)


def test_search_results_come_first_on_a_phone(live_server, demo_site, browser):
    """On 390×844 the first result (or the no-result message) is on the first screen, the
    page has one search box, and the filters are folded without JavaScript, in the normal
    mode and in 大字模式, in Chinese and English."""
    host = live_server.url.split("//")[1].split(":")[0]
    for language, mode in [(lang, m) for lang in ("zh-hans", "en") for m in ("normal", "elder")]:
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            locale="en" if language == "en" else "zh-CN",
            java_script_enabled=False,
        )
        context.add_cookies(
            [{"name": k, "value": v, "domain": host, "path": "/"} for k, v in MODES[mode].items()]
        )
        where = (language, mode)
        page = context.new_page()
        urls = page_urls(language)
        page.goto(live_server.url + urls["search results"])
        assert page.locator("input[type=search]").count() == 1
        first = page.locator("ol.results li").first.bounding_box()
        assert first["y"] + 60 < 844, (where, first)
        filters = page.locator("details.search-filters")
        assert filters.count() == 1 and filters.get_attribute("open") is None
        # Folded, and still usable without JavaScript: the summary opens it.
        page.locator("details.search-filters summary").click()
        assert page.locator("details.search-filters a").first.is_visible()
        page.goto(live_server.url + urls["empty search"])
        empty = page.locator(".empty").bounding_box()
        assert empty["y"] + empty["height"] <= 844, (where, empty)
        context.close()
