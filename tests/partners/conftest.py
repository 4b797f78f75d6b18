import pytest

from tests.support.library import small_library as build_small_library


@pytest.fixture
def small_library(db):
    """Partners' filters, feeds and widget over a library that covers each filter value
    (tests/support/library.py), inside the test's transaction."""
    return build_small_library()
