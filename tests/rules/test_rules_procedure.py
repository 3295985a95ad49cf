from datetime import date

import pytest

from station_app.rules import CalendarYearUnknown, RuleInputError, refdata
from station_app.rules.procedure import (
    certificate_expiry,
    check_penalty,
    document_types,
    format_document_number,
    late_payment_surcharge,
    next_serial,
    penalty_range,
    procedure_steps,
    renewal_window_opens,
    step_deadline,
    validate_number_pattern,
)

D = date


@pytest.mark.parametrize(
    ("step", "start", "expected"),
    [
        ("hearing_request", D(2025, 9, 30), D(2025, 10, 14)),  # 5 working days over National Day
        ("statement_defense", D(2025, 9, 26), D(2025, 10, 10)),  # 09-28 worked Sunday counts
        ("hearing_notice", D(2025, 3, 3), D(2025, 3, 12)),
        ("service", D(2025, 9, 30), D(2025, 10, 16)),
        (
            "evidence_preservation",
            D(2025, 4, 30),
            D(2025, 5, 14),
        ),  # 五一 2025: 05-01..05-05 off; 05-10 Sat not worked
        ("fine_payment", D(2025, 9, 20), D(2025, 10, 9)),  # 10-05 is a holiday
        ("fine_payment", D(2025, 3, 3), D(2025, 3, 18)),
        ("decision", D(2025, 7, 3), D(2025, 10, 9)),  # +90 = 10-01
        ("reconsideration", D(2025, 3, 3), D(2025, 5, 6)),  # +60 = 05-02, in the May Day holiday
        ("litigation", D(2025, 4, 30), D(2025, 10, 30)),
        ("litigation", D(2025, 4, 1), D(2025, 10, 9)),
        ("litigation", D(2025, 8, 31), D(2026, 2, 28)),  # no 31 Feb; 2026-02-28 is a worked Saturday
        ("case_filing_review", D(2025, 9, 16), D(2025, 10, 9)),
    ],
)
def test_step_deadlines(step: str, start: date, expected: date) -> None:
    assert step_deadline(step, start) == expected


def test_all_steps_of_the_brief_exist_with_basis() -> None:
    steps = {s.step: s for s in procedure_steps()}
    for name in (
        "case_filing_review",
        "statement_defense",
        "hearing_request",
        "hearing_notice",
        "decision",
        "service",
        "fine_payment",
        "reconsideration",
        "litigation",
    ):
        assert steps[name].basis
    assert (
        steps["decision"].n == 90
        and steps["reconsideration"].n == 60
        and steps["litigation"].unit == "months"
    )


def test_step_deadline_errors() -> None:
    with pytest.raises(RuleInputError, match="step"):
        step_deadline("appeal", D(2025, 1, 2))
    with pytest.raises(RuleInputError, match="start"):
        step_deadline("fine_payment", "2025-01-02")  # type: ignore[arg-type]
    with pytest.raises(CalendarYearUnknown):
        step_deadline("litigation", D(2035, 1, 10))


def test_admin_edit_of_step_takes_effect() -> None:
    edited = refdata.rows("procedure_steps")
    for row in edited:
        if row["step"] == "hearing_request":
            row["n"] = 3
    refdata.install({"procedure_steps": edited})
    assert step_deadline("hearing_request", D(2025, 9, 30)) == D(2025, 10, 11)  # worked Saturday


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        (D(2025, 1, 14), 0),
        (D(2025, 1, 15), 0),
        (D(2025, 1, 16), 300),
        (D(2025, 1, 20), 1500),
        (D(2025, 2, 17), 9900),
        (D(2025, 2, 18), 10_000),
        (D(2025, 6, 1), 10_000),
    ],
)
def test_late_payment_surcharge(paid: date, expected: int) -> None:
    assert late_payment_surcharge(10_000, D(2025, 1, 15), paid) == expected


def test_late_payment_rounding_and_errors() -> None:
    assert late_payment_surcharge(1001, D(2025, 1, 15), D(2025, 1, 16)) == 30  # 30.03
    assert late_payment_surcharge(1050, D(2025, 1, 15), D(2025, 1, 16)) == 32  # 31.5 → 32
    with pytest.raises(RuleInputError, match="fine_yuan"):
        late_payment_surcharge(-1, D(2025, 1, 15), D(2025, 1, 16))
    with pytest.raises(RuleInputError, match="due"):
        late_payment_surcharge(100, "2025-01-15", D(2025, 1, 16))  # type: ignore[arg-type]


# ---------------------------------------------------------------- certificates


@pytest.mark.parametrize(
    ("kind", "issued", "expiry"),
    [
        ("A", D(2023, 5, 10), D(2026, 5, 10)),
        ("B", D(2023, 5, 10), D(2026, 5, 10)),
        ("C2", D(2022, 1, 1), D(2025, 1, 1)),
        ("special", D(2024, 6, 30), D(2026, 6, 30)),
        ("special", D(2024, 2, 29), D(2026, 2, 28)),
        ("safety_permit", D(2024, 2, 29), D(2027, 2, 28)),
    ],
)
def test_certificate_expiry(kind: str, issued: date, expiry: date) -> None:
    assert certificate_expiry(kind, issued) == expiry


