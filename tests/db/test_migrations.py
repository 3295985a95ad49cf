"""Alembic: models and migrations agree; old databases full of rows upgrade intact; newer ones refused."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from station_app.db.database import Database
from station_app.db.migrate import current_revision, head_revision, upgrade
from station_app.errors import SchemaTooNew
from station_app.models import (
    AuditEntry,
    Base,
    CriterionRemapReview,
    Hazard,
    InspectionCheckItem,
    InspectionFinding,
)
from station_app.rules import hazards as hazard_rules
from station_app.rules import refdata
from station_app.services.hazards import criteria_review
from station_app.services.reference import load_into_rules

DATA = Path(__file__).parent.parent / "data" / "db"
VERSIONS = Path(__file__).parents[2] / "migrations" / "versions"


def _migration(stem: str) -> ModuleType:
    """A migration module, loaded from its file (they are not a package)."""
    spec = importlib.util.spec_from_file_location(f"migration_{stem}", VERSIONS / f"{stem}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CRITERIA_2024 = _migration("0011_criteria_2024")


def _criteria_rows_0011_drops(con: sqlite3.Connection) -> int:
    """Shipped 2024 criteria rows 0011 deletes: those the real standard lacks, and admin edits of copies."""
    old, new = sorted(CRITERIA_2024.OLD_2024), set(CRITERIA_2024.NEW_2024)
    marks = ", ".join("?" * len(old))
    rows = con.execute(f"SELECT key, modified FROM reference_rows WHERE dataset = 'hazard_criteria' "
                       f"AND shipped_json IS NOT NULL AND key IN ({marks})", old).fetchall()
    return sum(1 for key, modified in rows if key not in new or modified)


def test_autogenerate_finds_no_difference(db: Database) -> None:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_fresh_database_is_at_head(db: Database) -> None:
    assert current_revision(db) == head_revision()


@pytest.mark.parametrize("snapshot", sorted(DATA.glob("*.sqlite3")), ids=lambda p: p.stem)
def test_committed_old_database_upgrades_with_rows_intact(snapshot: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(snapshot, path)
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                        "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    before = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    if "reference_rows" in before:  # 0011 drops the copied 2024 criteria the real standard does not have
        before["reference_rows"] -= _criteria_rows_0011_drops(con)
    party_people = con.execute("SELECT COUNT(*) FROM project_party_people").fetchone()[0]
    con.close()
    assert party_people > 0, "the snapshot must hold child rows to prove the migration keeps them"
    db = Database(f"sqlite:///{path}")
    backup = upgrade(db, backup_dir=tmp_path / "backups")
    assert current_revision(db) == head_revision()
    with db.engine.connect() as conn:
        for table, count in before.items():
            # the log is append-only: an upgrade that re-maps records adds its own rows (actor 系统升级)
            own = " WHERE username != '系统升级'" if table == "audit_log" else ""
            assert conn.execute(text(f'SELECT COUNT(*) FROM "{table}"{own}')).scalar() == count, table
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()
    if snapshot.stem.split("_")[0] != head_revision():
        assert backup is not None and backup.exists()


def test_database_newer_than_code_is_refused(sqlite_db: Database) -> None:
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_the_future'"))
    with pytest.raises(SchemaTooNew, match="比本程序新"):
        upgrade(sqlite_db)
    with sqlite_db.engine.connect() as conn:  # untouched
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffff_from_the_future"


def test_pragmas_on_every_sqlite_connection(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_schema_head_constant_matches_alembic() -> None:
    from station_app.db.migrate import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD, "update SCHEMA_HEAD in station_app/db/migrate.py"


# ---------------------------------------------------------------- 0011: the real 2024 判定标准


def test_0011_maps_every_old_2024_row_by_its_wording() -> None:
    """Checked against the standard: 2024 reordered 第八条, split 第十、十一、十二条 into items, moved the
    catch-all articles to 第十六、十七条, dropped the 防坠安全器 item and narrowed 第十六条."""
    found = {code: CRITERIA_2024.match(code) for code in CRITERIA_2024.OLD_2024}
    remapped = {old: new for old, (new, _s, _r) in found.items() if new is not None and new != old}
    assert remapped == {"2024-8-2": "2024-8-7", "2024-8-3": "2024-8-6", "2024-8-4": "2024-8-3",
                        "2024-8-5": "2024-8-4", "2024-8-7": "2024-8-2", "2024-10": "2024-10-1",
                        "2024-11-1": "2024-11-2", "2024-11-2": "2024-11-3", "2024-12": "2024-12-2",
                        "2024-15": "2024-17"}
    unchanged = {old for old, (new, _s, _r) in found.items() if new == old}
    assert len(unchanged) == 33 - len(remapped) - 2 and "2024-5-1" in unchanged and "2024-6-1" in unchanged
    assert found["2024-8-6"] == (None, "2024-8-5", "2024版没有与原条文对应的条款")
    new, suggested, reason = found["2024-14"]
    assert (new, suggested) == (None, "2024-16") and "国家明令禁止和限制使用" in reason
    assert set(CRITERIA_2024.NEW_2024) == {c.code for c in hazard_rules.criteria("2024")}
    assert all(CRITERIA_2024.NEW_2024[c.code] == (c.category, c.text) for c in hazard_rules.criteria("2024"))


def test_0011_normalising_ignores_punctuation_and_spaces() -> None:
    assert CRITERIA_2024.normalise("未设置连墙件， 或“连墙件”整层缺失；") == "未设置连墙件或连墙件整层缺失"


def _old_station_state(path: Path) -> dict[str, object]:
    """What an admin and the old program left in the 0010 snapshot, plus the rows the test adds."""
    con = sqlite3.connect(path)
    # an admin had edited the copied 2024-8-6 row and added a provincial item of their own
    payload = json.loads(con.execute("SELECT payload_json FROM reference_rows WHERE dataset = 'hazard_criteria' "
                                     "AND key = '2024-8-6'").fetchone()[0])
    payload["note"] = "站长批注：防坠安全器以检验报告为准"
    con.execute("UPDATE reference_rows SET payload_json = ?, modified = 1 WHERE dataset = 'hazard_criteria' "
                "AND key = '2024-8-6'", (json.dumps(payload, ensure_ascii=False),))
    own = {**payload, "key": "2024-苏-1", "article": 17, "item": 1, "category": "其他",
           "text": "省住建厅补充：塔吊司机连续作业超过4小时未轮换", "source": "省住建厅通知", "note": ""}
    con.execute("INSERT INTO reference_rows (dataset, key, payload_json, shipped_json, source, modified, version) "
                "VALUES ('hazard_criteria', '2024-苏-1', ?, NULL, '省住建厅通知', 1, 1)",
                (json.dumps(own, ensure_ascii=False),))
    # a 重大隐患 check item of the old 2024-8-7, and a finding judged under the narrowed 2024-14
    inspection_id = con.execute("SELECT MIN(id) FROM inspections").fetchone()[0]
    con.execute("INSERT INTO inspection_check_items (inspection_id, seq, source, code, label, result, note) "
                "VALUES (?, 99, '重大隐患', '2024-8-7', ?, '不符合', '')",
                (inspection_id, CRITERIA_2024.OLD_2024["2024-8-7"][1]))
    narrowed = con.execute("SELECT id FROM inspection_findings WHERE criterion_code = '2024-9-3'").fetchone()[0]
    con.execute("UPDATE inspection_findings SET criterion_code = '2024-14', category = '施工工艺、设备和材料' "
                "WHERE id = ?", (narrowed,))
    hazards = {r[0]: r[1:] for r in con.execute(
        "SELECT id, criterion_code, category, version FROM hazards WHERE criterion_code LIKE '2024-%'")}
    findings = {r[0]: r[1:] for r in con.execute(
        "SELECT id, criterion_code, category FROM inspection_findings WHERE criterion_code LIKE '2024-%'")}
    con.commit()
    con.close()
    return {"hazards": hazards, "findings": findings, "narrowed": narrowed}


def test_0011_upgrades_an_old_database_remapping_and_listing_what_needs_the_chief(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(DATA / "0010.sqlite3", path)
    old = _old_station_state(path)
    hazards_before: dict[int, tuple[str, str, int]] = old["hazards"]  # type: ignore[assignment]
    findings_before: dict[int, tuple[str, str]] = old["findings"]  # type: ignore[assignment]
    assert {code for code, _c, _v in hazards_before.values()} >= {"2024-8-3", "2024-8-6", "2024-8-7"}
    db = Database(f"sqlite:///{path}")
    try:
        upgrade(db, backup_dir=tmp_path / "backups")
        with db.read() as s:
            hazards = {h.id: h for h in s.scalars(select(Hazard).where(Hazard.id.in_(hazards_before)))}
            findings = {f.id: f for f in s.scalars(
                select(InspectionFinding).where(InspectionFinding.id.in_(findings_before)))}
            reviews = s.scalars(select(CriterionRemapReview).order_by(CriterionRemapReview.id)).all()
            entries = s.scalars(select(AuditEntry).where(AuditEntry.username == "系统升级")).all()
            check_codes = s.scalars(select(InspectionCheckItem.code).where(InspectionCheckItem.seq == 99)).all()
            pending = criteria_review.list_pending(s)
        # every record with a copied code now carries the item of the same wording, or is listed
        listed = {(r.record_kind, r.record_id) for r in reviews}
        for kind, before, after in (("hazard", hazards_before, hazards), ("finding", findings_before, findings)):
            for rid, (code, category, *_v) in before.items():
                new = CRITERIA_2024.match(code)[0]
                record = after[rid]
                if new is None:
                    assert (record.criterion_code, record.category) == (code, category), (kind, rid)
                    assert (kind, rid) in listed
                else:
                    assert record.criterion_code == new, (kind, rid)
                    assert record.category == CRITERIA_2024.NEW_2024[new][0]
                    assert (kind, rid) not in listed
        swapped = [rid for rid, (code, _c, _v) in hazards_before.items() if code == "2024-8-3"]
        assert hazards[swapped[0]].criterion_code == "2024-8-6"  # moved onto a code another record keeps
        assert hazards[swapped[0]].version == hazards_before[swapped[0]][2] + 1
        assert findings[old["narrowed"]].criterion_code == "2024-14"  # type: ignore[index]
        assert check_codes == ["2024-8-2"]
        # the 待复核 list: the dropped 防坠安全器 item (a hazard and its finding) and the narrowed one
        assert {(r.old_code, r.suggested_code) for r in reviews} == {("2024-8-6", "2024-8-5"), ("2024-14", "2024-16")}
        assert all(r.old_text == CRITERIA_2024.OLD_2024[r.old_code][1] and r.reviewed_at is None for r in reviews)
        assert len(pending) == len(reviews) >= 3
        # one audit row per changed record (codes and headings), one for the admin's edited copy
        changed = sum(1 for rid, (code, cat, *_v) in hazards_before.items()
                      if (hazards[rid].criterion_code, hazards[rid].category) != (code, cat)) + sum(
            1 for rid, (code, cat) in findings_before.items()
            if (findings[rid].criterion_code, findings[rid].category) != (code, cat))
        by_type = [(e.entity_type, e.action) for e in entries]
        assert by_type.count(("hazard", "update")) + by_type.count(("inspection", "update")) == changed + 1
        assert any("第八条第(三)项→第八条第(六)项" in e.summary for e in entries)
        edited = [e for e in entries if e.entity_type == "reference"]
        assert len(edited) == 1 and "站长批注" in (edited[0].before_json or "")
        # reference data: the copies the standard lacks are gone, the admin's own item stays, and at start
        # the corrected rows are copied in
        load_into_rules(db)
        items = {c.code: c for c in hazard_rules.criteria("2024")}
        assert len(items) == 54 and "2024-苏-1" in items  # the 53 items and the admin's own
        assert items["2024-8-6"].text.startswith("施工升降机附着间距") and items["2024-8-6"].note == ""
        assert not {"2024-10", "2024-12", "2024-14", "2024-15"} & set(items)
        assert hazard_rules.edition_in_force(date(2024, 12, 13)) == "2024"
    finally:
        db.dispose()
        refdata.reset()
