"""Identifier formats: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999).

Implemented directly (not via python-stdnum, which rejects USCCs whose registration-body
character is a letter, e.g. "N" for 农业 or "Y" for 其他).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from .errors import RuleInputError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"  # indexed by (Σ digit×weight) mod 11

# GB/T 2260 province-level codes; 81/82/83 also occur in 港澳台居民居住证 numbers.
PROVINCE_CODES: dict[str, str] = {
    "11": "北京",
    "12": "天津",
    "13": "河北",
    "14": "山西",
    "15": "内蒙古",
    "21": "辽宁",
    "22": "吉林",
    "23": "黑龙江",
    "31": "上海",
    "32": "江苏",
    "33": "浙江",
    "34": "安徽",
    "35": "福建",
    "36": "江西",
    "37": "山东",
    "41": "河南",
    "42": "湖北",
    "43": "湖南",
    "44": "广东",
    "45": "广西",
    "46": "海南",
    "50": "重庆",
    "51": "四川",
    "52": "贵州",
    "53": "云南",
    "54": "西藏",
    "61": "陕西",
    "62": "甘肃",
    "63": "青海",
    "64": "宁夏",
    "65": "新疆",
    "71": "台湾",
    "81": "香港",
    "82": "澳门",
    "83": "台湾（居住证）",
}

_EARLIEST_BIRTH = date(1800, 1, 1)
_WHITESPACE = re.compile(r"\s+")


def _clean(value: str) -> str:
    # NFKC folds full-width digits and letters (０-９, Ａ-Ｚ) to ASCII; whitespace of any kind goes.
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", value)).upper()


# --------------------------------------------------------------------------- USCC


def normalize_uscc(code: str) -> str:
    """Strip all whitespace, fold full-width characters and upper-case."""
    if not isinstance(code, str):
        raise RuleInputError(f"参数 code（统一社会信用代码）应为文本：{code!r}")
    return _clean(code)


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for the first 17 characters."""
    body = normalize_uscc(first17)
    if len(body) != 17 or any(ch not in USCC_ALPHABET for ch in body):
        raise RuleInputError(
            f"参数 first17（统一社会信用代码前17位）应为17个字符，取值范围0-9及除I、O、S、V、Z外的大写字母：{first17!r}"
        )
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    """18 characters from the GB 32100 alphabet with a correct check character.

    Any registration-body character (1–9, A–G, N, Y …) is accepted; the embedded
    organisation code's own GB 11714 check is deliberately not enforced.
    """
    if not isinstance(code, str):
        return False
    value = _clean(code)
    if len(value) != 18 or any(ch not in USCC_ALPHABET for ch in value):
        return False
    return uscc_check_char(value[:17]) == value[17]


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of the 9-character 组织机构代码 (positions 9–17 of a USCC)."""
    body = _clean(first8) if isinstance(first8, str) else ""
    if len(body) != 8 or not all(ch.isdigit() or "A" <= ch <= "Z" for ch in body):
        raise RuleInputError(f"参数 first8（组织机构代码前8位）应为8位数字或大写字母：{first8!r}")
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    values = [int(ch) if ch.isdigit() else ord(ch) - 55 for ch in body]
    c9 = 11 - sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


# --------------------------------------------------------------------------- resident ID


def normalize_resident_id(number: str) -> str:
    """Strip whitespace, fold full-width characters, upper-case a trailing x."""
    if not isinstance(number, str):
        raise RuleInputError(f"参数 number（身份证号码）应为文本：{number!r}")
    return _clean(number)


def resident_id_check_char(first17: str) -> str:
    """GB 11643 check character ('0'–'9' or 'X') for the first 17 digits."""
    body = normalize_resident_id(first17)
    if len(body) != 17 or not body.isdigit():
        raise RuleInputError(f"参数 first17（身份证号码前17位）应为17位数字：{first17!r}")
    total = sum(int(ch) * w for ch, w in zip(body, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def _birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def resident_id_birth_date(number: str) -> date:
    """Birth date encoded in positions 7–14; RuleInputError when it is not a real date."""
    value = normalize_resident_id(number)
    if len(value) not in (17, 18) or not value[:17].isdigit():
        raise RuleInputError(f"参数 number（身份证号码）格式有误：{number!r}")
    born = _birth_date(value)
    if born is None:
        raise RuleInputError(f"参数 number（身份证号码）中的出生日期无效：{value[6:14]}")
    return born


def resident_id_gender(number: str) -> str:
    """'男' when the 17th digit (sequence code) is odd, '女' when even."""
    value = normalize_resident_id(number)
    if len(value) not in (17, 18) or not value[:17].isdigit():
        raise RuleInputError(f"参数 number（身份证号码）格式有误：{number!r}")
    return "男" if int(value[16]) % 2 == 1 else "女"


def is_valid_resident_id(number: str, *, today: date) -> bool:
    """18-character GB 11643 number: known province code, real birth date not after ``today``
    (and not before 1800), correct check character (X in either case)."""
    if not isinstance(number, str):
        return False
    value = _clean(number)
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return False
    if value[:2] not in PROVINCE_CODES:
        return False
    born = _birth_date(value)
    if born is None or born < _EARLIEST_BIRTH or born > today:
        return False
    return resident_id_check_char(value[:17]) == value[17]


def mask_resident_id(number: str) -> str:
    """Keep the first 4 and last 4 characters, '*' in between (whitespace removed first).

    A value of 8 characters or fewer is masked entirely, so nothing short leaks in full.
    """
    value = normalize_resident_id(number)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
