"""What nginx caches (deploy/nginx/pioneer.conf) and what the site believes it caches
(pioneer.caching.nginx, read by the code that notes the answers to purge, marks what no
purge can reach and answers revalidations) are written in two places: these checks keep
the two in step."""

import re
from pathlib import Path

from pioneer.caching import nginx

CONF = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "pioneer.conf").read_text()


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


def _kept(body):
    """The status codes a location's ``proxy_cache_valid`` lines keep."""
    return {
        int(code)
        for line in re.findall(r"proxy_cache_valid ([\d ]+) ", body)
        for code in line.split()
    }


def _alternatives(pattern):
    """The names of a ``^/(a|b|…)(/|$)`` path pattern."""
    found = re.fullmatch(r"\^/\((.*)\)\(/\|\$\)", pattern)
    assert found, pattern
    return set(found.group(1).split("|"))


def test_the_answers_nginx_caches_are_the_ones_the_site_notes_for_purging():
    body = _location(nginx.ANSWER_PATHS.pattern)
    assert "proxy_cache pioneer_answers;" in body
    assert '"$request_uri"' in body  # the key the site notes (CACHE_KEY_HEADER)
    kept = _kept(body)
    assert kept == nginx.CACHEABLE


def test_what_nginx_never_caches_is_what_the_site_never_notes():
    body = _location(nginx.NEVER_CACHED.pattern)
    assert "proxy_cache " not in body


def test_every_cookie_the_site_counts_as_personal_keeps_nginx_from_caching():
    words = re.search(r"map \$http_cookie \$pioneer_personal \{.*?\((\w+(?:\|\w+)*)\)", CONF, re.S)
    assert words, "no $pioneer_personal map"
    assert set(nginx.PERSONAL_COOKIES) <= set(words.group(1).split("|"))


def _page_location():
    body = re.search(r"\n    location / \{(.*?)\n    \}\n", _app_server(), re.S)
    assert body, "no location / in pioneer.conf"
    return body.group(1)


def test_pages_nginx_caches_are_kept_for_the_same_answers():
    body = _page_location()
    assert "proxy_cache pioneer;" in body
    assert 'proxy_cache_key "$request_uri$pioneer_include_key";' in body
    assert _kept(body) == nginx.CACHEABLE


def test_pages_are_kept_as_long_as_the_site_says():
    for body in (_page_location(), _location(nginx.REGIONAL_PAGES.pattern.join('""'))):
        assert f"proxy_cache_valid 200 301 302 404 {nginx.PAGE_KEPT}s;" in body


def test_both_copies_of_a_page_are_the_ones_the_site_purges():
    """A page is kept once for learners with no region and once, with the include, for
    those who chose one: the purge server takes the second at the path the site sends."""
    include_key = re.search(r"map \$pioneer_region \$pioneer_include_key \{(.*?)\}", CONF, re.S)
    assert include_key and '"-" "";' in include_key.group(1)
    suffix = re.search(r'default "([^"]+)";', include_key.group(1)).group(1)
    purge_map = re.search(r"map \$request_uri \$pioneer_include_copy \{(.*?)\}", CONF, re.S)
    assert purge_map, "no map for the include copies' purge"
    assert f'"~^{nginx.INCLUDE_COPY_PURGE}(?<pioneer_copy_of>/.*)$"' in purge_map.group(1)
    assert f'"$pioneer_copy_of{suffix}"' in purge_map.group(1)
    purge_server = CONF.split("# PURGE requests from the site", 1)[1]
    assert (
        f"location ^~ {nginx.INCLUDE_COPY_PURGE}/ {{\n"
        '        proxy_cache_purge pioneer "$pioneer_include_copy";'
    ) in purge_server
    assert nginx.purge_paths("/zh-hans/lessons/?page=2") == [
        "/zh-hans/lessons/?page=2",
        "/_include-copy/zh-hans/lessons/?page=2",
    ]
    assert nginx.purge_paths("/api/v2/pages/") == ["/api/v2/pages/"]
    assert nginx.purge_paths("/zh-hans/") == ["/zh-hans/"]  # kept per region, no include


def test_the_include_is_on_for_learners_who_chose_a_region_only():
    body = _page_location()
    condition = re.search(r'if \(\$pioneer_region != "-"\) \{(.*?)\}', body, re.S)
    assert condition, "location / turns SSI on for no one in particular"
    assert "ssi on;" in condition.group(1) and "set $pioneer_ssi 1;" in condition.group(1)
    assert "ssi on;" not in body.replace(condition.group(0), "")
    home = _location(nginx.REGIONAL_PAGES.pattern.join('""'))
    assert "ssi on;" not in home and '"$request_uri$pioneer_region_key"' in home


def test_the_region_nginx_keys_by_is_the_one_the_site_reads():
    assert "proxy_set_header X-Pioneer-Region $pioneer_region;" in _app_server()
    assert nginx.REGION_HEADER == "HTTP_X_PIONEER_REGION"
    shape = re.search(r'map \$cookie_region \$pioneer_region \{.*?"~\^(.*?)\$"', CONF, re.S)
    assert shape and shape.group(1) == nginx.REGION_SLUG.pattern


def test_the_cache_key_nginx_sends_is_the_header_the_site_reads():
    sent = re.findall(r"proxy_set_header ([\w-]+) \$request_uri;", _app_server())
    assert ["HTTP_" + name.upper().replace("-", "_") for name in sent] == [nginx.CACHE_KEY_HEADER]


def test_what_the_site_treats_as_pages_is_neither_an_answer_nor_never_cached():
    assert _alternatives(nginx.NOT_PAGES.pattern) == _alternatives(
        nginx.ANSWER_PATHS.pattern
    ) | _alternatives(nginx.NEVER_CACHED.pattern)


def test_answers_are_noted_for_longer_than_nginx_keeps_them_unasked():
    zone = re.search(r"keys_zone=pioneer_answers:\S+ .*?inactive=(\d+)m", CONF)
    assert zone, "no pioneer_answers cache zone"
    assert nginx.ANSWERS_KEEP > int(zone.group(1)) * 60
    assert "stale-while-revalidate=" in CONF  # the leave the site gives noted answers
    assert nginx.ANSWERS_STALE > 0


def test_the_search_counters_are_never_cached_and_come_before_the_answers():
    server = _app_server()
    body = _location(nginx.SEARCH_COUNTERS.pattern)
    assert "proxy_pass http://pioneer_app;" in body
    assert "proxy_cache " not in body
    # nginx uses the first regex location that matches: the counters' must come first.
    counters = server.index(f"location ~ {nginx.SEARCH_COUNTERS.pattern} {{")
    assert counters < server.index(f"location ~ {nginx.ANSWER_PATHS.pattern} {{")
    for path in ("/zh-hans/search/seen/", "/en/search/open/12/"):
        assert nginx.SEARCH_COUNTERS.match(path) and nginx.ANSWER_PATHS.match(path)
    assert not nginx.SEARCH_COUNTERS.match("/zh-hans/search/")
