"""安责险 demo data: policies for most started projects, with a realistic share of trouble.

Per started project (实际开工 set): ~7% never insured; otherwise one policy 至竣工验收备案 (55%) or a
chain of annual policies (45%) — renewals now and then late (a gap of days to weeks) or missing (the
cover runs out; some end within the warning days). ~6% insured a few weeks after the start. Limits:
30万 under the 2017 rule, 40–60万 after 2025-03-29, with ~12% still at 30万 after it (flagged, reason
typed) and a few at 20万 under the old rule. ~4% insured by a party other than the 施工总承包, ~3% of
policies surrendered or cancelled early. Insurer prevention visits for about half of the policies,
claims for a few. Own random stream (``insurance-<seed>``): the other steps' numbers do not move.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from station_app.demo.context import GenContext, rand_date, stamp, table_of
from station_app.models import (
    Enterprise,
    InsuranceClaim,
    InsurancePolicy,
    InsuranceVisit,
    Project,
    ProjectParty,
)
from station_app.models.enums import PartyRole
from station_app.services.insurance.sql import minimum_on
from station_app.services.search import build_search_key

INSURERS = (("中国人民财产保险股份有限公司", "东海支公司", "PICC"), ("中国太平洋财产保险股份有限公司", "连云港中心支公司", "CPIC"),
            ("中国平安财产保险股份有限公司", "连云港中心支公司", "PAIC"), ("中国人寿财产保险股份有限公司", "东海县支公司", "CLPC"),
            ("中国大地财产保险股份有限公司", "连云港中心支公司", "CCIC"), ("中华联合财产保险股份有限公司", "东海支公司", "CICP"))
VISIT_TOPICS = (("临边洞口防护专项服务", "部分楼层临边防护栏杆缺失，已书面提醒"), ("脚手架安全检查服务", "连墙件设置不足"),
                ("施工用电检查服务", "开关箱未做到一机一闸一漏"), ("安全教育培训", ""), ("节后复工安全检查", "未发现明显问题"),
                ("起重机械安全服务", "塔吊限位装置需调试"), ("汛期安全检查服务", "基坑排水措施不足"))
CLAIMS = ("作业人员高处坠落受伤", "钢管坠落砸伤作业人员", "手持电动工具伤手", "物料提升机挤伤", "第三者车辆被坠物砸损")
OLD_RULE_END = date(2025, 3, 29)


def _year_end(start: date) -> date:
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 Feb
        return start.replace(year=start.year + 1, day=28) - timedelta(days=1)


def _limit(rng: random.Random, start: date) -> tuple[int, str]:
    if start < OLD_RULE_END:
        if rng.random() < 0.03:
            return 200_000_00, "保险公司按地方旧标准出单，已督促批改"
        return rng.choice((300_000_00, 300_000_00, 400_000_00, 500_000_00)), ""
    if rng.random() < 0.12:
        return 300_000_00, "续保沿用旧条款限额，已要求保险公司出具批单"
    return rng.choice((400_000_00, 400_000_00, 500_000_00, 600_000_00)), ""


def make_insurance(ctx: GenContext) -> None:
    rng = random.Random(f"insurance-{ctx.seed}")
    s = ctx.session
    gc_of: dict[int, int] = {}
    others: dict[int, list[int]] = {}
    for pid, role, eid in s.execute(select(ProjectParty.project_id, ProjectParty.role, ProjectParty.enterprise_id)
                                    .order_by(ProjectParty.id)):
        if role == PartyRole.GENERAL_CONTRACTOR:
            gc_of.setdefault(pid, eid)
        elif role == PartyRole.SUBCONTRACTOR:
            others.setdefault(pid, []).append(eid)
    names = {eid: (name, uscc) for eid, name, uscc in s.execute(select(Enterprise.id, Enterprise.name, Enterprise.uscc))}
    contractors = sorted(set(gc_of.values()))
    projects = s.execute(select(Project.id, Project.name, Project.actual_start, Project.completion_filing_date,
                                Project.actual_finish, Project.contract_cost_fen)
                         .where(Project.actual_start.is_not(None)).order_by(Project.id)).all()
    policies: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    claims: list[dict[str, Any]] = []
    pol_id = ctx.next_id(table_of(InsurancePolicy))
    visit_id = ctx.next_id(table_of(InsuranceVisit))
    claim_id = ctx.next_id(table_of(InsuranceClaim))
    numbers: set[str] = set()
    for pid, pname, start, filing, finish, cost in projects:
        if rng.random() < 0.07 or (pid not in gc_of and not others.get(pid)):
            continue
        assert start is not None
        insured = gc_of.get(pid) or others[pid][0]
        if rng.random() < 0.04:
            pool = others.get(pid) or contractors
            insured = rng.choice(pool)
        insurer, branch, code = rng.choice(INSURERS)
        first: date = start + timedelta(days=rng.randint(3, 45)) if rng.random() < 0.06 else start
        horizon = filing or min(ctx.today, (finish or ctx.today) + timedelta(days=60))
        annual = rng.random() < 0.45
        day = first
        chain: list[tuple[date, date | None]] = []
        while True:
            if not annual:
                chain.append((day, None))
                break
            end = _year_end(day)
            chain.append((day, end))
            if end >= horizon or end >= ctx.today:
                break
            roll = rng.random()
            if roll < 0.06:
                break  # not renewed: the cover runs out
            day = end + timedelta(days=1 + (rng.randint(1, 60) if roll < 0.20 else 0))
            if day > ctx.today:
                break
        base = cost or 0
        for i, (p_start, p_end) in enumerate(chain):
            if p_start > ctx.today:
                break
            limit, reason = _limit(rng, p_start)
            minimum, rule = minimum_on(p_start)
            if minimum is None or limit >= minimum:
                reason = ""
            rate = rng.choice((8, 10, 12, 15, 18, 20))  # 0.8‰ … 2.0‰, in tenths of a per mille
            premium = base * rate // 10_000 if base else None
            status, status_date, status_reason = "有效", None, ""
            last_day = p_end or filing or ctx.today
            if i == len(chain) - 1 and rng.random() < 0.04 and (last_day - p_start).days > 60:
                status = "退保" if rng.random() < 0.75 else "注销"
                status_date = rand_date(rng, p_start + timedelta(days=30), min(last_day, ctx.today))
                status_reason = "项目停工，施工单位申请退保" if status == "退保" else "投保信息错误，保险公司注销"
            while True:
                no = f"{code}{p_start.year}3207{rng.randint(0, 99_999_999):08d}"
                if no not in numbers:
                    numbers.add(no)
                    break
            named = rng.random() < 0.15
            when = stamp(rng, min(p_start, ctx.today))
            iname, iuscc = names[insured]
            policies.append({
                "id": pol_id, "project_id": pid, "insured_id": insured, "insurer": insurer, "insurer_branch": branch,
                "policy_no": no, "start_date": p_start, "end_date": p_end, "until_completion": p_end is None,
                "premium_fen": premium, "premium_base_fen": base or None,
                "rate_permille": None if not base else _permille(rate), "death_limit_fen": limit,
                "medical_limit_fen": limit // 10, "third_party_limit_fen": limit * 2,
                "aggregate_limit_fen": limit * 20, "headcount_mode": "记名" if named else "不记名不计人数",
                "headcount": rng.randint(40, 400) if named else None, "status": status, "status_date": status_date,
                "status_reason": status_reason, "min_limit_fen": minimum, "min_limit_rule": rule,
                "below_minimum_reason": reason, "replaced_by_id": None, "note": "",
                "search_key": build_search_key(pname, iname, insurer, branch, extra=(no, iuscc)),
                "created_by": None, "created_at": when, "updated_at": when, "version": 1})
            cover_to = min(status_date or last_day, last_day, ctx.today)
            if rng.random() < 0.5 and cover_to > p_start:
                for _ in range(rng.randint(1, 4)):
                    topic, found = rng.choice(VISIT_TOPICS)
                    v_day = rand_date(rng, p_start, cover_to)
                    visits.append({"id": visit_id, "policy_id": pol_id, "project_id": pid, "visit_date": v_day,
                                   "staff": f"{insurer[2:4]}风控 {rng.choice('王李张刘陈杨赵黄周吴')}工", "content": topic,
                                   "findings": found, "created_by": None, "created_at": stamp(rng, v_day),
                                   "updated_at": stamp(rng, v_day)})
                    visit_id += 1
            if rng.random() < 0.03 and cover_to > p_start:
                a_day = rand_date(rng, p_start, cover_to)
                claimed = rng.randint(5_000, 300_000) * 100
                done = (ctx.today - a_day).days > 90 and rng.random() < 0.7
                claims.append({"id": claim_id, "policy_id": pol_id, "accident_date": a_day, "accident_id": None,
                               "description": rng.choice(CLAIMS), "claimed_fen": claimed,
                               "paid_fen": claimed * rng.randint(60, 100) // 100 if done else None,
                               "paid_on": a_day + timedelta(days=rng.randint(30, 90)) if done else None,
                               "status": "已赔付" if done else rng.choice(("已报案", "理赔中")), "created_by": None,
                               "created_at": stamp(rng, a_day), "updated_at": stamp(rng, a_day)})
                claim_id += 1
            pol_id += 1
    ctx.insert(table_of(InsurancePolicy), policies)
    ctx.insert(table_of(InsuranceVisit), visits)
    ctx.insert(table_of(InsuranceClaim), claims)
    ctx.counts["安责险保单"] = len(policies)
    ctx.counts["保险事故预防服务"] = len(visits)
    ctx.counts["保险理赔"] = len(claims)
    ctx.progress(f"安责险：保单 {len(policies)} 份，事故预防服务 {len(visits)} 次，理赔 {len(claims)} 件")


def _permille(tenths: int) -> Any:
    from decimal import Decimal

    return Decimal(tenths) / 10
