"""Name normalisation and checks, plus the small free-text checks."""
from __future__ import annotations

import pytest

from app.services.validation import (
    MIDDLE_DOT,
    NameCheck,
    check_division_code,
    check_name,
    check_text,
    normalize_name,
)

DOT_LOOKALIKES = ["\u30fb", "\uff65", "\u2022", "\u2027", "\u2219", "\u22c5", "\u0387", "\uff0e", "\u00b7"]


def test_middle_dot_constant():
    assert MIDDLE_DOT == "\u00b7"


@pytest.mark.parametrize("dot", DOT_LOOKALIKES)
def test_every_dot_lookalike_becomes_middle_dot(dot):
    assert normalize_name(f"阿依古丽{dot}买买提") == "阿依古丽\u00b7买买提"
    assert normalize_name(f"阿依古丽 {dot}  买买提") == "阿依古丽\u00b7买买提"


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("  张三  ", "张三"),
        ("张 三", "张三"),
        ("阿依古丽.买买提", "阿依古丽\u00b7买买提"),
        ("阿依古丽 . 买买提", "阿依古丽\u00b7买买提"),
        ("John   Smith", "John Smith"),
        ("John\u3000Smith", "John Smith"),
        ("J. Smith", "J. Smith"),  # a Latin full stop is not a middle dot
        ("Zoe\u0308", "Zo\u00eb"),  # NFC
        ("O\u2019Neil", "O'Neil"),
        ("Ｊｏｈｎ", "John"),
        ("", ""),
    ],
)
def test_normalize_name(raw, normalized):
    assert normalize_name(raw) == normalized


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("张三", "张三"),
        ("𠮷收", "𠮷收"),
        ("䶮", "䶮"),
        ("王〇", "王〇"),
        ("阿依古丽・买买提", "阿依古丽\u00b7买买提"),
        ("爱新觉罗·溥仪", "爱新觉罗\u00b7溥仪"),
        ("John Smith", "John Smith"),
        ("Zoë O'Neil-Brown", "Zoë O'Neil-Brown"),
        ("José María", "José María"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("张" * 50, "张" * 50),
        ("𠮷" * 50, "𠮷" * 50),  # 50 code points even though 100 UTF-16 units
    ],
)
def test_valid_names(raw, normalized):
    check = check_name(raw)
    assert check.ok, check.error
    assert check.normalized == normalized


@pytest.mark.parametrize(
    "raw, error",
    [
        ("", "请填写姓名"),
        ("   ", "请填写姓名"),
        ("张三3", "姓名中不能包含字符“3”"),
        ("张三😀", "姓名中不能包含字符“😀”"),
        ("张三@", "姓名中不能包含字符“@”"),
        ("李四（代）", "姓名中不能包含字符“(”"),
        ("Иван", "姓名中不能包含字符“И”"),
        ("张\u200b三", "姓名中有看不见的特殊字符（U+200B），请删除后重新输入"),
        ("·张三", "姓名不能以“·”开头或结尾"),
        ("Smith-", "姓名不能以“-”开头或结尾"),
        ("阿依古丽··买买提", "姓名中的“·”不能连续出现"),
        ("张" * 51, "姓名不能超过50个字（现在是51个字）"),
    ],
)
def test_invalid_names(raw, error):
    check = check_name(raw)
    assert not check.ok
    assert check.error == error


def test_max_len_parameter():
    assert check_name("张三丰", max_len=3).ok
    assert check_name("张三丰", max_len=2).error == "姓名不能超过2个字（现在是3个字）"


def test_name_check_ok_property():
    assert NameCheck(normalized="张三").ok
    assert not NameCheck(normalized="", error="请填写姓名").ok


# --- free text and division codes -------------------------------------------------


@pytest.mark.parametrize(
    "raw, required, max_len, expected",
    [
        ("  工资拖欠  ", True, 10, ("工资拖欠", None)),
        ("", True, 10, ("", "请填写诉求")),
        ("   ", True, 10, ("", "请填写诉求")),
        ("", False, 10, ("", None)),
        ("一二三四五六七八九十", True, 10, ("一二三四五六七八九十", None)),
        ("一二三四五六七八九十一", True, 10, ("一二三四五六七八九十一", "诉求不能超过10个字（现在是11个字）")),
        ("𠮷" * 3, True, 3, ("𠮷" * 3, None)),
    ],
)
def test_check_text(raw, required, max_len, expected):
    assert check_text(raw, "诉求", required=required, max_len=max_len) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", ("", None)),
        ("360426", ("360426", None)),
        (" 360426100 ", ("360426100", None)),
        ("440000000000", ("440000000000", None)),
        ("３６０４２６", ("360426", None)),
        ("36042", ("36042", "行政区划代码应为6、9或12位数字")),
        ("3604261001", ("3604261001", "行政区划代码应为6、9或12位数字")),
        ("36042A", ("36042A", "行政区划代码应为6、9或12位数字")),
    ],
)
def test_check_division_code(raw, expected):
    assert check_division_code(raw) == expected
