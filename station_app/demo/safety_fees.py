"""Demo 安全生产费用: fee bases for most projects, payments (some first shares late), subcontract fees and
usage ledgers — ≈50,000 entries at county scale, a few percent flagged by the negative list.

Rows are what the services would write: the required amount and first share come from the rules in
force on the contract date, flags from ``rules.safety_fee_usage.match_negative_list``. The step draws
from its own ``random.Random`` seeded by the run's seed, so where it sits in ``STEPS`` changes nothing
else. Older flagged entries are mostly reviewed (复核通过 / 不予认可), newer ones wait (待复核); some
flagged entries are linked to a later inspection of the project (an inspection's fee check).
"""

from __future__ import annotations

import bisect
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from station_app.demo.context import GenContext, ProjectRec, rand_date, stamp, table_of
from station_app.models import (
    Inspection,
    SafetyFeeBasis,
    SafetyFeePayment,
    SafetyFeeSubcontract,
    SafetyFeeUsage,
)
from station_app.models.enums import PartyRole
from station_app.models.safety_fee import InspectionFeeCheck, ReviewState
from station_app.rules import fees, refdata
from station_app.rules import safety_fee_usage as fee_rules
from station_app.rules.errors import RuleInputError

#: usage entries wanted at each scale; other scales get the county rate per active project-month
TARGETS = {"county": 50_000}
NO_BASIS = 0.08
LATE_FIRST = 0.15
UNDERUSE = 0.08
NEGATIVE = 0.03
CATEGORY_WEIGHTS = {"19-1": 34, "19-2": 6, "19-3": 6, "19-4": 4, "19-5": 20, "19-6": 10, "19-7": 5, "19-8": 6,
                    "19-9": 7, "19-10": 2}
TEXTS = {
    "19-1": ("临边洞口防护栏杆", "外脚手架安全网更换", "临时用电配电箱改造", "基坑临边防护", "卸料平台防护", "防火隔离设施"),
    "19-2": ("应急救援器材采购", "防汛应急演练", "消防应急演练", "应急预案修订"),
    "19-3": ("隐患排查治理", "深基坑监测", "高支模监测", "智慧工地安全监测运维"),
    "19-4": ("安全标准化咨询", "第三方安全巡查", "安全评估"),
    "19-5": ("安全帽、安全带更新", "防护眼镜、绝缘手套", "反光背心采购", "防尘口罩"),
    "19-6": ("三级安全教育培训", "安全宣传标语", "特种作业人员培训", "隐患举报奖励"),
    "19-7": ("新型工具式防护推广", "定型化防护设施", "安全新工艺推广"),
    "19-8": ("塔吊检测", "施工升降机检测", "漏电保护器检测", "安全防护用品检验"),
    "19-9": ("安全生产责任保险保费",),
    "19-10": ("安全管理人员专项补贴", "其他安全支出"),
}
NEGATIVE_TEXTS = ("支付罚款", "购买工作服", "防暑降温绿豆汤、饮料", "事故善后赔偿", "办公电脑采购", "节日福利礼品",
                  "冬季取暖费")


def _months_between(a: date, b: date) -> int:
    return max(0, (b.year - a.year) * 12 + b.month - a.month + 1)


def _span(p: ProjectRec, today: date) -> tuple[date, date] | None:
    start = p.actual_start or p.permit_date
    if start is None or start > today:
        return None
    end = min(x for x in (p.actual_finish, p.stopped, today) if x is not None)
    return (start, max(start, end))


