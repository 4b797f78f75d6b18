"""The offices along one review chain (Tonglu county, Hangzhou city, the province, and
their neighbours Anji and Huzhou), for the tests of issuing notices."""

import pytest

from tests.support.editorial import make_user


@pytest.fixture
def offices(db):
    return {
        "author": make_user("tonglu-editor", "tonglu", "editor"),
        "tonglu": make_user("tonglu-reviewer", "tonglu", "reviewer"),
        "anji": make_user("anji-reviewer", "anji", "reviewer"),
        "hangzhou": make_user("hangzhou-reviewer", "hangzhou", "reviewer"),
        "huzhou": make_user("huzhou-reviewer", "huzhou", "reviewer"),
        "province": make_user("province-reviewer", "zhejiang", "reviewer"),
    }
