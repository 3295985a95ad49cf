import random
from datetime import date

import pytest

from station_app.rules import RuleInputError
from station_app.rules.ids import (
    USCC_ALPHABET,
    is_valid_resident_id,
    is_valid_uscc,
    mask_resident_id,
    normalize_resident_id,
    normalize_uscc,
    org_code_check_char,
    resident_id_birth_date,
    resident_id_check_char,
    resident_id_gender,
    uscc_check_char,
)

TODAY = date(2026, 11, 24)  # the kernel reads no clock: the caller names the day

# Published examples (not produced by the code under test):
KNOWN_USCC = "91110000600037341L"  # python-stdnum cn.uscc documentation example
GB11643_FEMALE = "11010519491231002X"  # GB 11643-1999 example: 北京朝阳 1949-12-31, 女
GB11643_MALE = "440524188001010014"  # GB 11643-1999 example: 广东潮阳 1880-01-01, 男


def test_known_uscc_is_valid_and_check_char_matches() -> None:
    assert is_valid_uscc(KNOWN_USCC)
    assert uscc_check_char(KNOWN_USCC[:17]) == "L"


@pytest.mark.parametrize(
    "code",
    [
        " 9111 0000 6000 3734 1L ",
        "91110000600037341l",
        "".join(chr(ord(c) + 0xFEE0) for c in KNOWN_USCC),  # full-width digits and letter
        "9111\u300000006000\t37341L",  # ideographic space and tab
    ],
)
def test_uscc_normalisation(code: str) -> None:
    assert normalize_uscc(code) == KNOWN_USCC
    assert is_valid_uscc(code)


@pytest.mark.parametrize(
    "code",
    [
        "91110000600037341M",  # wrong check char
        "91110000600037341",  # 17 chars
        "91110000600037341LL",  # 19 chars
        "9111000060003734IL",  # I is not in the alphabet
        "91110000600O37341L",  # O is not in the alphabet
        "",
    ],
)
def test_invalid_uscc(code: str) -> None:
    assert not is_valid_uscc(code)


def test_non_string_uscc_is_invalid() -> None:
    assert not is_valid_uscc(None)  # type: ignore[arg-type]
    assert not is_valid_uscc(91110000600037341)  # type: ignore[arg-type]


def test_generated_usccs_validate_and_any_single_substitution_fails() -> None:
    rng = random.Random(20260101)
    for _ in range(300):
        body = "".join(rng.choice(USCC_ALPHABET) for _ in range(17))
        code = body + uscc_check_char(body)
        assert is_valid_uscc(code)
        pos = rng.randrange(18)
        replacement = rng.choice([c for c in USCC_ALPHABET if c != code[pos]])
        assert not is_valid_uscc(code[:pos] + replacement + code[pos + 1 :])


@pytest.mark.parametrize("prefix", ["11", "51", "52", "A1", "G1", "N2", "Y1", "93"])
def test_any_registration_body_prefix_is_accepted(prefix: str) -> None:
    body = prefix + "320700MA1XXXXX"[:15]
    body = (body + "000000000")[:17]
    assert is_valid_uscc(body + uscc_check_char(body))


@pytest.mark.parametrize("bad", ["123", "9111000060003734IX", "91110000600037341L"])
def test_uscc_check_char_rejects_bad_body(bad: str) -> None:
    with pytest.raises(RuleInputError, match="first17"):
        uscc_check_char(bad)


def test_org_code_check_char_known_example() -> None:
    # USCC 91110000600037341L embeds 组织机构代码 60003734-1
    assert org_code_check_char("60003734") == "1"


def test_known_resident_ids() -> None:
    assert is_valid_resident_id(GB11643_FEMALE, today=TODAY)
    assert is_valid_resident_id(GB11643_MALE, today=TODAY)
    assert resident_id_check_char(GB11643_FEMALE[:17]) == "X"
    assert resident_id_check_char(GB11643_MALE[:17]) == "4"
    assert resident_id_birth_date(GB11643_FEMALE) == date(1949, 12, 31)
    assert resident_id_gender(GB11643_FEMALE) == "女"
    assert resident_id_gender(GB11643_MALE) == "男"


def test_lower_case_x_and_spaces() -> None:
    assert is_valid_resident_id("110105 19491231 002x", today=TODAY)
    assert normalize_resident_id(" 11010519491231002x ") == GB11643_FEMALE


def _make_id(area: str, born: date, seq: str) -> str:
    first17 = area + born.strftime("%Y%m%d") + seq
    return first17 + resident_id_check_char(first17)


def test_province_code_must_exist() -> None:
    assert is_valid_resident_id(_make_id("320703", date(1990, 5, 17), "123"), today=TODAY)
    assert not is_valid_resident_id(_make_id("990703", date(1990, 5, 17), "123"), today=TODAY)
    assert not is_valid_resident_id(_make_id("000703", date(1990, 5, 17), "123"), today=TODAY)


def test_birth_date_must_be_real_and_not_in_future() -> None:
    today = date(2026, 3, 1)
    assert is_valid_resident_id(_make_id("320703", today, "001"), today=today)
    tomorrow = date(2026, 3, 2)
    assert not is_valid_resident_id(_make_id("320703", tomorrow, "001"), today=today)
    bad_date = "32070319900230123"  # 30 February
    assert not is_valid_resident_id(bad_date + resident_id_check_char(bad_date), today=TODAY)
    leap = "32070320000229123"
    assert is_valid_resident_id(leap + resident_id_check_char(leap), today=TODAY)
    not_leap = "32070319000229123"  # 1900 is not a leap year
    assert not is_valid_resident_id(not_leap + resident_id_check_char(not_leap), today=TODAY)


def test_generated_ids_validate_and_single_substitution_fails() -> None:
    rng = random.Random(7)
    for _ in range(300):
        born = date(1950, 1, 1).fromordinal(date(1950, 1, 1).toordinal() + rng.randrange(25000))
        number = _make_id("3207" + f"{rng.randrange(100):02d}", born, f"{rng.randrange(1000):03d}")
        assert is_valid_resident_id(number, today=date(2026, 1, 1))
        pos = rng.randrange(18)
        pool = "0123456789X" if pos == 17 else "0123456789"
        replacement = rng.choice([c for c in pool if c != number[pos]])
        assert not is_valid_resident_id(
            number[:pos] + replacement + number[pos + 1 :], today=date(2026, 1, 1)
        )


@pytest.mark.parametrize(
    "number", ["", "1101051949123100", "11010519491231002Y", "1101051949123100X2", None, 123]
)
def test_malformed_resident_ids(number: object) -> None:
    assert not is_valid_resident_id(number, today=TODAY)  # type: ignore[arg-type]


def test_resident_id_helpers_reject_bad_input() -> None:
    with pytest.raises(RuleInputError, match="first17"):
        resident_id_check_char("1101051949123100")
    with pytest.raises(RuleInputError, match="出生日期"):
        resident_id_birth_date("110105199002301234")


def test_mask_resident_id() -> None:
    assert mask_resident_id(GB11643_FEMALE) == "1101" + "*" * 10 + "002X"
    assert mask_resident_id(" 110105 19491231002x") == "1101" + "*" * 10 + "002X"
    assert mask_resident_id("12345678") == "********"
    assert mask_resident_id("123456789") == "1234*6789"
