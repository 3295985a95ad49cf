"""安责险 policies, visits, claims and files: validation, replacement, audit, locking — SQLite and PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.errors import DuplicateRecord, NotFound, PermissionDenied, StaleRecord, ValidationError
from station_app.models import AuditEntry, InsuranceAttachment, InsurancePolicy
from station_app.services.attachments import AttachmentStore
from station_app.services.inspections.records import create_inspection
from station_app.services.insurance.policies import (
    OverlappingPolicy,
    create_policy,
    get_policy,
    update_policy,
)
from station_app.services.insurance.records import (
    ClaimData,
    VisitData,
    attach_policy_files,
    delete_claim,
    delete_visit,
    list_claims,
    list_policy_files,
    list_visits,
    project_insurance,
    project_timeline,
    save_claim,
    save_visit,
)
from tests.conftest import Station
from tests.services.inspections.inspection_fixtures import form, make_site
from tests.services.insurance.insurance_fixtures import (
    WAN,
    InsSite,
    add_policy,
    add_project,
    make_ins_site,
    policy,
)

START = date(2025, 6, 1)


@pytest.fixture
def site(station: Station) -> InsSite:
    return make_ins_site(station)


def count(site: InsSite, model: type = InsurancePolicy) -> int:
    with site.station.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def audit_summaries(site: InsSite) -> list[str]:
    with site.station.db.read() as s:
        return list(s.scalars(select(AuditEntry.summary).where(AuditEntry.entity_type.like("insurance%"))
                              .order_by(AuditEntry.id)))


def test_create_and_read_back(site: InsSite) -> None:
    pid = add_project(site, "安置房一期", start=START)
    saved = add_policy(site, pid, START, None, premium_fen=96_000 * 100)
    with site.station.db.read() as s:
        got = get_policy(s, saved.id or 0)
        p = s.get(InsurancePolicy, saved.id)
        assert p is not None and "azfyq" in p.search_key and saved.policy_no.lower() in p.search_key
    assert got.project_name == "安置房一期" and got.insured_name == "江苏东海建工集团有限公司"
    assert got.until_completion and got.effective_end is None and got.end_text == "至竣工验收备案"
    assert got.rate_permille == Decimal("1.2000")  # 96,000 / 80,000,000 = 1.2‰, computed when not typed
    assert (got.min_limit_fen, got.min_limit_rule, got.below_minimum) == (40 * WAN, "应急〔2025〕27号", False)
    assert audit_summaries(site) == [f"登记安责险保单 {saved.policy_no}（安置房一期）"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"premium_fen": -1}, "保费"),
    ({"medical_limit_fen": "五万"}, "每人医疗限额"),
    ({"aggregate_limit_fen": 1.5}, "累计限额"),
    ({"until_completion": False, "end_date": date(2025, 5, 31)}, "保险止期"),
    ({"until_completion": False, "end_date": None}, "保险止期"),
    ({"insurer": "  "}, "保险机构"),
    ({"policy_no": ""}, "保单号"),
    ({"headcount_mode": "记名"}, "投保人数"),
    ({"headcount_mode": "按人头"}, "计人方式"),
    ({"status": "失效"}, "保单状态"),
    ({"status": "退保"}, "退保/注销日期"),
    ({"rate_permille": Decimal("-1")}, "费率（‰）"),
    ({"insured_id": 9999}, "投保单位"),
    ({"death_limit_fen": None}, "每人死亡伤残限额"),
])
def test_bad_input_names_the_field_and_saves_nothing(site: InsSite, changes: dict[str, object], field: str) -> None:
    pid = add_project(site, "坏输入项目", start=START)
    data = replace(policy(site, pid, START, None), **changes)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err, site.station.db.write() as s:
        create_policy(s, site.station.clerk, data)
    assert field in err.value.errors, err.value.errors
    assert count(site) == 0 and audit_summaries(site) == []


def test_limit_below_minimum_needs_a_reason_then_is_flagged(site: InsSite) -> None:
    pid = add_project(site, "低限额项目", start=date(2024, 1, 1))
    with pytest.raises(ValidationError) as err, site.station.db.write() as s:
        create_policy(s, site.station.clerk, policy(site, pid, START, date(2026, 5, 31), death_limit_fen=30 * WAN))
    assert "40万元最低限额" in err.value.errors["每人死亡伤残限额"]
    assert count(site) == 0
    saved = add_policy(site, pid, START, date(2026, 5, 31), death_limit_fen=30 * WAN,
                       below_minimum_reason="保险公司按旧条款出单")
    assert saved.below_minimum and saved.below_minimum_reason == "保险公司按旧条款出单"
    # the same limit under the 2017 rule (start before 2025-03-29) is fine and keeps no reason
    older = add_policy(site, pid, date(2024, 1, 1), date(2025, 3, 31), death_limit_fen=30 * WAN,
                       below_minimum_reason="不需要")
    assert (older.min_limit_fen, older.min_limit_rule, older.below_minimum) == (30 * WAN, "安监总办〔2017〕140号", False)
    assert older.below_minimum_reason == ""


def test_overlap_asks_then_replaces_the_older_policy(site: InsSite) -> None:
    pid = add_project(site, "续保项目", start=START)
    old = add_policy(site, pid, START, None)
    new = policy(site, pid, date(2026, 3, 1), date(2027, 2, 28), insurer="中国太平洋财产保险股份有限公司")
    with pytest.raises(OverlappingPolicy) as err, site.station.db.write() as s:
        create_policy(s, site.station.clerk, new)
    assert [b.policy_no for b in err.value.overlaps] == [old.policy_no]
    assert "保险期间" in str(err.value) and f"{old.policy_no}（2025年6月1日 至" in str(err.value) and count(site) == 1
    with site.station.db.write() as s:
        saved = create_policy(s, site.station.clerk, new, replace=True)
    with site.station.db.read() as s:
        before = get_policy(s, old.id or 0)
    assert (before.end_date, before.until_completion, before.replaced_by_id) == (date(2026, 2, 28), False, saved.id)
    assert count(site) == 2
    assert any("由新保单" in x and x.endswith("止期改为 2026年2月28日") for x in audit_summaries(site))
    assert before.end_text == "2026年2月28日"
    # another insured party may hold its own policy over the same days
    add_policy(site, pid, date(2026, 3, 1), date(2026, 12, 31), insured_id=site.other)
    # a "replacement" starting on or before the old start is refused and nothing is kept
    clash = policy(site, pid, START, date(2025, 12, 31))
    with pytest.raises(ValidationError) as verr, site.station.db.write() as s:
        create_policy(s, site.station.clerk, clash, replace=True)
    assert verr.value.errors["保险起期"].startswith(f"被替换的保单 {old.policy_no} 起期（2025年6月1日）不早于")
    assert count(site) == 3


def test_duplicate_number_stale_and_permission(site: InsSite) -> None:
    pid = add_project(site, "锁定项目", start=START)
    saved = add_policy(site, pid, START, date(2026, 5, 31), policy_no="PDEF-1")
    dup = policy(site, pid, date(2026, 6, 1), date(2027, 5, 31), policy_no="PDEF-1")
    with pytest.raises(DuplicateRecord), site.station.db.write() as s:
        create_policy(s, site.station.clerk, dup)
    with site.station.db.write() as s:
        update_policy(s, site.station.clerk, replace(saved, insurer_branch="连云港分公司"))
    with pytest.raises(StaleRecord), site.station.db.write() as s:
        update_policy(s, site.station.clerk, replace(saved, note="过期的表单"))
    with pytest.raises(PermissionDenied), site.station.db.write() as s:
        create_policy(s, site.station.readonly, policy(site, pid, date(2026, 6, 1), date(2027, 5, 31)))


def test_visits_claims_and_summary(site: InsSite) -> None:
    pid = add_project(site, "理赔项目", start=START)
    p = add_policy(site, pid, START, None)
    assert p.id
    with pytest.raises(ValidationError) as err, site.station.db.write() as s:
        save_claim(s, site.station.clerk, ClaimData(p.id, date(2025, 5, 1), "", -5))
    assert {"出险日期", "事故经过", "索赔金额"} <= set(err.value.errors)
    assert err.value.errors["出险日期"] == "早于保险起期（2025年6月1日）"
    with pytest.raises(ValidationError) as err, site.station.db.write() as s:
        save_claim(s, site.station.clerk, ClaimData(p.id, date(2025, 9, 1), "高处坠落", 50 * WAN, status="已赔付"))
    assert {"赔付金额", "赔付日期"} <= set(err.value.errors)
    with site.station.db.write() as s:
        claim = save_claim(s, site.station.clerk, ClaimData(p.id, date(2025, 9, 1), "钢筋工高处坠落受伤", 50 * WAN,
                                                            paid_fen=42 * WAN, paid_on=date(2025, 11, 1),
                                                            status="已赔付"))
        save_visit(s, site.station.clerk, VisitData(p.id, date(2025, 7, 3), "人保财险 王工", "临边防护专项检查",
                                                   "3处临边防护缺失，已书面告知"))
    with pytest.raises(ValidationError) as err, site.station.db.write() as s:
        save_visit(s, site.station.clerk, VisitData(p.id, None, ""))
    assert {"服务日期", "保险机构人员", "服务内容"} <= set(err.value.errors)
    with site.station.db.read() as s:
        assert [c.paid_fen for c in list_claims(s, p.id)] == [42 * WAN] and claim.id
        summary = project_insurance(s, pid, date(2026, 1, 1))
        before_cover = project_insurance(s, pid, date(2025, 5, 31))
    assert before_cover.uncovered and before_cover.headline == "2025年5月31日 无有效保单（已登记 1 份）"
    assert summary.in_force is not None and summary.in_force.policy_no == p.policy_no
    assert summary.headline == f"在保：{p.insurer} {p.policy_no}，2025年6月1日 至 至竣工验收备案"


def test_visits_and_claims_are_edited_under_their_own_policy_with_audit_rows(site: InsSite) -> None:
    pid = add_project(site, "服务记录项目", start=START)
    p = add_policy(site, pid, START, None)
    other = add_policy(site, add_project(site, "另一项目", start=START), START, None)
    assert p.id and other.id
    clerk = site.station.clerk
    with site.station.db.write() as s:
        visit = save_visit(s, clerk, VisitData(p.id, date(2025, 7, 3), "人保财险 王工", "临边防护专项检查"))
        claim = save_claim(s, clerk, ClaimData(p.id, date(2025, 9, 1), "钢筋工高处坠落受伤", 50 * WAN))
    assert visit.id and claim.id
    with site.station.db.write() as s:
        save_visit(s, clerk, replace(visit, staff="  人保财险 李工 ", findings="连墙件缺失"))
        save_claim(s, clerk, replace(claim, status="已赔付", paid_fen=42 * WAN, paid_on=date(2025, 11, 1)))
    for bad, words in ((replace(visit, policy_id=other.id), "服务记录不存在"), (replace(visit, id=999_999), "服务记录不存在"),
                       (replace(claim, policy_id=other.id), "理赔记录不存在")):
        with pytest.raises(NotFound, match=words), site.station.db.write() as s:
            (save_visit if isinstance(bad, VisitData) else save_claim)(s, clerk, bad)  # type: ignore[operator]
    with site.station.db.read() as s:
        (v,) = list_visits(s, p.id)
        (c,) = list_claims(s, p.id)
        rows = list(s.execute(select(AuditEntry.action, AuditEntry.entity_type, AuditEntry.entity_id,
                                     AuditEntry.summary, AuditEntry.after_json)
                              .where(AuditEntry.entity_type.in_(("insurance_visit", "insurance_claim")))
                              .order_by(AuditEntry.id)))
    assert (v.staff, v.findings, v.content) == ("人保财险 李工", "连墙件缺失", "临边防护专项检查")
    assert (c.status, c.paid_fen, c.paid_on) == ("已赔付", 42 * WAN, date(2025, 11, 1))
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("create", "insurance_visit", visit.id, f"登记保单 {p.policy_no} 事故预防服务（2025年7月3日）"),
        ("create", "insurance_claim", claim.id, f"登记保单 {p.policy_no} 出险理赔（2025年9月1日）"),
        ("update", "insurance_visit", visit.id, f"修改保单 {p.policy_no} 事故预防服务"),
        ("update", "insurance_claim", claim.id, f"修改保单 {p.policy_no} 理赔记录")]
    assert json.loads(rows[2][4]) == {"staff": "人保财险 李工", "findings": "连墙件缺失"}  # only what changed
    assert set(json.loads(rows[1][4])) == {"accident_date", "accident_id", "description", "claimed_fen", "paid_fen",
                                           "paid_on", "status"}
    # deleting: the writer's right, the record must exist, and the audit row keeps what was deleted
    for remove, record_id in ((delete_visit, visit.id), (delete_claim, claim.id)):
        with pytest.raises(PermissionDenied), site.station.db.write() as s:
            remove(s, site.station.readonly, record_id)
        with site.station.db.write() as s:
            remove(s, clerk, record_id)
    for remove, words in ((delete_visit, "服务记录不存在"), (delete_claim, "理赔记录不存在")):
        with pytest.raises(NotFound, match=words), site.station.db.write() as s:
            remove(s, clerk, visit.id)
    with site.station.db.read() as s:
        assert list_visits(s, p.id) == [] and list_claims(s, p.id) == []
        deleted = list(s.execute(select(AuditEntry.entity_id, AuditEntry.summary, AuditEntry.before_json)
                                 .where(AuditEntry.action == "delete").order_by(AuditEntry.id)))
    assert [(r[0], r[1]) for r in deleted] == [(visit.id, "删除事故预防服务记录"), (claim.id, "删除理赔记录")]
    assert json.loads(deleted[0][2]) == {"policy_id": p.id, "visit_date": "2025-07-03", "staff": "人保财险 李工",
                                         "content": "临边防护专项检查"}
    assert json.loads(deleted[1][2]) == {"policy_id": p.id, "accident_date": "2025-09-01", "claimed_fen": 50 * WAN,
                                         "paid_fen": 42 * WAN, "status": "已赔付"}


def test_timeline_merges_insurer_visits_with_inspections(station: Station) -> None:
    site = make_site(station)
    with station.db.write() as s:
        create_inspection(s, station.supervisor, form(site))
        p = create_policy(s, station.clerk, replace(
            policy(make_ins_site_like(site), site.project, date(2025, 3, 1), None)))
        assert p.id
        save_visit(s, station.clerk, VisitData(p.id, date(2026, 3, 12), "人保财险 李工", "脚手架专项服务", "连墙件缺失"))
        save_visit(s, station.clerk, VisitData(p.id, date(2026, 2, 1), "人保财险 李工", "节后复工服务", ""))
    with station.db.read() as s:
        line = project_timeline(s, site.project)
    assert [(e.day, e.source) for e in line] == [(date(2026, 3, 12), "保险机构服务"), (date(2026, 3, 10), "监督检查"),
                                                 (date(2026, 2, 1), "保险机构服务")]


def make_ins_site_like(site: object) -> InsSite:
    """An InsSite view of the inspection fixtures' site: its 施工总承包 is enterprise 1."""
    from tests.services.inspections.inspection_fixtures import Site

    assert isinstance(site, Site)
    return InsSite(site.station, site.grid_a, 1, 2, 2)


def test_files_are_content_addressed_and_linked_once(site: InsSite, tmp_path: Path) -> None:
    pid = add_project(site, "附件项目", start=START)
    p = add_policy(site, pid, START, None)
    assert p.id
    scan = tmp_path / "保单扫描件.pdf"
    scan.write_bytes(b"%PDF-1.4 policy scan")
    store = AttachmentStore(tmp_path / "attachments")
    with site.station.db.write() as s:
        attach_policy_files(s, site.station.clerk, store, p.id, [scan])
        files = attach_policy_files(s, site.station.clerk, store, p.id, [scan])
    assert len(files) == 1 and store.exists(files[0].sha256) and files[0].file_name == "保单扫描件.pdf"
    with pytest.raises(ValidationError) as err, site.station.db.write() as s:
        attach_policy_files(s, site.station.clerk, store, p.id, [tmp_path / "missing.pdf"])
    assert "附件" in err.value.errors
    with site.station.db.read() as s:
        assert len(list_policy_files(s, p.id)) == 1
    assert count(site, InsuranceAttachment) == 1
