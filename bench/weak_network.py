"""Page loads over "Regular 2G" in Debian's Chromium, against the production shape.

Builds a throw-away demo site, starts it behind nginx with gzip (``deploy/local/web``),
then for each public page type loads the page three times in a fresh mobile context with
the DevTools protocol's network emulation (300 ms latency, 250 kbit/s down, 50 kbit/s up)
and the cache off, and prints the medians of DOMContentLoaded, load and Largest
Contentful Paint, with the bytes transferred. Then Lighthouse 12.2.3 (npx, mobile) scores
home, lesson index and lesson pages, unless ``--no-lighthouse``.

    .venv/bin/python bench/weak_network.py [--port 8190] [--runs 3] [--no-lighthouse]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, demo_site  # noqa: E402

# Chromium DevTools' "Regular 2G" preset (kbit/s as DevTools counts them: 1024 bits).
REGULAR_2G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 250 * 1024 / 8,
    "uploadThroughput": 50 * 1024 / 8,
}
TARGETS = {"home": (2.0, 4.0), "lesson index": (2.0, 4.0), "lesson": (2.0, 4.0)}
LIGHTHOUSE = "lighthouse@12.2.3"
LCP_OBSERVER = """
window.__lcp = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({type: 'largest-contentful-paint', buffered: true});
"""
MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, lcp: window.__lcp,
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    requests: 1 + resources.length,
  };
}"""


def page_types():
    """The page types to measure: the accessibility tests' list, a lesson both with and
    without media (a video lesson's first paint is text; one without shows its cover)."""
    sys.path.insert(0, str(ROOT))
    from lessons.models import LessonPage
    from pioneer.core.public import public_pages
    from tests.support.accessibility import page_urls

    urls = page_urls("zh-hans")
    lessons = public_pages(LessonPage, locale=False).filter(locale__language_code="zh-hans")
    pictured = next((p for p in lessons.order_by("path") if not p.media_blocks and p.cover), None)
    if pictured is not None:
        urls["lesson (cover picture)"] = pictured.url
    return urls


def measure(browser, url, runs):
    samples = []
    for _ in range(runs):
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=3,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
        )
        context.add_init_script(LCP_OBSERVER)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", REGULAR_2G)
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_timeout(300)  # let the last LCP entry arrive
        samples.append(page.evaluate(MEASURE))
        context.close()
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def lighthouse(url):
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    command = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:] or ["lighthouse failed"]
    report = json.loads(done.stdout)
    scores = {key: round(cat["score"] * 100) for key, cat in report["categories"].items()}
    failed = [
        audit_id
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    return scores, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()

    workdir = demo_site()
    urls = page_types()
    web = str(ROOT / "deploy" / "local" / "web")
    env = dict(os.environ, WEB_HOME=str(workdir / "web"))
    subprocess.run([web, "start", "--port", str(args.port)], env=env, check=True)
    base = f"http://127.0.0.1:{args.port}"
    rows, lighthouse_rows = [], []
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-quic"],
            )
            for name, path in urls.items():
                rows.append((name, path, measure(browser, base + path, args.runs)))
            browser.close()
        if not args.no_lighthouse:
            for name in ("home", "lesson index", "lesson", "lesson (cover picture)"):
                if name in urls:
                    lighthouse_rows.append((name, *lighthouse(base + urls[name])))
    finally:
        subprocess.run([web, "stop"], env=env, check=False)

    print(f"\nRegular 2G (300 ms, 250/50 kbit/s), cache off, 390×844 mobile; median of {args.runs}")
    header = f"{'page type':<24} {'DCL s':>6} {'load s':>7} {'LCP s':>6} {'KiB':>6} {'req':>4}"
    print(header + "  target")
    met = []
    for name, _path, m in rows:
        target = TARGETS.get(name.split(" (")[0] if name.startswith("lesson (") else name)
        verdict = ""
        if target:
            ok = m["lcp"] / 1000 < target[0] and m["load"] / 1000 < target[1]
            met.append(ok)
            verdict = f"LCP<{target[0]} load<{target[1]}: {'met' if ok else 'NOT met'}"
        print(
            f"{name:<24} {m['dcl'] / 1000:>6.2f} {m['load'] / 1000:>7.2f} {m['lcp'] / 1000:>6.2f}"
            f" {m['bytes'] / 1024:>6.1f} {m['requests']:>4.0f}  {verdict}"
        )
    if lighthouse_rows:
        print(f"\nLighthouse {LIGHTHOUSE.split('@')[1]}, mobile")
        print(f"{'page type':<24} {'perf':>5} {'a11y':>5} {'b-p':>5} {'SEO':>5}  below 1")
        for name, scores, failed in lighthouse_rows:
            if scores is None:
                print(f"{name:<24} failed: {' '.join(failed)}")
                continue
            print(
                f"{name:<24} {scores['performance']:>5} {scores['accessibility']:>5}"
                f" {scores['best-practices']:>5} {scores['seo']:>5}  {', '.join(failed) or '-'}"
            )
    worst = max(rows, key=lambda row: row[2]["lcp"])
    print(
        f"\nsummary: {sum(met)}/{len(met)} target pages met LCP<2.0 s and load<4 s; "
        f"slowest LCP {worst[2]['lcp'] / 1000:.2f} s ({worst[0]})"
    )


if __name__ == "__main__":
    main()
