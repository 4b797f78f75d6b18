"""Document numbers (文号): every usual typing of a number means the same document."""

import pytest

from pioneer.core.text import docnumbers

CANONICAL = "浙组通〔2023〕12号"


@pytest.mark.parametrize(
    "typed",
    [
        "浙组通〔2023〕12号",
        "浙组通[2023]12号",
        "浙组通（2023）12号",
        "浙组通(2023)12号",
        "浙组通【2023】12号",
        "浙组通［2023］12号",
        "浙组通〔２０２３〕１２号",
        "浙组通 〔2023〕 12 号",
        "浙组通〔2023〕012号",
        "浙组通〔2023〕12",
        "浙组通2023年12号",
        " 浙组通[2023]12号 ",
    ],
)
def test_variants_normalise_to_one_form(typed):
    assert docnumbers.normalise(typed) == CANONICAL


@pytest.mark.parametrize(
    "typed", ["", "   ", "浙组通", "12号", "〔2023〕12号", "浙组通〔23〕12号", "通知"]
)
def test_non_numbers_are_refused(typed):
    assert docnumbers.normalise(typed) is None


def test_validate_explains_the_expected_form():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        docnumbers.validate("随便写的")
    assert "浙组通〔2023〕12号" in str(error.value)


@pytest.mark.parametrize(
    "typed, code, year",
    [
        ("湖组发", "湖组发", None),
        (" 湖组发 ", "湖组发", None),
        ("杭农发〔2025〕", "杭农发", "2025"),
        ("杭农发[2025]", "杭农发", "2025"),
        ("杭农发（２０２５）", "杭农发", "2025"),
        ("杭农发 2025", "杭农发", "2025"),
        ("杭农发2025", "杭农发", "2025"),
        ("杭农发2025年", "杭农发", "2025"),
        ("杭农发 [ 2025 ] ", "杭农发", "2025"),
        ("湖組發", "湖组发", None),
    ],
)
def test_an_issuer_code_with_or_without_a_year_is_a_prefix(typed, code, year):
    start = docnumbers.prefix(typed)
    assert (start.code, start.year) == (code, year)
    # What the stored (canonical) numbers of that issuer (and year) begin with.
    assert start.stored_start == (f"{code}〔{year}〕" if year else f"{code}〔")


@pytest.mark.parametrize(
    "typed",
    ["", "湖", "12号", "2025", "浙组通〔2023〕12号", "浙组通〔23〕", "水稻 育秧", "杭农发〔2025"]
    + ["policy", "COVID 2025", "ﾊﾝ発"],
)
def test_whole_numbers_and_other_texts_are_not_prefixes(typed):
    assert docnumbers.prefix(typed) is None


def test_a_code_alone_does_not_take_in_a_longer_code():
    # 湖组's documents are 湖组〔…〕, never 湖组发〔…〕.
    assert not docnumbers.normalise("湖组发〔2025〕1号").startswith(
        docnumbers.prefix("湖组").stored_start
    )


@pytest.mark.parametrize(
    "typed",
    ["〔2025〕12号", "(2025)12号", "（２０２５）１２号", "[2025] 12 号", "【2025】第12号文"]
    + ["2025年12号文件", "2025年第12号文件"],
)
def test_a_year_and_a_number_read_as_the_end_of_a_number(typed):
    assert docnumbers.year_and_number(typed) == "〔2025〕12号"


@pytest.mark.parametrize(
    "typed", ["2025年12号", "2025年12月", "12号", "〔2025〕", "浙组发〔2025〕12号", "浙组发2025"]
)
def test_dates_whole_numbers_and_prefixes_are_no_year_and_number(typed):
    assert docnumbers.year_and_number(typed) is None