def test_renewal_window() -> None:
    assert renewal_window_opens("A", D(2026, 5, 10)) == D(2026, 2, 10)
    assert renewal_window_opens("special", D(2026, 5, 31)) == D(2026, 2, 28)
    with pytest.raises(RuleInputError, match="kind"):
        renewal_window_opens("D", D(2026, 5, 31))
    with pytest.raises(RuleInputError, match="issued"):
        certificate_expiry("A", None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- document numbers

REQUIRED_TYPES = [
    "安全隐患整改通知书",
    "局部停工整改通知书",
    "停工整改通知书",
    "复工通知书",
    "建设工程安全生产监督抽查记录",
    "安全生产约谈记录",
    "立案审批表",
    "行政处罚事先告知书",
    "行政处罚听证告知书",
    "行政处罚决定书",
    "送达回证",
    "结案审批表",
]


def test_all_document_types_have_a_pattern() -> None:
    assert set(REQUIRED_TYPES) <= set(document_types())
    numbers = {format_document_number(t, 2026, 1, station_short="东") for t in REQUIRED_TYPES}
    assert len(numbers) == len(REQUIRED_TYPES)  # distinct prefixes


def test_default_and_custom_patterns() -> None:
    assert (
        format_document_number("安全隐患整改通知书", 2026, 12, station_short="东")
        == "东建安监改〔2026〕第012号"
    )
    assert format_document_number("安全隐患整改通知书", 2026, 12) == "建安监改〔2026〕第012号"
    assert (
        format_document_number("安全隐患整改通知书", 2026, 1234, station_short="东")
        == "东建安监改〔2026〕第1234号"
    )
    custom = "{prefix}〔{year}〕{serial}号"
    assert (
        format_document_number("安全隐患整改通知书", 2026, 12, custom, station_short="东")
        == "东建安监改〔2026〕12号"
    )


def test_pattern_settings_from_data() -> None:
    edited = refdata.rows("document_number_patterns")
    for row in edited:
        if row["doc_type"] == "停工整改通知书":
            row.update(prefix="连{station_short}安停", use_di=False, serial_width=0)
    refdata.install({"document_number_patterns": edited})
    assert format_document_number("停工整改通知书", 2025, 7, station_short="东") == "连东安停〔2025〕7号"


@pytest.mark.parametrize(
    "pattern",
    [
        "{prefix}〔{year}〕号",
        "{prefix}{year}",
        "{prefix}{serial.real}",
        "{prefix}{serial!r}",
        "{prefix}{number}",
        "{prefix}{serial",
        "{year:>10}{serial}",
    ],
)
def test_invalid_patterns(pattern: str) -> None:
    with pytest.raises(RuleInputError, match="pattern"):
        validate_number_pattern(pattern)
    with pytest.raises(RuleInputError):
        format_document_number("安全隐患整改通知书", 2026, 1, pattern)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("整改单", 2026, 1), "doc_type"),
        (("复工通知书", 26, 1), "year"),
        (("复工通知书", 2026, 0), "serial"),
        (("复工通知书", 2026, True), "serial"),
    ],
)
def test_document_number_bad_input(args: tuple, needle: str) -> None:
    with pytest.raises(RuleInputError, match=needle):
        format_document_number(*args)


def test_next_serial() -> None:
    assert next_serial([]) == 1
    assert next_serial([1, 2, 5]) == 6
    with pytest.raises(RuleInputError):
        next_serial([0])


# ---------------------------------------------------------------- penalties


@pytest.mark.parametrize(
    ("code", "fine", "ok"),
    [
        ("条例64", 49_999, False),
        ("条例64", 50_000, True),
        ("条例64", 100_000, True),
        ("条例64", 100_001, False),
        ("条例65", 100_000, True),
        ("条例65", 300_000, True),
        ("条例65", 300_001, False),
        ("条例65", 99_999, False),
        ("条例62", 0, False),
        ("条例62", 1, True),
        ("条例62", 100_000, True),
        ("条例62", 100_001, False),
        ("安法114-一般", 299_999, False),
        ("安法114-一般", 300_000, True),
        ("安法114-一般", 1_000_000, True),
        ("安法114-较大", 2_000_001, False),
        ("安法114-特别重大", 20_000_000, True),
        ("安法114-一般-特别严重", 5_000_000, True),
        ("安法114-一般-特别严重", 599_999, False),
    ],
)
def test_check_penalty_fixed_ranges(code: str, fine: int, ok: bool) -> None:
    assert check_penalty(code, fine) is ok


def test_percentage_penalty() -> None:
    spec = penalty_range("条例63")
    assert spec.is_percentage and spec.percent_base == "挪用费用"
    assert check_penalty("条例63", 20_000, base_amount_yuan=100_000)
    assert check_penalty("条例63", 50_000, base_amount_yuan=100_000)
    assert not check_penalty("条例63", 19_999, base_amount_yuan=100_000)
    assert not check_penalty("条例63", 50_001, base_amount_yuan=100_000)
    with pytest.raises(RuleInputError, match="base_amount_yuan"):
        check_penalty("条例63", 20_000)


def test_penalty_range_and_errors() -> None:
    spec = penalty_range("条例64")
    assert (spec.min_yuan, spec.max_yuan) == (50_000, 100_000)
    assert "第六十四条" in spec.article
    with pytest.raises(RuleInputError, match="violation_code"):
        penalty_range("条例99")
    with pytest.raises(RuleInputError, match="fine_yuan"):
        check_penalty("条例64", -5)
