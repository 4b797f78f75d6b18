"""The offices along one review chain, for the review tests of this folder."""

import pytest

from tests.support.editorial import review_chain_offices


@pytest.fixture
def offices(db):
    return review_chain_offices()
