"""Every public page type passes axe-core with zero violations, in Debian's Chromium.

Both languages, the normal and the elder-friendly mode (where axe's AAA contrast rule,
7:1, is switched on too). Then the elder-friendly mode's promises are measured in the
browser: text size, line height, target sizes and contrast from computed styles.
"""

import pytest

from tests.accessibility import PAGE_TYPES, axe_source, page_urls

pytestmark = pytest.mark.browser

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
        if elder:
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([{"name": "mode", "value": "elder", "domain": host, "path": "/"}])
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