def _progress(p: ProjectRec, today: date) -> int:
    if p.actual_finish is not None:
        return 100
    start = p.actual_start or p.permit_date or p.planned_start
    span = (p.planned_finish - start).days
    return 0 if span <= 0 else max(0, min(100, (today - start).days * 100 // span))


def make_safety_fees(ctx: GenContext) -> None:
    rng = random.Random(f"safety_fees:{ctx.seed}")
    today = ctx.today
    ctx.progress("安全生产费用：费用基数、支付和使用台账……")
    clerks = ctx.users.get("内勤") or ctx.users.get("管理员") or []
    clerk = clerks[0] if clerks else None
    reviewers = ctx.users.get("监督员") or ctx.users.get("站长") or []
    share = fee_rules.first_payment_share()
    spans = {p.id: _span(p, today) for p in ctx.projects}
    active_months = sum(_months_between(*s) for s in spans.values() if s)
    target = TARGETS.get(ctx.scale.name)
    # projects without a basis (NO_BASIS) have no ledger: the others make up for them
    rate = (target / active_months / (1 - NO_BASIS)) if target and active_months else 50_000 / 60_000
    cats = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    labels = {c.key for c in fee_rules.usage_categories()}
    cats, weights = [c for c in cats if c in labels], [w for c, w in zip(cats, weights, strict=True) if c in labels]
    inspections: dict[int, list[tuple[datetime, int]]] = {}
    for iid, pid, at in ctx.session.execute(select(Inspection.id, Inspection.project_id, Inspection.inspected_at)):
        inspections.setdefault(pid, []).append((at, iid))
    for v in inspections.values():
        v.sort()

    bases: list[dict[str, Any]] = []
    subs: list[dict[str, Any]] = []
    pays: list[dict[str, Any]] = []
    uses: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    next_sub, next_pay, next_use = 1, 1, 1
    for p in ctx.projects:
        if p.cost_fen <= 0 or rng.random() < NO_BASIS:
            continue
        contract = p.registered - timedelta(days=rng.randint(15, 120))
        try:
            rule = fees.safety_fee_rule(p.project_type, contract)
        except RuleInputError:
            continue
        required = int(fees.safety_fee_amount(Decimal(p.cost_fen) / 100, p.project_type, contract) * 100)
        first_due = fee_rules.first_payment_required(required, share)
        rate_key = next((r["key"] for r in refdata.rows_in_force("safety_fee_rates", contract)
                         if r["project_type"] == p.project_type and r["regulation"] == rule.regulation), "")
        created = stamp(rng, p.registered)
        bases.append({"id": len(bases) + 1, "project_id": p.id, "cost_fen": p.cost_fen, "contract_date": contract,
                      "fee_project_type": p.project_type, "rate": rule.rate, "rule_key": rate_key,
                      "regulation": rule.regulation, "required_fen": required, "first_share": share,
                      "first_due_fen": first_due, "start_date": None, "note": "", "created_by": clerk,
                      "created_at": created, "updated_at": created, "version": 1})
        span = spans[p.id]
        if span is None:
            continue
        start, end = span
        due = fee_rules.first_payment_due(start)
        late = rng.random() < LATE_FIRST
        paid = 0

        def pay(day: date, amount: int, sub_id: int | None = None, pid: int = p.id) -> None:
            nonlocal next_pay
            at = stamp(rng, day)
            pays.append({"id": next_pay, "project_id": pid, "subcontract_id": sub_id, "paid_on": day,
                         "amount_fen": amount, "voucher_no": f"付{day:%Y%m}-{next_pay:05d}", "note": "",
                         "blob_id": None, "file_name": "", "created_by": clerk, "created_at": at, "updated_at": at,
                         "version": 1})
            next_pay += 1

        if late:  # a small part in time (or nothing), the first share only later
            if rng.random() < 0.5 and due > start:
                part = required * rng.randint(10, 35) // 100
                pay(rand_date(rng, start, min(due, today)), part)
                paid += part
            day = due + timedelta(days=rng.randint(10, 120))
        else:
            day = rand_date(rng, start, min(due, today))
        if day <= today:
            amount = max(first_due - paid, required * rng.randint(50, 60) // 100 - paid)
            pay(day, amount)
            paid += amount
            while paid < required:
                day = day + timedelta(days=rng.randint(60, 200))
                if day > end or day > today:
                    break
                amount = min(required - paid, required * rng.randint(10, 25) // 100)
                pay(day, amount)
                paid += amount
        for eid in p.parties.get(PartyRole.SUBCONTRACTOR.value, [])[:3]:
            sub_start = start + timedelta(days=rng.randint(20, 300))
            if sub_start > today:
                continue
            fee = required * rng.randint(4, 12) // 100
            sub_first = fee_rules.first_payment_required(fee, share)
            at = stamp(rng, sub_start)
            subs.append({"id": next_sub, "project_id": p.id, "enterprise_id": eid, "scope": "", "fee_fen": fee,
                         "first_share": share, "first_due_fen": sub_first, "start_date": sub_start, "note": "",
                         "created_at": at, "updated_at": at, "version": 1})
            sub_due = fee_rules.first_payment_due(sub_start)
            day = sub_due + timedelta(days=rng.randint(5, 60)) if rng.random() < LATE_FIRST \
                else rand_date(rng, sub_start, min(sub_due, today))
            if day <= today:
                pay(day, sub_first, next_sub)
            next_sub += 1
        # the ledger: entries month by month, in total about what progress calls for
        n = max(1, round(_months_between(start, end) * rate * rng.uniform(0.6, 1.4)))
        factor = rng.uniform(0.15, 0.4) if rng.random() < UNDERUSE else rng.uniform(0.7, 1.15)
        total = int(required * _progress(p, today) / 100 * factor)
        if total < n * 100:
            continue
        cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
        amounts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        for amount in amounts:
            day = rand_date(rng, start, end)
            cat = rng.choices(cats, weights)[0]
            text = rng.choice(NEGATIVE_TEXTS) if rng.random() < NEGATIVE else rng.choice(TEXTS.get(cat, ("安全支出",)))
            voucher = f"记{day:%Y%m}-{next_use % 1000:03d}"
            match = fee_rules.match_negative_list(cat, text, voucher)
            state, comment, by, by_name, at_review = ReviewState.NONE.value, "", None, "", None
            if match is not None:
                state = ReviewState.PENDING.value
                if (today - day).days > 60 and reviewers and rng.random() < 0.6:
                    rejected = rng.random() < 0.3
                    state = ReviewState.REJECTED.value if rejected else ReviewState.ACCEPTED.value
                    comment = "不属于安全生产费用使用范围，不予认可" if rejected else "经核对凭证，属安全生产直接相关支出"
                    by = rng.choice(reviewers)
                    by_name, at_review = "", stamp(rng, min(today, day + timedelta(days=rng.randint(10, 60))))
                    nearby = inspections.get(p.id, [])
                    i = bisect.bisect_left(nearby, (datetime.combine(day, datetime.min.time()), 0))
                    if i < len(nearby) and rng.random() < 0.5:
                        checks.append({"inspection_id": nearby[i][1], "usage_id": next_use, "remark": "核查凭证",
                                       "created_by": by, "created_at": nearby[i][0]})
            at = stamp(rng, min(today, day + timedelta(days=rng.randint(0, 20))))
            uses.append({"id": next_use, "project_id": p.id, "used_on": day, "category": cat, "amount_fen": max(1, amount),
                         "voucher_no": voucher, "description": text, "blob_id": None, "file_name": "",
                         "flagged": match is not None, "flag_reason": match.reason[:300] if match else "",
                         "review_state": state, "review_comment": comment, "reviewed_by": by,
                         "reviewed_by_name": by_name, "reviewed_at": at_review, "created_by": clerk,
                         "created_at": at, "updated_at": at_review or at, "version": 1})
            next_use += 1
    names = _reviewer_names(ctx, {u["reviewed_by"] for u in uses if u["reviewed_by"]})
    for u in uses:
        if u["reviewed_by"]:
            u["reviewed_by_name"] = names.get(u["reviewed_by"], "")
    for i, c in enumerate(checks, 1):
        c["id"] = i
    ctx.insert(table_of(SafetyFeeBasis), bases)
    ctx.insert(table_of(SafetyFeeSubcontract), subs)
    ctx.insert(table_of(SafetyFeePayment), pays)
    ctx.insert(table_of(SafetyFeeUsage), uses)
    ctx.insert(table_of(InspectionFeeCheck), checks)
    ctx.counts["安全生产费用基数"] = len(bases)
    ctx.counts["安全生产费用支付"] = len(pays)
    ctx.counts["安全生产费用使用台账"] = len(uses)
    ctx.counts["标记待复核的支出"] = sum(1 for u in uses if u["flagged"])


def _reviewer_names(ctx: GenContext, ids: set[int]) -> dict[int, str]:
    from station_app.models import User

    if not ids:
        return {}
    return dict(ctx.session.execute(select(User.id, User.full_name).where(User.id.in_(ids))).all())
