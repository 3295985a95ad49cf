"""Enterprises, people and projects through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from station_app.errors import DuplicateRecord, PermissionDenied, StaleRecord, ValidationError
from station_app.rules.ids import resident_id_check_char, uscc_check_char
from station_app.services import audit
from station_app.services.listing import ListQuery
from station_app.services.registry.enterprises import (
    ENTERPRISE_LIST,
    EnterpriseData,
    create_enterprise,
    get_enterprise,
    merge_enterprises,
    update_enterprise,
)
from station_app.services.registry.persons import PersonData, create_person, person_page, update_person
from station_app.services.registry.project_table import PROJECT_LIST
from station_app.services.registry.projects import (
    PartyData,
    PartyPersonData,
    ProjectData,
    create_project,
    get_project,
    update_project,
)
from tests.conftest import Station


def uscc(body16: str) -> str:
    first17 = body16 + "0" if len(body16) == 16 else body16
    return first17 + uscc_check_char(first17)


def rid(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


GC = uscc("9132072257123456")
OWNER = uscc("1232072246608765")  # 事业单位 registration body
SUP = uscc("Y132072212345678")  # a letter-prefixed body: must be accepted


def _enterprise(station: Station, name: str, code: str, kind: str = "施工企业") -> EnterpriseData:
    with station.db.write() as s:
        return create_enterprise(s, station.clerk, EnterpriseData(name=name, uscc=code, kind=kind))


def test_enterprise_uscc_checked_and_unique(station: Station) -> None:
    e = _enterprise(station, "江苏东海建工集团有限公司", GC)
    assert e.id and e.uscc == GC
    bad = GC[:-1] + ("0" if GC[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="统一社会信用代码"), station.db.write() as s:
        create_enterprise(s, station.clerk, EnterpriseData(name="坏代码公司", uscc=bad, kind="施工企业"))
    with pytest.raises(DuplicateRecord, match="已登记"), station.db.write() as s:
        create_enterprise(s, station.clerk, EnterpriseData(name="重复", uscc=GC.lower(), kind="施工企业"))
    assert _enterprise(station, "某事业单位", OWNER, "建设单位").uscc == OWNER
    assert _enterprise(station, "某监理", SUP, "监理企业").uscc == SUP


def test_readonly_cannot_write(station: Station) -> None:
    with pytest.raises(PermissionDenied), station.db.write() as s:
        create_enterprise(s, station.readonly, EnterpriseData(name="甲", uscc=GC, kind="施工企业"))
    with station.db.read() as s:
        assert ENTERPRISE_LIST.count(s, ListQuery()) == 0


def test_person_id_checked_masked_and_unique(station: Station) -> None:
    number = rid("32072219850312123")
    with station.db.write() as s:
        p = create_person(s, station.clerk, PersonData(name="王建国", id_number=number, phone="13800000000"))
    assert p.id_number == number and p.gender == "男"
    with station.db.read() as s:
        rows_sup = person_page(s, station.supervisor, ListQuery())
        rows_clerk = person_page(s, station.clerk, ListQuery())
    assert rows_sup[0][2] == number[:4] + "*" * 10 + number[-4:]
    assert rows_clerk[0][2] == number
    with pytest.raises(ValidationError, match="身份证号"), station.db.write() as s:
        create_person(s, station.clerk, PersonData(name="错号", id_number=number[:-1] + "0"
                                                   if number[-1] != "0" else number[:-1] + "1"))
    with pytest.raises(DuplicateRecord), station.db.write() as s:
        create_person(s, station.clerk, PersonData(name="重号", id_number=number.lower()))
    # a supervisor saving the form with the masked number keeps the stored one
    with station.db.read() as s:
        from station_app.services.registry.persons import get_person

        seen = get_person(s, station.supervisor, p.id)  # type: ignore[arg-type]
    with station.db.write() as s:
        update_person(s, station.supervisor, PersonData(**{**seen.__dict__, "phone": "13900000000"}))
    with station.db.read() as s:
        assert get_person(s, station.admin, p.id).id_number == number  # type: ignore[arg-type]


def _project(station: Station, **kw: object) -> ProjectData:
    data = ProjectData(**{"name": "东海新区安置房一期", "project_type": "房屋建筑工程", "status": "在建",
                          "actual_start": date(2025, 3, 1), "town": "牛山街道",
                          "contract_cost_fen": 123_456_789_00, "building_area": Decimal("45678.90"),
                          "permit_no": "320722202503010101", **kw})  # type: ignore[arg-type]
    with station.db.write() as s:
        return create_project(s, station.clerk, data)


def test_project_validation_names_fields_and_saves_nothing(station: Station) -> None:
    bad = ProjectData(name="", project_type="房屋建筑工程", status="在建", planned_start=date(2025, 5, 1),
                      planned_finish=date(2025, 4, 1), building_area=Decimal("-1"))
    with pytest.raises(ValidationError) as err, station.db.write() as s:
        create_project(s, station.clerk, bad)
    assert set(err.value.errors) >= {"工程名称", "计划竣工日期", "建筑面积", "实际开工日期"}
    with station.db.read() as s:
        assert PROJECT_LIST.count(s, ListQuery()) == 0


def test_permit_number_unique(station: Station) -> None:
    _project(station)
    with pytest.raises(DuplicateRecord, match="施工许可证号"):
        _project(station, name="另一个项目")


def test_project_parties_audited_and_searchable(station: Station) -> None:
    gc = _enterprise(station, "江苏东海建工集团有限公司", GC)
    sup = _enterprise(station, "连云港诚信监理有限公司", SUP, "监理企业")
    with station.db.write() as s:
        pm = create_person(s, station.clerk, PersonData(name="刘项目", id_number=rid("32072219800101001"),
                                                        employer_id=gc.id))
    p = _project(station)
    with station.db.read() as s:
        current = get_project(s, p.id)  # type: ignore[arg-type]
    parties = (PartyData(role="施工总承包", enterprise_id=gc.id,  # type: ignore[arg-type]
                         people=(PartyPersonData(pm.id, "项目负责人"),)),  # type: ignore[arg-type]
               PartyData(role="监理", enterprise_id=sup.id))  # type: ignore[arg-type]
    with station.db.write() as s:
        saved = update_project(s, station.clerk, ProjectData(**{**current.__dict__, "parties": parties}))
    assert [x.role for x in saved.parties] == ["施工总承包", "监理"]
    assert saved.parties[0].people[0].person_name == "刘项目"
    with station.db.read() as s:
        log = audit.list_audit(s, station.admin, audit.AuditFilter(entity_type="project", entity_id=p.id))
        assert log[0].action == "update"
        assert log[0].before == {"parties": []}
        assert "施工总承包:江苏东海建工集团有限公司（项目负责人:刘项目）" in log[0].after["parties"]  # type: ignore[index]
        for query in ("dhxq", "东海新区", "320722202503010101", GC.lower(), "jsdhjg"):
            assert PROJECT_LIST.count(s, ListQuery(text=query)) == 1, query
        assert PROJECT_LIST.count(s, ListQuery(text="dhxq 在建不存在")) == 0
        row = PROJECT_LIST.page(s, ListQuery())[0]
        assert row[6] == "江苏东海建工集团有限公司"


def test_stale_edit_is_refused(station: Station) -> None:
    p = _project(station)
    with station.db.write() as s:
        update_project(s, station.clerk, ProjectData(**{**p.__dict__, "progress": "主体施工"}), parties=False)
    with pytest.raises(StaleRecord), station.db.write() as s:
        update_project(s, station.chief, ProjectData(**{**p.__dict__, "progress": "基础"}), parties=False)


def test_two_general_contractors_refused(station: Station) -> None:
    a = _enterprise(station, "甲建设", GC)
    b = _enterprise(station, "乙建设", uscc("9132072257654321"))
    parties = (PartyData(role="施工总承包", enterprise_id=a.id),  # type: ignore[arg-type]
               PartyData(role="施工总承包", enterprise_id=b.id))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="只能有一个施工总承包"):
        _project(station, parties=parties)


def test_sort_and_filter_in_sql(station: Station) -> None:
    _project(station, name="甲", permit_no="A1", contract_cost_fen=100)
    _project(station, name="乙", permit_no="A2", contract_cost_fen=None)
    _project(station, name="丙", permit_no="A3", contract_cost_fen=300, status="已竣工",
             actual_finish=date(2026, 1, 1))
    with station.db.read() as s:
        rows = PROJECT_LIST.page(s, ListQuery(sort_key="contract_cost_fen", descending=True))
        assert [r[1] for r in rows] == ["丙", "甲", "乙"]  # NULL last
        rows = PROJECT_LIST.page(s, ListQuery(sort_key="contract_cost_fen"))
        assert [r[1] for r in rows] == ["甲", "丙", "乙"]
        assert PROJECT_LIST.count(s, ListQuery(filters={"in_supervision": True})) == 2
        assert PROJECT_LIST.count(s, ListQuery(filters={"status": "已竣工"})) == 1


def test_merge_keeps_links_and_is_audited(station: Station) -> None:
    keep = _enterprise(station, "东海建工", GC)
    dup = _enterprise(station, "东海建工（重复）", uscc("9132072257654321"))
    with station.db.write() as s:
        worker = create_person(s, station.clerk, PersonData(name="孙工", employer_id=dup.id))
    p1 = _project(station, permit_no="P1", parties=(PartyData(role="施工总承包", enterprise_id=dup.id),))  # type: ignore[arg-type]
    p2 = _project(station, name="二期", permit_no="P2", parties=(
        PartyData(role="专业分包", enterprise_id=keep.id), PartyData(role="专业分包", enterprise_id=dup.id)))  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied), station.db.write() as s:
        merge_enterprises(s, station.clerk, keep.id, dup.id)  # type: ignore[arg-type]
    with station.db.write() as s:
        merge_enterprises(s, station.chief, keep.id, dup.id)  # type: ignore[arg-type]
    with station.db.read() as s:
        assert [x.enterprise_id for x in get_project(s, p1.id).parties] == [keep.id]  # type: ignore[arg-type]
        assert [x.enterprise_id for x in get_project(s, p2.id).parties] == [keep.id]  # type: ignore[arg-type]
        from station_app.services.registry.persons import get_person

        assert get_person(s, station.admin, worker.id).employer_id == keep.id  # type: ignore[arg-type]
        assert ENTERPRISE_LIST.count(s, ListQuery()) == 1
        entry = audit.list_audit(s, station.admin, audit.AuditFilter(entity_type="enterprise"))[0]
        assert entry.action == "merge" and "东海建工（重复）" in entry.summary


def test_enterprise_update_stale_and_audit(station: Station) -> None:
    e = _enterprise(station, "东海建工", GC)
    with station.db.write() as s:
        update_enterprise(s, station.clerk, EnterpriseData(**{**e.__dict__, "legal_representative": "张三"}))
    with pytest.raises(StaleRecord), station.db.write() as s:
        update_enterprise(s, station.clerk, EnterpriseData(**{**e.__dict__, "legal_representative": "李四"}))
    with station.db.read() as s:
        assert get_enterprise(s, e.id).legal_representative == "张三"  # type: ignore[arg-type]


def test_rename_follows_in_project_search_without_blocking_open_editors(station: Station) -> None:
    gc = _enterprise(station, "江苏东海建工集团有限公司", GC)
    p = _project(station, parties=(PartyData(role="施工总承包", enterprise_id=gc.id),))  # type: ignore[arg-type]
    with station.db.read() as s:
        assert PROJECT_LIST.count(s, ListQuery(text="海州路桥")) == 0
    with station.db.write() as s:
        update_enterprise(s, station.clerk, EnterpriseData(**{**gc.__dict__, "name": "海州路桥工程有限公司"}))
    with station.db.read() as s:
        assert PROJECT_LIST.count(s, ListQuery(text="海州路桥")) == 1
        assert PROJECT_LIST.count(s, ListQuery(text="hzlq")) == 1
        assert PROJECT_LIST.count(s, ListQuery(text="江苏东海建工")) == 0
    # the project form opened before the rename still saves
    with station.db.write() as s:
        update_project(s, station.chief, ProjectData(**{**p.__dict__, "progress": "主体"}), parties=False)
