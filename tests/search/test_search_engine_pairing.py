"""A search client that cannot talk to the configured engine is named in one line with
its fix: a warning for manage.py commands, a refusal to start serving; an engine that
does not answer stays a soft fallback.

The node cases run against the real node of SEARCH_ENGINE_URL (OpenSearch or
Elasticsearch, started by deploy/local/), configured as the engine it is not.
"""

import socket
import sys
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from pioneer.settings import search_backends_from_url as _search_backends
from search import engine_check
from tests.support.engine import ENGINE_LABEL, ENGINE_URL, require_engine


def engine_only(test):
    return pytest.mark.engine(require_engine()(test))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _installed(client):
    from importlib import metadata

    try:
        return metadata.version(client)
    except metadata.PackageNotFoundError:
        return None


def test_no_engine_no_problem(settings):
    settings.SEARCH_URL = ""
    settings.WAGTAILSEARCH_BACKENDS = _search_backends("")
    assert engine_check.pairing_problem() is None
    assert engine_check.check_engine_pairing() == []


def test_a_client_of_another_major_version_names_the_extra(settings):
    """Whatever elasticsearch client is installed here (none, or the 7.x of the
    [elasticsearch7] extra), it is not the 9.x that elasticsearch9:// needs."""
    assert (_installed("elasticsearch") or "0").split(".")[0] != "9"
    settings.SEARCH_URL = "elasticsearch9://127.0.0.1:9"
    problem = engine_check.client_problem(_search_backends(settings.SEARCH_URL)["default"])
    assert problem and problem.endswith('pip install -e ".[elasticsearch9]"')
    assert "\n" not in problem


def test_the_shipped_opensearch_client_fits_opensearch():
    backends = _search_backends("opensearch://127.0.0.1:9")
    assert engine_check.client_problem(backends["default"]) is None


def test_an_engine_that_does_not_answer_is_no_pairing_problem(settings):
    """Down is the fallback's business (search answers from the database), not a reason
    to refuse to start."""
    url = f"opensearch://127.0.0.1:{_free_port()}"
    settings.SEARCH_URL = url
    settings.WAGTAILSEARCH_BACKENDS = _search_backends(url)
    assert engine_check.pairing_problem() is None
    engine_check.refuse_to_serve_on_a_wrong_pairing()  # does not raise


# --- against the real node ----------------------------------------------------------


def _as(scheme):
    """SEARCH_ENGINE_URL's node, configured through ``scheme``."""
    return f"{scheme}://{urlsplit(ENGINE_URL).netloc}"


def _other_engine():
    """A scheme naming the engine the node is not, and the scheme it is."""
    if ENGINE_LABEL == "elasticsearch":
        return "opensearch", "elasticsearch7"
    return "elasticsearch7", "opensearch"


@engine_only
def test_the_right_pairing_passes(settings):
    settings.SEARCH_URL = ENGINE_URL
    backends = _search_backends(ENGINE_URL)
    assert engine_check.pairing_problem(backends) is None


@engine_only
def test_a_client_of_the_other_engine_is_refused_naming_the_right_scheme(settings):
    wrong, right = _other_engine()
    settings.SEARCH_URL = _as(wrong)
    params = _search_backends(settings.SEARCH_URL)["default"]
    info = engine_check.node_info(params["URLS"][0])
    problem = engine_check.node_problem(params, info)
    assert problem and f"set SEARCH_URL={_as(right)}" in problem
    assert "\n" not in problem


@engine_only
def test_an_elasticsearch_8_pairing_with_a_7_node_names_the_7_extra(settings):
    if ENGINE_LABEL != "elasticsearch":
        pytest.skip("the node is not Elasticsearch")
    settings.SEARCH_URL = _as("elasticsearch8")
    params = _search_backends(settings.SEARCH_URL)["default"]
    problem = engine_check.node_problem(params, engine_check.node_info(params["URLS"][0]))
    assert problem.endswith(
        f'set SEARCH_URL={_as("elasticsearch7")} and pip install -e ".[elasticsearch7]"'
    )


@engine_only
@pytest.mark.django_db  # `check` runs every system check, the Site's against SITE_URL too
def test_a_wrong_pairing_warns_commands_and_stops_serving(settings, monkeypatch):
    wrong, _right = _other_engine()
    settings.SEARCH_URL = _as(wrong)
    settings.WAGTAILSEARCH_BACKENDS = _search_backends(settings.SEARCH_URL)
    problem = engine_check.pairing_problem()
    assert problem

    # manage.py commands that need no search go on: a warning, not an error.
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "search.W002" in out.getvalue() and problem in out.getvalue()

    # Serving does not start: the WSGI module stops with the one line.
    monkeypatch.delitem(sys.modules, "pioneer.wsgi", raising=False)
    with pytest.raises(ImproperlyConfigured) as refused:
        __import__("pioneer.wsgi")
    assert str(refused.value) == problem
