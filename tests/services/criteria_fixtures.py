"""Records as the app stored them under the copied 2024 rows, taken through migration 0011 for real: the
station's database goes back to revision 0010 and is upgraded again."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, update

from station_app.db.database import Database
from station_app.db.migrate import _config, upgrade
from station_app.models import Hazard, InspectionFinding
from station_app.services.inspections.forms import FindingData
from station_app.services.inspections.records import create_inspection
from tests.services.hazards.hazard_fixtures import HazardSite, major_input, register
from tests.services.inspections.inspection_fixtures import form

#: the copied 2024 rows' wording of two codes (migration 0011 freezes them)
OLD_8_6 = "施工升降机防坠安全器超过定期检验有效期，标准节连接螺栓缺失或失效"
OLD_CRANE_HEADING = "起重机械及吊装工程"


def rerun_0011(db: Database) -> None:
    """Down to 0010 and up again. On SQLite foreign keys are off while batch mode re-creates tables, as in
    ``db.migrate.upgrade`` — else re-creating inspection_findings (0012's downgrade) nulls hazards.finding_id."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        command.downgrade(_config(conn), "0010")
        conn.commit()
        if db.is_sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    upgrade(db)


def old_records(hs: HazardSite) -> dict[str, int]:
    """An inspection's major finding (and its hazard) and a registered hazard, then given the codes the
    copied 2024 rows had: 2024-8-6 (防坠安全器, which 2024 dropped) and 2024-8-3 (升降机附着, now 8-6)."""
    st = hs.station
    finding = FindingData("施工升降机防坠安全器超过检验有效期", level="重大", criterion_code="2024-8-5",
                          location="2号施工升降机")
    with st.db.write() as s:
        insp = create_inspection(s, st.supervisor, form(hs.site, findings=(finding,)))
    with st.db.read() as s:
        finding_id = s.scalars(select(InspectionFinding.id).where(InspectionFinding.inspection_id == insp.id)).one()
        paired = s.scalars(select(Hazard.id).where(Hazard.finding_id == finding_id)).one()
    lone = register(hs, major_input(hs, criterion_code="2024-8-6", description="1号施工升降机附着间距超过说明书要求"))
    with st.db.write() as s:
        s.execute(update(InspectionFinding).where(InspectionFinding.id == finding_id)
                  .values(criterion_code="2024-8-6", category=OLD_CRANE_HEADING))
        s.execute(update(Hazard).where(Hazard.id == paired).values(criterion_code="2024-8-6", category=OLD_CRANE_HEADING))
        s.execute(update(Hazard).where(Hazard.id == lone.id).values(criterion_code="2024-8-3", category=OLD_CRANE_HEADING))
    rerun_0011(st.db)
    return {"finding": finding_id, "paired": paired, "lone": lone.id}
