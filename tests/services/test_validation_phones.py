"""Mobile and landline checks (spec §5.3)."""
from __future__ import annotations

import pytest

from app.services.validation import PhoneCheck, check_phone, mask_phone, phone_digits


@pytest.mark.parametrize(
    "raw, normalized, kind",
    [
        ("13812345678", "13812345678", "mobile"),
        ("138 1234 5678", "13812345678", "mobile"),
        ("138-1234-5678", "13812345678", "mobile"),
        ("+86 138 1234 5678", "13812345678", "mobile"),
        ("+8613812345678", "13812345678", "mobile"),
        ("0086 13812345678", "13812345678", "mobile"),
        ("8613812345678", "13812345678", "mobile"),
        ("１３８１２３４５６７８", "13812345678", "mobile"),
        ("199\u30001234\u30005678", "19912345678", "mobile"),
        ("14012345678", "14012345678", "mobile"),  # not in libphonenumber's ranges yet: accepted
        ("0791-86123456", "0791-86123456", "landline"),
        ("079186123456", "0791-86123456", "landline"),
        ("(0791)86123456", "0791-86123456", "landline"),
        ("（０７９１）８６１２３４５６", "0791-86123456", "landline"),
        ("0791 8612 3456", "0791-86123456", "landline"),
        ("010-12345678", "010-12345678", "landline"),
        ("01012345678", "010-12345678", "landline"),
        ("010-1234-5678", "010-12345678", "landline"),
        ("02112345678", "021-12345678", "landline"),
        ("0755-2345678", "0755-2345678", "landline"),
        ("08981234567", "0898-1234567", "landline"),
        ("0791-86123456转801", "0791-86123456-801", "landline"),
        ("0791-86123456-801", "0791-86123456-801", "landline"),
        ("079186123456-8", "0791-86123456-8", "landline"),
        ("+86 791 86123456", "0791-86123456", "landline"),
        ("0086-10-12345678", "010-12345678", "landline"),
        ("+86 10 1234 5678", "010-12345678", "landline"),
        ("0791—86123456", "0791-86123456", "landline"),
    ],
)
def test_valid_numbers(raw, normalized, kind):
    check = check_phone(raw)
    assert check.ok, check.error
    assert (check.normalized, check.kind) == (normalized, kind)


@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_empty_is_ok_because_phone_is_optional(raw):
    check = check_phone(raw)
    assert check.ok
    assert (check.normalized, check.kind) == ("", None)


@pytest.mark.parametrize(
    "raw, message_part",
    [
        ("1381234567", "手机号码应为11位数字（现在是10位）"),
        ("138123456789", "手机号码应为11位数字（现在是12位）"),
        ("+86 138123456", "手机号码应为11位数字"),
        ("12812345678", "前两位不正确"),
        ("10012345678", "前两位不正确"),
        ("138abc45678", "不能包含“a”"),
        ("138.1234.5678", "不能包含“.”"),
        ("138+12345678", "“+”只能写在号码最前面"),
        ("13812345678转12", "手机号码不能带分机号"),
        ("0791-86123456转", "分机号应为1至6位数字"),
        ("0791-86123456转1234567", "分机号应为1至6位数字"),
        ("86123456", "固定电话请加区号"),
        ("0791-861", "区号加7至8位"),
        ("0791-861234567890", "区号加7至8位"),
        ("0791-01234567", "区号加7至8位"),
        ("+1 202 555 0123", "中国大陆"),
        ("+852 9123 4567", "中国大陆"),
        ("56789", "无法识别"),
        ("12345", "手机号码应为11位数字（现在是5位）"),
    ],
)
def test_invalid_numbers(raw, message_part):
    check = check_phone(raw)
    assert not check.ok
    assert message_part in check.error
    assert check.kind is None


def test_phone_check_ok_property():
    assert PhoneCheck(normalized="").ok
    assert not PhoneCheck(normalized="1", error="e").ok


@pytest.mark.parametrize(
    "normalized, masked",
    [
        ("13812345678", "138****5678"),
        ("0791-86123456", "0791-****3456"),
        ("010-12345678", "010-****5678"),
        ("0898-1234567", "0898-***4567"),
        ("0791-86123456-801", "0791-****3456-801"),
        ("12345678", "****5678"),
        ("123", "***"),
        ("", ""),
    ],
)
def test_mask_phone(normalized, masked):
    assert mask_phone(normalized) == masked


@pytest.mark.parametrize(
    "raw, digits",
    [
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("13812345678", "13812345678"),
        ("0791-86123456", "079186123456"),
        ("0791-86123456转801", "079186123456"),
        ("+86 791 86123456", "079186123456"),
        ("138-1234-567", "1381234567"),  # invalid input still yields its digits
        ("+86 138 1234 567", "861381234567"),
        ("", ""),
    ],
)
def test_phone_digits(raw, digits):
    assert phone_digits(raw) == digits
