"""Whether SEARCH_URL's engine, the installed client and the node belong together.

A client talks only to its own engine and major version: the elasticsearch 8 client
refuses a 7.x node, clients from 7.14 on refuse the Apache-licensed (OSS) 7.x builds,
and neither engine's client drives the other engine. Without this check each of these
shows up as a traceback on the first search. Here it is one line that names the fix: a
system check warning for every manage.py command (which may not need search at all),
and a refusal to start serving (``pioneer.wsgi``/``asgi``). A node that does not answer
is no pairing problem: search falls back to the database as before.
"""

import base64
import json
import logging
import urllib.request
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

NODE_TIMEOUT = 2  # seconds; an engine that is down must not hold up a start


@dataclass(frozen=True)
class Engine:
    name: str  # as the node reports it (version.distribution), and as people say it
    client: str  # the client's distribution on PyPI
    majors: tuple  # node major versions the backend and client are for
    client_majors: tuple
    install: str  # how to get the right client
    scheme: str


ENGINES = {
    "OpenSearch2Backend": Engine(
        "OpenSearch", "opensearch-py", (1, 2), (2,), "pip install -e .", "opensearch"
    ),
    "OpenSearch3Backend": Engine(
        "OpenSearch",
        "opensearch-py",
        (3,),
        (3,),
        'pip install "opensearch-py>=3,<4"',
        "opensearch3",
    ),
    "Elasticsearch7Backend": Engine(
        "Elasticsearch",
        "elasticsearch",
        (7,),
        (7,),
        'pip install -e ".[elasticsearch7]"',
        "elasticsearch7",
    ),
    "Elasticsearch8Backend": Engine(
        "Elasticsearch",
        "elasticsearch",
        (8,),
        (8,),
        'pip install -e ".[elasticsearch8]"',
        "elasticsearch8",
    ),
    "Elasticsearch9Backend": Engine(
        "Elasticsearch",
        "elasticsearch",
        (9,),
        (9,),
        'pip install -e ".[elasticsearch9]"',
        "elasticsearch9",
    ),
}
# The first elasticsearch client that refuses OSS builds (build_flavor "oss").
REFUSES_OSS = (7, 14)


def _engine(params):
    return ENGINES.get(params["BACKEND"].rsplit(".", 1)[-1])


def _version(text):
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def _scheme_for(name, major):
    """The SEARCH_URL scheme and backend that fit a node, or None if none does."""
    for backend, engine in ENGINES.items():
        if engine.name.lower() == name.lower() and major in engine.majors:
            return backend, engine
    return None


def _scheme(engine):
    """The scheme as configured (``elasticsearch://`` and ``opensearch://`` are aliases)."""
    configured = urlsplit(getattr(settings, "SEARCH_URL", "") or "").scheme
    return configured or engine.scheme


def _where(url):
    """The node's address for a message: no credentials."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port}"


def client_problem(params):
    """The installed client cannot serve the configured engine (no network needed)."""
    engine = _engine(params)
    if engine is None:
        return None
    try:
        installed = metadata.version(engine.client)
    except metadata.PackageNotFoundError:
        return (
            f"SEARCH_URL={_scheme(engine)}://… needs the {engine.client} client, which is not "
            f"installed: {engine.install}"
        )
    if _version(installed)[0] not in engine.client_majors:
        return (
            f"SEARCH_URL={_scheme(engine)}://… needs {engine.client} "
            f"{'/'.join(map(str, engine.client_majors))}.x, but {installed} is installed: "
            f"{engine.install}"
        )
    return None


def node_info(url, timeout=NODE_TIMEOUT):
    """The node's answer to ``GET /``, or None if it does not answer."""
    parts = urlsplit(url)
    plain = f"{parts.scheme}://{parts.hostname}:{parts.port}/"
    request = urllib.request.Request(plain, headers={"Accept": "application/json"})
    if parts.username:
        token = f"{parts.username}:{parts.password or ''}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(token).decode())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8", "replace"))
    except Exception as error:  # down, refusing, not JSON: the fallback's business
        logger.debug("search engine at %s did not answer: %s", _where(url), error)
        return None


def node_problem(params, info):
    """The node is another engine or major version than SEARCH_URL says, or one the
    installed client refuses."""
    engine = _engine(params)
    if engine is None or not isinstance(info, dict):
        return None
    version = info.get("version") or {}
    number = str(version.get("number", ""))
    name = "OpenSearch" if version.get("distribution") == "opensearch" else "Elasticsearch"
    if not number:
        return None
    major = _version(number)[0]
    where = _where(params["URLS"][0])
    if name != engine.name or major not in engine.majors:
        fit = _scheme_for(name, major)
        if fit is None:
            return f"the search node at {where} is {name} {number}, which the site does not support"
        return (
            f"SEARCH_URL={_scheme(engine)}://… but the node at {where} is {name} {number}: "
            f"set SEARCH_URL={fit[1].scheme}://{urlsplit(where).netloc} and {fit[1].install}"
        )
    if engine.client == "elasticsearch" and version.get("build_flavor") == "oss":
        try:
            installed = metadata.version("elasticsearch")
        except metadata.PackageNotFoundError:
            return None
        if _version(installed) >= REFUSES_OSS:
            return (
                f"elasticsearch {installed} refuses the OSS build of Elasticsearch {number} at "
                f'{where}: pip install "elasticsearch>=7.10,<7.14" (the [elasticsearch7] extra)'
            )
    return None


def pairing_problem(backends=None, timeout=NODE_TIMEOUT):
    """One line naming the fix, or None (no engine, a matching one, or none answering)."""
    backends = backends if backends is not None else settings.WAGTAILSEARCH_BACKENDS
    params = backends.get("default", {})
    if _engine(params) is None:
        return None
    problem = client_problem(params)
    if problem:
        return problem
    return node_problem(params, node_info(params["URLS"][0], timeout))


@checks.register("search")
def check_engine_pairing(app_configs=None, **kwargs):
    """A warning, not an error: migrate, createsuperuser and the like need no search."""
    problem = pairing_problem()
    if not problem:
        return []
    return [checks.Warning(problem, id="search.W002")]


def refuse_to_serve_on_a_wrong_pairing():
    """Called where the site starts serving: stop there, with the fix in one line."""
    from django.core.exceptions import ImproperlyConfigured

    problem = pairing_problem()
    if problem:
        logger.critical("%s", problem)
        raise ImproperlyConfigured(problem)
