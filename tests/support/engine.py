"""The real engine node for tests: ``SEARCH_ENGINE_URL`` (e.g. opensearch://127.0.0.1:9200, or
elasticsearch7://127.0.0.1:9210) points at a node started by deploy/local/opensearch or
deploy/local/elasticsearch; without it engine tests are skipped,
unless ``REQUIRE_ENGINE=1`` (CI) makes that a failure."""

import os
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

ENGINE_URL = os.environ.get("SEARCH_ENGINE_URL", "")
# What the search reports as its backend, and the script that runs the node.
ENGINE_LABEL = "elasticsearch" if ENGINE_URL.startswith("elasticsearch") else "opensearch"
ENGINE_SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "local" / ENGINE_LABEL


def require_engine():
    """Call at import time of a module that needs the engine: skip or fail without it."""
    if not ENGINE_URL and os.environ.get("REQUIRE_ENGINE") == "1":
        raise RuntimeError("REQUIRE_ENGINE=1 but SEARCH_ENGINE_URL is not set")
    return pytest.mark.skipif(
        not ENGINE_URL, reason="no search engine: set SEARCH_ENGINE_URL to run these"
    )


@pytest.fixture
def engine(settings):
    """The site configured for the engine, on an index of this test's own."""
    from pioneer.settings import search_backends_from_url as _search_backends

    backends = _search_backends(ENGINE_URL)
    backends["default"]["INDEX_PREFIX"] = f"test_{uuid.uuid4().hex[:8]}_"
    settings.WAGTAILSEARCH_BACKENDS = backends
    settings.SEARCH_URL = ENGINE_URL
    call_command("update_index", backend_name="default", verbosity=0)
    yield backends
    from wagtail.search.backends import get_search_backend

    client = get_search_backend("default").es
    client.indices.delete(index=f"{backends['default']['INDEX_PREFIX']}*")
