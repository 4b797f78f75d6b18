"""Every public page type passes axe-core with zero violations, in Debian's Chromium.

Both languages, the normal and the elder-friendly mode (where axe's AAA contrast rule,
7:1, is switched on too). Then the elder-friendly mode's promises are measured in the
browser: text size, line height, target sizes and contrast from computed styles.
"""

import pytest

from tests.support.accessibility import DEMO_NOTICE_REGION, PAGE_TYPES, axe_source, page_urls

pytestmark = [pytest.mark.browser, pytest.mark.demo]

AXE_RUN = """async (elder) => {
  const options = {resultTypes: ['violations']};
  if (elder) options.rules = {'color-contrast-enhanced': {enabled: true}};
  const result = await axe.run(document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
  }));
}"""


def _report(found):
    lines = []
    for (page_type, url), violations in found.items():
        for violation in violations:
            lines.append(f"{page_type} {url}: {violation['id']} ({violation['impact']})")
            lines += [f"    {node}" for node in violation["nodes"]]
    return "\n".join(lines)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_type_passes_axe(live_server, demo_site, browser, language):
    urls = page_urls(language)
    source = axe_source()
    found = {}
    for elder in (False, True):
        # axe is JavaScript: this context runs it; the pages themselves have none.
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN" if language != "en" else "en"
        )
        host = live_server.url.split("//")[1].split(":")[0]
        cookies = [{"name": "region", "value": DEMO_NOTICE_REGION, "domain": host, "path": "/"}]
        if elder:
            cookies.append({"name": "mode", "value": "elder", "domain": host, "path": "/"})
        context.add_cookies(cookies)
        page = context.new_page()
        for page_type in PAGE_TYPES:
            response = page.goto(live_server.url + urls[page_type])
            expected = 404 if page_type == "404" else 200
            assert response.status == expected, (page_type, urls[page_type], response.status)
            if elder and page_type != "embed":
                assert page.locator("html").get_attribute("class") == "elder"
            page.evaluate(source)
            violations = page.evaluate(AXE_RUN, elder)
            if violations:
                mode = "elder" if elder else "normal"
                found[(f"{page_type} [{mode}]", urls[page_type])] = violations
        context.close()
    assert not found, "axe-core violations:\n" + _report(found)


# Measures one page as it is drawn: the body's font size; text blocks whose line height is
# under 1.6 times their font size; link and form targets under 44×44 CSS px; and text
# whose colour against its nearest painted background is under 7:1 (WCAG's formula).
ELDER_MEASURE = r"""() => {
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && r.right > 0 && r.bottom > 0;
  };
  const rgb = c => c.match(/[\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const label = el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
    + ' "' + (el.textContent || '').trim().slice(0, 20) + '"';
  const body = getComputedStyle(document.body);
  const out = {bodyFont: parseFloat(body.fontSize), lineHeights: [], targets: [], contrast: []};
  for (const el of document.querySelectorAll('body, p, li, dd, dt, td')) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    const ratio = parseFloat(s.lineHeight) / parseFloat(s.fontSize);
    if (!(ratio >= 1.6)) out.lineHeights.push([label(el), s.lineHeight, s.fontSize]);
  }
  for (const el of document.querySelectorAll('a[href], button, input, select, summary')) {
    if (!visible(el) || el.type === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width < 44 || r.height < 44) {
      out.targets.push([label(el), Math.round(r.width), Math.round(r.height)]);
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    const fg = lum(rgb(getComputedStyle(el).color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 7) out.contrast.push([label(el), ratio.toFixed(2)]);
  }
  out.checkedText = seen.size;
  return out;
}"""


def test_elder_mode_measured_in_the_browser(live_server, demo_site, browser):
    """适老化: base text ≥ 20 px, lines ≥ 1.6, targets ≥ 44×44 px, contrast ≥ 7:1 on every
    page type; the mode is a plain link (JavaScript off), persists, and turns off."""
    urls = page_urls("zh-hans")
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [{"name": "region", "value": DEMO_NOTICE_REGION, "domain": host, "path": "/"}]
    )
    page = context.new_page()
    page.goto(live_server.url + urls["home"])
    page.get_by_role("link", name="大字模式").click()
    failures = {}
    for page_type in PAGE_TYPES:
        if page_type == "embed":  # the partners' widget takes the host site's look
            continue
        page.goto(live_server.url + urls[page_type])
        assert page.locator("html").get_attribute("class") == "elder", page_type
        measured = page.evaluate(ELDER_MEASURE)
        assert measured["checkedText"] > 10, page_type
        problems = {
            key: measured[key] for key in ("lineHeights", "targets", "contrast") if measured[key]
        }
        if measured["bodyFont"] < 20:
            problems["bodyFont"] = measured["bodyFont"]
        if problems:
            failures[page_type] = problems
    assert not failures, failures

    page.get_by_role("link", name="退出大字模式").click()
    assert page.locator("html").get_attribute("class") is None
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") < 20
    context.close()
