"""ID-number checks per 证件类型 (spec §5.1)."""
from __future__ import annotations

from datetime import date

import pytest

import app.services.validation as validation
from app.services.validation import ID_TYPES, IdCheck, check_id_number, mask_id_number

TODAY = date(2025, 1, 1)
RESIDENT, HMT, FOREIGN, PASSPORT, OTHER, NONE = ID_TYPES
EMPTY_MSG = "请填写证件号码（无证件请选择“无证件”）"


def with_check(first17: str) -> str:
    """Append the GB 11643 MOD 11-2 check character, computed independently of the code under test."""
    assert len(first17) == 17
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return first17 + "10X98765432"[total % 11]


def test_helper_matches_known_numbers():
    assert with_check("11010519491231002") == "11010519491231002X"
    assert with_check("36042619910101007") == "360426199101010071"
    assert with_check("12010319880601824") == "120103198806018241"


def test_public_names_are_reexported():
    for name in ("ID_TYPES", "IdCheck", "check_id_number", "mask_id_number", "PhoneCheck", "check_phone",
                 "mask_phone", "phone_digits", "MIDDLE_DOT", "NameCheck", "check_name", "normalize_name",
                 "check_text", "check_division_code"):
        assert hasattr(validation, name), name


def test_id_types_order():
    assert ID_TYPES == ("居民身份证", "港澳台居民居住证", "外国人永久居留身份证", "护照", "其他证件", "无证件")


# --- 居民身份证 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, normalized, gender, birth, region_code, region_name",
    [
        ("11010519491231002X", "11010519491231002X", "女", date(1949, 12, 31), "110105", "北京市朝阳区"),
        ("360426199101010071", "360426199101010071", "男", date(1991, 1, 1), "360426", "江西省德安县"),
        ("120103198806018241", "120103198806018241", "女", date(1988, 6, 1), "120103", "天津市河西区"),
        ("11010519491231002x", "11010519491231002X", "女", date(1949, 12, 31), "110105", "北京市朝阳区"),
        (" 360426 19910101 0071 ", "360426199101010071", "男", date(1991, 1, 1), "360426", "江西省德安县"),
        ("３６０４２６１９９１０１０１００７１", "360426199101010071", "男", date(1991, 1, 1), "360426", "江西省德安县"),
        ("11010519491231002ｘ\u3000", "11010519491231002X", "女", date(1949, 12, 31), "110105", "北京市朝阳区"),
        # Code created (1983) after the birth year: normal, since the code is the one at issue time.
        (with_check("36042619600101001"), with_check("36042619600101001"), "男", date(1960, 1, 1),
         "360426", "江西省德安县"),
    ],
)
def test_resident_valid(raw, normalized, gender, birth, region_code, region_name):
    check = check_id_number(RESIDENT, raw, today=TODAY)
    assert check.ok, check.error
    assert check.warning is None
    assert (check.normalized, check.gender, check.birth_date) == (normalized, gender, birth)
    assert (check.region_code, check.region_name) == (region_code, region_name)


@pytest.mark.parametrize(
    "raw, message_part",
    [
        ("110105194912310021", "身份证号码校验位不正确，请核对最后一位"),
        ("110105491231002", "一代身份证号码已于2013年1月1日停止使用，请输入18位号码"),
        ("11010519491231002", "应为18位，现在是17位"),
        ("1101051949123100211", "应为18位，现在是19位"),
        ("11010519491231002A", "不能包含“A”"),
        ("110105-19491231002X", "不能包含“-”"),
        ("110105194912310X21", "只有最后一位可以是X"),
        (with_check("11010519490230002"), "出生日期1949年02月30日不存在"),
        (with_check("11010519901301001"), "出生日期1990年13月01日不存在"),
        (with_check("11010518800101001"), "出生日期1880年01月01日不正确"),
        (with_check("11010520990101001"), "晚于今天"),
        (with_check("11010520250102001"), "晚于今天"),
    ],
)
def test_resident_invalid(raw, message_part):
    check = check_id_number(RESIDENT, raw, today=TODAY)
    assert not check.ok
    assert message_part in check.error
    assert check.gender is None and check.birth_date is None


def test_birth_date_today_is_accepted_and_default_today_is_used():
    number = with_check("11010520250101001")
    assert check_id_number(RESIDENT, number, today=TODAY).ok
    assert not check_id_number(RESIDENT, number, today=date(2024, 12, 31)).ok
    assert check_id_number(RESIDENT, number).ok  # real today is after 2025-01-01


@pytest.mark.parametrize(
    "first17, warning_part, region_name",
    [
        ("99999919900101001", "地址码999999未在行政区划表中", None),
        ("11010320150101001", "地址码110103（北京市崇文区）在出生前已撤销", "北京市崇文区"),
        ("81000019900101001", "港澳台居民居住证", "香港"),
    ],
)
def test_resident_doubtful_address_code_only_warns(first17, warning_part, region_name):
    check = check_id_number(RESIDENT, with_check(first17), today=TODAY)
    assert check.ok
    assert warning_part in check.warning
    assert check.region_code == first17[:6]
    assert check.region_name == region_name
    assert check.birth_date is not None


