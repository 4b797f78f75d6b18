"""What nginx caches (deploy/nginx/pioneer.conf) and what the site believes it caches
(pioneer.frontend_cache, which notes the answers to purge and marks what no purge can
reach) are written in two places: these checks keep the two in step."""

import re
from pathlib import Path

from pioneer import frontend_cache

CONF = (Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "pioneer.conf").read_text()


def _app_server():
    """The server block learners reach (the one before the purge listener)."""
    return CONF.split("# PURGE requests from the site", 1)[0]


def _location(pattern):
    """The body of the regex location ``~ pattern`` in the learners' server."""
    found = re.search(
        r"location ~ " + re.escape(pattern) + r" \{(.*?)\n    \}", _app_server(), re.S
    )
    assert found, f"no location ~ {pattern} in pioneer.conf"
    return found.group(1)


def test_the_answers_nginx_caches_are_the_ones_the_site_notes_for_purging():
    body = _location(frontend_cache.ANSWER_PATHS.pattern)
    assert "proxy_cache pioneer_answers;" in body
    assert '"$request_uri"' in body  # the key the site notes (CACHE_KEY_HEADER)
    kept = {
        int(code)
        for line in re.findall(r"proxy_cache_valid ([\d ]+) ", body)
        for code in line.split()
    }
    assert kept == frontend_cache.CACHEABLE


def test_what_nginx_never_caches_is_what_the_site_never_notes():
    body = _location(frontend_cache.NEVER_CACHED.pattern)
    assert "proxy_cache " not in body


def test_every_cookie_the_site_counts_as_personal_keeps_nginx_from_caching():
    words = re.search(r"map \$http_cookie \$pioneer_personal \{.*?\((\w+(?:\|\w+)*)\)", CONF, re.S)
    assert words, "no $pioneer_personal map"
    assert set(frontend_cache.PERSONAL_COOKIES) <= set(words.group(1).split("|"))
