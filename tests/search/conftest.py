"""Content the search tests build on the bare structure (no demo needed)."""

from types import SimpleNamespace

import pytest

from tests.support.factories import make_lesson, make_news, make_policy


@pytest.fixture
def search_library(db):
    """A few pages holding the words the search tests type, in titles (so every backend
    finds them alike), spread over page types and functions so that each filter has pages
    to keep and pages to drop. Titles say 测试 so they never equal a demo page's."""
    return SimpleNamespace(
        rice_skills=[
            make_lesson("水稻育秧测试课", function="skills"),
            make_lesson("水稻栽培测试课", function="skills"),
            make_lesson("水稻收割测试课", function="skills"),
        ],
        rice_elsewhere=[
            make_lesson("水稻示范田党员测试课", function="theory"),
            make_news("水稻丰收测试新闻", "hangzhou"),
        ],
        station_policy=make_policy("站点管理测试办法", doc_number="浙测搜〔2026〕21号"),
        station_elsewhere=[
            make_lesson("站点管理员测试课", function="education"),
            make_news("站点建设测试新闻"),
        ],
        other_words=[
            make_lesson("远程教育测试课", function="education"),
            make_lesson("直播带货测试课", function="skills"),
            make_lesson("叠盘出苗测试课", function="skills"),
            make_policy("远教办测试通知", doc_number="浙远教办〔2026〕22号"),
        ],
    )
