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
