"""The inspection log through the services, on SQLite and PostgreSQL: rules a save enforces, findings,
presence, check items, the JGJ 59 sheet, permissions and audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from station_app import clock
from station_app.errors import PermissionDenied, StaleRecord, ValidationError
from station_app.models import Inspection, InspectionFinding, Jgj59Sheet
from station_app.rules import jgj59
from station_app.services import audit, auth
from station_app.services.inspections.campaigns import CampaignData, check_item_catalog, save_campaign
from station_app.services.inspections.forms import (
    CheckItemData,
    FindingData,
    PresenceData,
    eligible_inspectors,
    expected_presence,
)
from station_app.services.inspections.jgj59 import Jgj59EntryData, recompute_sheet
from station_app.services.inspections.records import (
    create_inspection,
    delete_inspection,
    get_inspection,
    update_inspection,
)
from tests.conftest import PASSWORD, Station
from tests.services.inspections.inspection_fixtures import WHEN, Site, form, make_site


@pytest.fixture
def site(station: Station) -> Site:
    return make_site(station)


def _count(station: Station, model: type) -> int:
    with station.db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_create_and_read_back(site: Site) -> None:
    st = site.station
    data = form(site, check_items=(CheckItemData("JGJ59", code="B.1-1"),
                                   CheckItemData("自定", label="工人宿舍用电", result="不符合")),
                findings=(FindingData("2号楼东侧临边防护缺失", category="高处作业", location="2号楼5层"),))
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, data)
    assert saved.id and saved.version == 1
    with st.db.read() as s:
        got = get_inspection(s, saved.id)
    assert got.project_name == "东海新区安置房一期" and got.grid_id == site.grid_a and got.grid_name == "城区网格"
    assert got.inspector_names == ("张监督", "赵监督")
    assert got.site_parts == ("主体结构", "脚手架")
    assert got.check_items[0].label == "B.1 安全生产责任制"  # filled from the JGJ 59 catalog
    f = got.findings[0]
    assert f.id and f.level == "一般" and f.deadline == date(2026, 3, 17)  # default period from the rules
    with st.db.read() as s:
        row = s.get(Inspection, saved.id)
        assert row is not None
        assert (row.finding_count, row.major_count, row.check_item_count) == (1, 0, 2)
        log = audit.list_audit(s, st.admin, audit.AuditFilter(entity_type="inspection", entity_id=saved.id))
    assert log[0].action == "create"


def test_two_inspectors_required(site: Site) -> None:
    st = site.station
    assert st.supervisor.user_id
    for ids in ((st.supervisor.user_id,), (st.supervisor.user_id, st.supervisor.user_id)):
        with pytest.raises(ValidationError) as err, st.db.write() as s:
            create_inspection(s, st.clerk, form(site, inspector_ids=ids))
        assert "至少须有2名" in err.value.errors["检查人员"]
    assert _count(st, Inspection) == 0


def test_inspectors_must_be_active_supervision_staff(site: Site) -> None:
    st = site.station
    sup, chief, clerk = st.supervisor.user_id, st.chief.user_id, st.clerk.user_id
    assert sup and chief and clerk
    with pytest.raises(ValidationError, match="内勤账号") as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, inspector_ids=(sup, clerk)))
    assert "检查人员" in err.value.errors
    with pytest.raises(ValidationError, match="不是本站用户"), st.db.write() as s:
        create_inspection(s, st.clerk, form(site, inspector_ids=(sup, 99999)))
    with st.db.write() as s:
        auth.update_user(s, st.admin, sup, active=False)
    with pytest.raises(ValidationError, match="已停用"), st.db.write() as s:
        create_inspection(s, st.clerk, form(site, inspector_ids=(sup, chief)))
    with st.db.read() as s:
        assert [o.name for o in eligible_inspectors(s)] == ["李站长", "赵监督"]
    assert _count(st, Inspection) == 0


@pytest.mark.clock
def test_future_time_refused(site: Site) -> None:
    st = site.station
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, inspected_at=clock.now() + timedelta(hours=2)))
    assert "不能晚于当前时间" in err.value.errors["检查时间"]
    assert _count(st, Inspection) == 0


def test_project_not_in_supervision_refused(site: Site) -> None:
    st = site.station
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, project_id=site.completed))
    assert "2026年1月15日竣工验收备案" in err.value.errors["工程项目"]
    with st.db.write() as s:  # before completion it was in supervision: a late entry is accepted
        create_inspection(s, st.clerk, form(site, project_id=site.completed, inspected_at=datetime(2025, 11, 3, 10)))
    with pytest.raises(ValidationError, match="所选项目不存在"), st.db.write() as s:
        create_inspection(s, st.clerk, form(site, project_id=424242))
    assert _count(st, Inspection) == 1


def test_every_problem_reported_at_once_and_nothing_saved(site: Site) -> None:
    st = site.station
    assert st.supervisor.user_id
    bad = form(site, inspector_ids=(st.supervisor.user_id,), inspected_at=clock.now() + timedelta(days=1),
               kind="专项检查", findings=(FindingData(""),))
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, bad)
    assert {"检查人员", "检查时间", "专项行动", "问题第1条问题描述", "问题第1条隐患类别"} <= set(err.value.errors)
    assert _count(st, Inspection) == 0 and _count(st, InspectionFinding) == 0


def test_major_finding_checked_against_the_criteria(site: Site) -> None:
    st = site.station
    no_code = FindingData("塔吊未办理使用登记即投入使用", level="重大")
    old_edition = FindingData("塔吊未办理使用登记即投入使用", level="重大", criterion_code="2022-8-1")
    unknown = FindingData("塔吊未办理使用登记即投入使用", level="重大", criterion_code="2024-99-9")
    code_on_ordinary = FindingData("塔吊未办理使用登记", category="塔式起重机与起重吊装", criterion_code="2024-8-1")
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, findings=(no_code, old_edition, unknown, code_on_ordinary)))
    e = err.value.errors
    assert "须选择" in e["问题第1条判定条款"]
    assert "2024版" in e["问题第2条判定条款"]
    assert "不是重大事故隐患判定标准的条款" in e["问题第3条判定条款"]
    assert "一般隐患不引用" in e["问题第4条判定条款"]
    good = FindingData("塔吊未办理使用登记即投入使用", level="重大", criterion_code="2024-8-1", location="1号塔吊")
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, form(site, findings=(good,)))
    f = saved.findings[0]
    assert f.criterion_edition == "2024" and f.category == "建筑起重机械及吊装工程"
    assert f.deadline is not None and f.deadline > WHEN.date()
    with st.db.read() as s:
        row = s.get(Inspection, saved.id)
        assert row is not None and row.major_count == 1


def test_absence_becomes_a_finding_and_follows_the_presence(site: Site) -> None:
    st = site.station
    presence = (PresenceData("施工总承包", "项目负责人", False, person_name="刘项目", note="外出开会未报备"),
                PresenceData("施工总承包", "专职安全员", True, person_name="孙安全"),
                PresenceData("监理", "项目总监", True, person_name="周总监"))
    with st.db.write() as s:
        saved = create_inspection(s, st.supervisor, form(site, presence=presence))
    assert len(saved.findings) == 1
    absence = saved.findings[0]
    assert absence.origin == "人员到岗" and "刘项目" in absence.description and "关键岗位人员到岗履职" in absence.description
    with st.db.write() as s:  # saved again unchanged: the same finding (same id), not a second one
        again = update_inspection(s, st.supervisor, saved)
    assert [f.id for f in again.findings] == [absence.id]
    back = replace(again, presence=tuple(replace(p, present=True) for p in presence))
    with st.db.write() as s:
        cleared = update_inspection(s, st.supervisor, back)
    assert cleared.findings == ()
    with st.db.read() as s:
        rows = expected_presence(s, site.project)
    assert [(p.post, p.person_name) for p in rows] == [("项目负责人", "刘项目"), ("专职安全员", "孙安全"),
                                                       ("项目总监", "周总监")]


def test_update_keeps_finding_ids_and_detects_stale(site: Site) -> None:
    st = site.station
    f1, f2 = FindingData("临边防护缺失", category="高处作业"), FindingData("配电箱无门", category="施工用电")
    with st.db.write() as s:
        saved = create_inspection(s, st.supervisor, form(site, findings=(f1, f2)))
    keep = saved.findings[1]
    edited = replace(saved, findings=(replace(keep, requirement="立即整改"),
                                      FindingData("安全网破损", category="高处作业")))
    with st.db.write() as s:
        updated = update_inspection(s, st.supervisor, edited)
    assert updated.findings[0].id == keep.id and updated.findings[0].requirement == "立即整改"
    assert updated.version == 2
    assert _count(st, InspectionFinding) == 2
    with pytest.raises(StaleRecord), st.db.write() as s:
        update_inspection(s, st.chief, replace(saved, conclusion="旧表单"))


def test_permissions(site: Site) -> None:
    st = site.station
    with pytest.raises(PermissionDenied), st.db.write() as s:
        create_inspection(s, st.readonly, form(site))
    with st.db.write() as s:
        saved = create_inspection(s, st.chief, form(site))
        other = auth.create_user(s, st.admin, "sup3", "钱监督", "监督员", PASSWORD)
    outsider = replace(st.supervisor, user_id=other.id, username="sup3", full_name="钱监督")
    with pytest.raises(PermissionDenied, match="本人参加"), st.db.write() as s:
        update_inspection(s, outsider, replace(saved, conclusion="改"))
    with st.db.write() as s:  # an inspector of it may
        update_inspection(s, st.supervisor2, replace(saved, conclusion="改"))
    with pytest.raises(PermissionDenied), st.db.write() as s:
        delete_inspection(s, st.supervisor, saved.id or 0)
    with st.db.write() as s:
        delete_inspection(s, st.chief, saved.id or 0)
    assert _count(st, Inspection) == 0


def test_campaign_checklist_and_special_inspection(site: Site) -> None:
    st = site.station
    with pytest.raises(PermissionDenied), st.db.write() as s:
        save_campaign(s, st.supervisor, CampaignData("脚手架专项"))
    with st.db.write() as s:
        camp = save_campaign(s, st.chief, CampaignData("脚手架专项", checklist=("连墙件", "剪刀撑", "连墙件")))
        catalog = check_item_catalog(s, on=WHEN.date(), campaign_id=camp.id)
    assert camp.checklist == ("连墙件", "剪刀撑")
    sources = {c.source for c in catalog}
    assert sources == {"JGJ59", "重大隐患", "专项"}
    item = next(c for c in catalog if c.source == "专项")
    assert "防高坠" in site.campaigns
    with st.db.write() as s:
        saved = create_inspection(s, st.supervisor, form(
            site, kind="专项检查", campaign_id=camp.id,
            check_items=(CheckItemData("专项", label=item.label, code=item.code, result="不符合"),)))
    assert saved.campaign_name == "脚手架专项" and saved.check_items[0].code == item.code


def test_jgj59_sheet_stored_and_recomputed(site: Site) -> None:
    st = site.station
    entries = (Jgj59EntryData("B.1-1", Decimal(8)), Jgj59EntryData("B.1-2", Decimal(10)),
               Jgj59EntryData("B.1-7", Decimal(6)), Jgj59EntryData("B.14-2", Decimal(18)),
               Jgj59EntryData("B.14-5", Decimal("5.5")))
    bad = (Jgj59EntryData("B.1-1", Decimal(11)), Jgj59EntryData("X.9-9", Decimal(1)))
    with pytest.raises(ValidationError) as err, st.db.write() as s:
        create_inspection(s, st.clerk, form(site, jgj59_entries=bad))
    assert any("实得分须在0至10之间" in v for v in err.value.errors.values())
    assert "JGJ 59评分表 X.9-9" in err.value.errors
    assert _count(st, Inspection) == 0
    with st.db.write() as s:
        saved = create_inspection(s, st.clerk, form(site, jgj59_entries=entries))
    sheet = saved.jgj59
    assert sheet is not None and sheet.edition == "JGJ 59-2011"
    b1 = jgj59.score_item_table([(8, 10), (10, 10)], [(6, 10)])  # B.1-1…6 are 保证项目
    b14 = jgj59.score_item_table([(18, 20)], [(5.5, 15)])
    expected_total, expected_grade = jgj59.score_summary({"安全管理": b1, "施工用电": b14})
    assert float(sheet.total) == pytest.approx(expected_total) and sheet.grade == expected_grade
    assert set(sheet.table_scores) == {"B.1", "B.14"}
    assert [x.item_key for x in sheet.lines] == ["B.1-1", "B.1-2", "B.1-7", "B.14-2", "B.14-5"]
    assert saved.jgj59_entries[4].earned == Decimal("5.50")
    with st.db.write() as s:  # the stored result is tampered with; recomputing restores the rules' answer
        row = s.scalar(select(Jgj59Sheet))
        assert row is not None
        row.total, row.grade = Decimal(1), "不合格"
    with st.db.write() as s:
        again = recompute_sheet(s, st.clerk, saved.id or 0)
    assert float(again.total) == pytest.approx(expected_total) and again.grade == expected_grade
    with st.db.write() as s:  # the form saved again with one item changed: entries updated in place
        current = get_inspection(s, saved.id or 0)
        entries2 = (*current.jgj59_entries[:4], Jgj59EntryData("B.14-5", Decimal(15)))
        resaved = update_inspection(s, st.clerk, replace(current, jgj59_entries=entries2))
    assert resaved.jgj59 is not None and resaved.jgj59.lines[-1].earned == Decimal(15)
    assert resaved.jgj59.total > sheet.total
    with st.db.write() as s:  # removing every entry removes the sheet
        cleared = update_inspection(s, st.clerk, replace(get_inspection(s, saved.id or 0), jgj59_entries=()))
    assert cleared.jgj59 is None and _count(st, Jgj59Sheet) == 0


def test_saving_findings_costs_a_bounded_number_of_statements(site: Site) -> None:
    """Ten findings must not cost ten times the round trips of one (no N+1 in the save or in the
    hazard sync). Counted statements, not seconds: the bench times the save on the station PC."""
    from sqlalchemy import event

    st = site.station
    engine = st.db.engine
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    def save(n: int) -> int:
        findings = tuple(FindingData(f"问题{i}：临边防护缺失", category="高处作业", location=f"{i}号楼")
                         for i in range(n))
        items = tuple(CheckItemData("JGJ59", code=f"B.1-{i}") for i in range(1, n + 1))
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            with st.db.write() as s:
                create_inspection(s, st.clerk, form(site, findings=findings, check_items=items))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    save(1)  # warm-up: first-use queries (reference rows, caches)
    one, ten = save(1), save(10)
    selects_ten = sum(1 for x in statements if x.lstrip().upper().startswith("SELECT"))
    save(1)
    selects_one = sum(1 for x in statements if x.lstrip().upper().startswith("SELECT"))
    # writes: one INSERT per finding, check item, hazard, hazard event and audit row, plus a savepoint
    # around each hazard's numbered insert
    assert ten - one <= 9 * 8, f"每条问题多出 {(ten - one) / 9:.1f} 条语句"
    # reads: only the hazard number allocation may grow with the findings (no N+1 lookups)
    assert selects_ten - selects_one <= 9, (selects_one, selects_ten)


def test_project_with_inspections_cannot_be_deleted(site: Site) -> None:
    from station_app.errors import ValidationError
    from station_app.services.registry.projects import delete_project

    st = site.station
    with st.db.write() as s:
        create_inspection(s, st.clerk, form(site))
    with pytest.raises(ValidationError, match="不能删除"), st.db.write() as s:
        delete_project(s, st.chief, site.project)
    with st.db.write() as s:
        delete_project(s, st.chief, site.project_b)  # no inspection: may go
