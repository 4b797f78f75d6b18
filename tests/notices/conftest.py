"""The offices along one review chain, for the tests of issuing notices."""

import pytest

from tests.support.editorial import review_chain_offices


@pytest.fixture
def offices(db):
    return review_chain_offices()
