"""The penalty of a case and its money: violation → statutory range (rules.penalties), discretion
factors, the chief's approval of a fine outside the range, hearing and 集体讨论 thresholds (reference
data), payments, 加处罚款 (rules.procedure.late_payment_surcharge), 催告 and 申请强制执行.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from station_app.errors import ValidationError
from station_app.formatting import chinese_date, format_yuan
from station_app.models import PenaltyCase
from station_app.rules import refdata
from station_app.rules.errors import RuleInputError
from station_app.rules.penalties import PenaltyRange, check_penalty, penalty_range
from station_app.rules.procedure import late_payment_surcharge
from station_app.services import audit
from station_app.services.context import Actor, can, require
from station_app.services.penalties import stages as st
from station_app.services.penalties.cases import load_case, snap
from station_app.services.penalties.clocks import close_clock
from station_app.services.validation import Checker, clean

FACTORS = ("从轻", "减轻", "从重", "不予处罚")
#: measures that always carry the right to a hearing (行政处罚法 第六十三条)
HEARING_MEASURES = ("降低资质等级", "吊销许可证件", "责令停产停业", "责令停业整顿", "责令关闭", "限制从业",
                    "责令停止执业")


@dataclass(frozen=True)
class PenaltyInput:
    violation_code: str
    fine_fen: int | None
    other_measures: str = ""
    factors: tuple[str, ...] = ()
    factor_note: str = ""
    #: 合同价款 / 挪用费用 … for a percentage range, in fen
    base_amount_fen: int | None = None
    #: the chief's reason when the fine lies outside the statutory range
    approval_reason: str = ""


def range_text(spec: PenaltyRange, base_amount_fen: int | None = None) -> str:
    if spec.is_percentage:
        text = f"{spec.percent_base}的{spec.percent_min}至{spec.percent_max}倍"
        if base_amount_fen is not None and spec.percent_min is not None and spec.percent_max is not None:
            low = int(base_amount_fen * spec.percent_min)
            high = int(base_amount_fen * spec.percent_max)
            text += f"（{format_yuan(low)}～{format_yuan(high)}元）"
        return text
    low_text = f"{spec.min_yuan:,}元以上" if spec.min_yuan is not None else ""
    high_text = f"{spec.max_yuan:,}元以下" if spec.max_yuan is not None else ""
    return (low_text + high_text) or "不限"


def hearing_threshold_yuan(party_kind: str) -> int:
    key = "hearing_fine_person_min" if party_kind == "个人" else "hearing_fine_org_min"
    return int(refdata.parse_decimal(refdata.row_by_key("rule_constants", key)["value"], key))


def hearing_eligible(party_kind: str, fine_fen: int | None, other_measures: str) -> bool:
    """行政处罚法 第六十三条: 较大数额罚款 (reference data, per province) or a severe measure."""
    if any(m in other_measures for m in HEARING_MEASURES):
        return True
    return fine_fen is not None and fine_fen >= hearing_threshold_yuan(party_kind) * 100


def set_penalty(session: Session, actor: Actor, case_id: int, data: PenaltyInput,
                version: int | None = None) -> None:
    """Record the proposed penalty (before 告知). A fine outside the statutory range is refused
    unless the actor may approve (站长) and gives the reason; the approver is recorded."""
    require(actor, "case.write")
    case = load_case(session, case_id, version)
    c = Checker()
    if case.stage not in st.PENALTY_EDITABLE:
        raise ValidationError({"处罚": f"案件已进入“{case.stage}”环节，拟处罚内容不能再修改"})
    code = clean(data.violation_code)
    factors = tuple(dict.fromkeys(f for f in data.factors if f))
    spec: PenaltyRange | None = None
    try:
        spec = penalty_range(code)
    except RuleInputError:
        c.add("违法行为", "必填" if not code else f"“{code}”不是违法行为目录中的条目")
    for f in factors:
        c.one_of("裁量情节", f, FACTORS)
    if {"从轻", "从重"} <= set(factors) or ("不予处罚" in factors and len(factors) > 1):
        c.add("裁量情节", "从轻、减轻、从重与不予处罚不能同时选择")
    no_penalty = "不予处罚" in factors
    fine = data.fine_fen
    if fine is not None and fine < 0:
        c.add("罚款金额", "不能为负数")
    if fine is not None and fine % 100:
        c.add("罚款金额", "须为整元")
    if no_penalty and fine:
        c.add("罚款金额", "不予处罚的案件不能有罚款")
    if factors and set(factors) & {"从轻", "减轻", "从重", "不予处罚"} and not clean(data.factor_note):
        c.add("裁量说明", "选择了裁量情节，须说明理由和依据")
    c.max_len("其他处罚", data.other_measures, 200)
    c.check()
    assert spec is not None
    in_range = True
    if fine and not no_penalty:
        try:
            in_range = check_penalty(code, fine // 100, None if data.base_amount_fen is None
                                     else data.base_amount_fen // 100)
        except RuleInputError as err:
            raise ValidationError({"计罚基数": str(err)}) from err
    reason = clean(data.approval_reason)
    if not in_range:
        limits = range_text(spec, data.base_amount_fen)
        if not can(actor, "case.approve"):
            raise ValidationError({"罚款金额": f"{format_yuan(fine)}元超出{spec.article}规定的幅度（{limits}），"
                                              f"须由站长批准并说明理由"})
        if not reason:
            raise ValidationError({"批准理由": f"罚款超出法定幅度（{limits}），站长批准须填写理由"})
    before = snap(case)
    case.violation_code, case.proposed_fine_fen = code, fine
    case.base_amount_fen = data.base_amount_fen
    case.other_measures, case.factors = clean(data.other_measures), "、".join(factors)
    case.factor_note = clean(data.factor_note)
    case.in_range = in_range
    if in_range:
        case.range_approved_by_id, case.range_approved_by_name, case.range_approval_reason = None, "", ""
    else:
        case.range_approved_by_id, case.range_approved_by_name = actor.user_id, actor.full_name[:50]
        case.range_approval_reason = reason
    case.hearing_eligible = hearing_eligible(case.party_kind, fine, case.other_measures)
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"拟定处罚 {case.code} {spec.article} {format_yuan(fine) if fine else '无罚款'}"
                         + ("（超幅度，站长批准）" if not in_range else ""))


# ---------------------------------------------------------------------------- money


@dataclass(frozen=True)
class Money:
    fine_fen: int
    paid_fen: int
    surcharge_fen: int
    outstanding_fen: int
    payment_due: date | None
    as_of: date


def surcharge_fen(case: PenaltyCase, on: date) -> int:
    """加处罚款 up to ``on`` (fixed once the fine was paid in full), capped at the fine."""
    if case.paid_in_full_on is not None:
        return case.surcharge_fen
    fine = case.decided_fine_fen or 0
    if not fine or case.payment_due is None:
        return 0
    return late_payment_surcharge(fine // 100, case.payment_due, on) * 100


def money(case: PenaltyCase, today: date) -> Money:
    fine = case.decided_fine_fen or 0
    sur = surcharge_fen(case, today)
    return Money(fine, case.paid_fen, sur, max(0, fine + sur - case.paid_fen), case.payment_due, today)


def _execution_case(session: Session, actor: Actor, case_id: int, version: int | None) -> PenaltyCase:
    require(actor, "case.write")
    case = load_case(session, case_id, version)
    if case.stage != st.EXECUTION:
        raise ValidationError({"执行": f"案件处于“{case.stage}”环节，进入“执行”环节后才能登记缴款、催告或强制执行"})
    return case


def record_payment(session: Session, actor: Actor, case_id: int, paid_on: date | None, amount_fen: int | None,
                   version: int | None = None) -> Money:
    """A payment of the fine (and 加处罚款 once late). Full payment fixes the surcharge and stops the clock."""
    case = _execution_case(session, actor, case_id, version)
    c = Checker()
    if paid_on is None:
        c.add("缴款日期", "必填")
    c.not_future("缴款日期", paid_on)
    if not amount_fen or amount_fen <= 0:
        c.add("缴款金额", "须大于0")
    if paid_on and case.served_on and paid_on < case.served_on:
        c.add("缴款日期", f"不能早于决定书送达日期（{chinese_date(case.served_on)}）")
    c.check()
    assert paid_on is not None and amount_fen is not None
    due = money(case, paid_on)
    if amount_fen > due.outstanding_fen:
        raise ValidationError({"缴款金额": f"超过应缴金额（截至{chinese_date(paid_on)}应缴"
                                          f"{format_yuan(due.outstanding_fen)}元，其中加处罚款"
                                          f"{format_yuan(due.surcharge_fen)}元）"})
    before = snap(case)
    case.paid_fen += amount_fen
    case.last_paid_on = paid_on
    if case.paid_fen >= due.fine_fen + due.surcharge_fen:
        case.surcharge_fen, case.paid_in_full_on = due.surcharge_fen, paid_on
        close_clock(case, "fine_payment", paid_on, "罚款已缴清")
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"登记缴款 {case.code} {format_yuan(amount_fen)}元（{chinese_date(paid_on)}）")
    return money(case, paid_on)


def record_enforcement(session: Session, actor: Actor, case_id: int, kind: str, on: date | None,
                       version: int | None = None) -> None:
    """催告 (行政强制法 第五十四条) or 申请强制执行 (第五十三条) of an unpaid fine."""
    case = _execution_case(session, actor, case_id, version)
    c = Checker()
    c.one_of("执行措施", kind, ("催告", "申请强制执行"))
    if on is None:
        c.add("日期", "必填")
    c.not_future("日期", on)
    c.check()
    assert on is not None
    if case.paid_in_full_on is not None:
        raise ValidationError({"执行措施": "罚款已缴清，无需催告或申请强制执行"})
    if case.payment_due is None or on <= case.payment_due:
        raise ValidationError({"日期": f"缴款期限（{chinese_date(case.payment_due) or '未确定'}）届满后才能{kind}"})
    if kind == "申请强制执行" and case.reminded_on is None:
        raise ValidationError({"执行措施": "申请强制执行前须先催告当事人"})
    before = snap(case)
    if kind == "催告":
        case.reminded_on = on
    else:
        case.enforcement_applied_on = on
    session.flush()
    audit.record(session, actor, "update", "penalty_case", case.id, before=before, after=snap(case),
                 summary=f"{kind} {case.code}（{chinese_date(on)}）")