# --- 港澳台居民居住证 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "first17, region_name, gender",
    [
        ("81000019900101001", "香港", "男"),
        ("82000019851231002", "澳门", "女"),
        ("83000020000229003", "台湾", "男"),
    ],
)
def test_hmt_permit_valid(first17, region_name, gender):
    number = with_check(first17)
    check = check_id_number(HMT, number.lower(), today=TODAY)
    assert check.ok, check.error
    assert check.normalized == number
    assert (check.region_code, check.region_name, check.gender) == (first17[:6], region_name, gender)
    assert check.birth_date == date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))


@pytest.mark.parametrize(
    "raw, message_part",
    [
        ("360426199101010071", "应以810000（香港）、820000（澳门）或830000（台湾）开头"),
        (with_check("81010019900101001"), "应以810000"),
        (with_check("81000019900101001")[:-1] + "Y", "不能包含“Y”"),
        ("81000019900101001" + ("0" if with_check("81000019900101001")[-1] != "0" else "1"), "校验位不正确"),
        (with_check("82000019900231001"), "不存在"),
        ("8100001990010100", "应为18位"),
    ],
)
def test_hmt_permit_invalid(raw, message_part):
    check = check_id_number(HMT, raw, today=TODAY)
    assert not check.ok
    assert message_part in check.error


# --- 外国人永久居留身份证 / 护照 / 其他证件 / 无证件 ---------------------------------------


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("USA123456789012", "USA123456789012"),
        ("usa 1234 5678 9012", "USA123456789012"),
        (with_check("93315619800101001"), with_check("93315619800101001")),
    ],
)
def test_foreign_permanent_residence_valid(raw, normalized):
    check = check_id_number(FOREIGN, raw, today=TODAY)
    assert check.ok, check.error
    assert check.normalized == normalized


@pytest.mark.parametrize(
    "raw, message_part",
    [
        ("US1234567890123", "3个英文字母加12位数字"),
        ("USA12345678901", "应为15位或18位，现在是14位"),
        (with_check("83315619800101001"), "应以9开头"),
        ("9331561980010100" + "A" + "1", "只能包含数字"),
        ("93315619800101001" + ("0" if with_check("93315619800101001")[-1] != "0" else "1"), "校验位不正确"),
        ("USA-12345678901", "不能包含“-”"),
    ],
)
def test_foreign_permanent_residence_invalid(raw, message_part):
    check = check_id_number(FOREIGN, raw, today=TODAY)
    assert not check.ok
    assert message_part in check.error


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("E12345678", "E12345678"),
        ("e1234 5678", "E12345678"),
        ("Ｅ１２３４５６７８", "E12345678"),
        ("G1234", "G1234"),
        ("A" * 17, "A" * 17),
    ],
)
def test_passport_valid(raw, normalized):
    check = check_id_number(PASSPORT, raw)
    assert check.ok, check.error
    assert check.normalized == normalized


@pytest.mark.parametrize(
    "raw, message_part",
    [
        ("E123", "应为5至17位，现在是4位"),
        ("A" * 18, "应为5至17位，现在是18位"),
        ("E1234567!", "不能包含“!”"),
        ("E-1234567", "不能包含“-”"),
        ("护照123456", "不能包含“护”"),
    ],
)
def test_passport_invalid(raw, message_part):
    check = check_id_number(PASSPORT, raw)
    assert not check.ok
    assert message_part in check.error


@pytest.mark.parametrize(
    "raw, normalized",
    [("军官证 第123号", "军官证 第123号"), ("  ab  12 ", "ab 12"), ("x", "x"), ("a" * 30, "a" * 30)],
)
def test_other_document_valid(raw, normalized):
    check = check_id_number(OTHER, raw)
    assert check.ok, check.error
    assert check.normalized == normalized


@pytest.mark.parametrize(
    "raw, message_part",
    [("a" * 31, "不能超过30位"), ("ab\x07c", "不可见"), ("   ", EMPTY_MSG)],
)
def test_other_document_invalid(raw, message_part):
    check = check_id_number(OTHER, raw)
    assert not check.ok
    assert message_part in check.error


@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_no_document_accepts_only_empty(raw):
    check = check_id_number(NONE, raw)
    assert check.ok
    assert check.normalized == ""


def test_no_document_refuses_a_number():
    check = check_id_number(NONE, "123456")
    assert check.error == "选择“无证件”时不能填写证件号码"


@pytest.mark.parametrize("id_type", [t for t in ID_TYPES if t != "无证件"])
@pytest.mark.parametrize("raw", ["", "  ", "\u3000"])
def test_empty_number_is_refused_for_every_document_type(id_type, raw):
    check = check_id_number(id_type, raw)
    assert check.error == EMPTY_MSG
    assert check.normalized == ""


@pytest.mark.parametrize("id_type", ["身份证", "", "军官证"])
def test_unknown_id_type(id_type):
    assert check_id_number(id_type, "360426199101010071").error == "证件类型无效"


def test_id_check_ok_property():
    assert IdCheck(normalized="x").ok
    assert not IdCheck(normalized="x", error="e").ok
    assert IdCheck(normalized="x", warning="w").ok


# --- masking ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, masked",
    [
        ("11010519491231002X", "110105********002X"),
        ("USA123456789012", "USA123*****9012"),
        ("12345678901", "123456*8901"),
        ("E12345678", "E*******8"),
        ("abc", "a*c"),
        ("ab", "**"),
        ("", ""),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked
