"""监督检查 list and save on county data, each beside raw sqlite3.

- List: open (count + first page), filter by grid, sort by project name — the app (INSPECTION_LIST
  through a read session) beside the very statements it sent (captured at the cursor, parameters as
  bound) replayed by the bare sqlite3 module.
- Save: ``create_inspection`` of an inspection with 10 findings (2 inspectors, the presence rows of
  the project) in one write transaction, committed on a throw-away copy of the county database so the
  bench database stays clean; beside raw sqlite3 inserting the same rows (1 inspection, its inspectors,
  presence and 10 findings) with executemany in one transaction, same pragmas (WAL, synchronous=FULL,
  foreign keys). The app also validates, reads the project and users, and writes the audit row.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, func, select

from bench.common import Figure, best_of
from station_app import clock
from station_app.db.base import now
from station_app.db.database import Database
from station_app.models import Inspection, Project, User
from station_app.models.enums import Role
from station_app.services.context import Actor
from station_app.services.inspections.forms import FindingData, InspectionData, expected_presence
from station_app.services.inspections.records import create_inspection
from station_app.services.inspections.table import INSPECTION_LIST
from station_app.services.listing import ListQuery
from station_app.services.supervision.assignments import teams_on

Captured = list[tuple[str, Any]]
_TXN = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON")
_FINDINGS = (("高处作业", "楼层临边防护栏杆缺失"), ("施工用电", "开关箱未实行“一机、一闸、一漏、一箱”"),
             ("脚手架", "外脚手架连墙件设置间距过大，局部缺失"), ("文明施工", "材料堆放杂乱，未分类挂牌标识"),
             ("安全管理", "分部分项工程安全技术交底无交底人、被交底人签字"), ("基坑工程", "基坑边1米范围内堆放钢筋等材料"),
             ("模板支架", "可调托撑伸出长度超过规范要求"), ("施工机具", "圆盘锯防护罩缺失"),
             ("消防", "动火作业未办理动火审批，无专人看护"), ("塔式起重机与起重吊装", "塔式起重机回转限位未调试"))


@contextmanager
def captured_sql(engine: Engine) -> Iterator[Captured]:
    """Every statement the engine sends inside the block, with its parameters as the driver got them."""
    out: Captured = []

    def hook(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if not statement.lstrip().upper().startswith(_TXN):  # the queries only, not BEGIN/COMMIT
            out.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield out
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def replay(raw: sqlite3.Connection, statements: Captured) -> Callable[[], None]:
    """The captured reads, run by the bare sqlite3 module (results fetched)."""

    def run() -> None:
        for sql, params in statements:
            raw.execute(sql, params).fetchall()

    return run


def app_vs_raw(db: Database, raw: sqlite3.Connection, name: str, fn: Callable[[Any], object],
               target: str) -> Figure:
    """``fn(session)`` timed through a read session, beside its own SQL replayed raw."""
    def app_side() -> None:
        with db.read() as s:
            fn(s)

    with captured_sql(db.engine) as statements:
        app_side()
    return Figure(name, best_of(app_side), "raw sqlite3, same SQL", best_of(replay(raw, statements)), target)


def _list_figures(db: Database, raw: sqlite3.Connection) -> list[Figure]:
    with db.read() as s:
        busiest = s.scalar(select(Inspection.grid_id).where(Inspection.grid_id.is_not(None))
                           .group_by(Inspection.grid_id).order_by(func.count().desc()).limit(1))
    cases = [("open (count + first page)", ListQuery()),
             ("filter 网格 (busiest grid)", ListQuery(filters={"grid_id": busiest})),
             ("sort 工程名称", ListQuery(sort_key="project"))]
    figures = []
    for name, q in cases:
        def both(s: Any, q: ListQuery = q) -> None:
            INSPECTION_LIST.count(s, q)
            INSPECTION_LIST.page(s, q)

        figures.append(app_vs_raw(db, raw, f"检查 {name}", both, "≤200 ms"))
    return figures


def _form(db: Database) -> tuple[Actor, InspectionData]:
    """An inspection of a project under way by its team of today, with 10 ordinary findings."""
    today = clock.today()
    with db.read() as s:
        active = set(s.scalars(select(User.id).where(User.active.is_(True))))
        teams = teams_on(s, None, today)
        live = set(s.scalars(select(Project.id).where(Project.status == "在建")))
        pid, team = next((pid, t) for pid, t in sorted(teams.items())
                         if pid in live and len([u for u in t.member_ids if u in active]) >= 2)
        who = [u for u in team.member_ids if u in active][:2]
        user = s.get(User, who[0])
        assert user is not None
        actor = Actor(user.id, user.username, user.full_name, Role(user.role))
        presence = tuple(expected_presence(s, pid))
    findings = tuple(FindingData(description=d, category=c, location=f"{i + 1}#楼{i + 3}层")
                     for i, (c, d) in enumerate(_FINDINGS))
    data = InspectionData(inspected_at=now() - timedelta(hours=1), project_id=pid, inspector_ids=tuple(who),
                          weather="晴", site_parts=("主体结构", "脚手架"), conclusion="发现一般安全隐患10项，责令限期整改。",
                          presence=presence, findings=findings)
    return actor, data


_CHILDREN = ("inspection_inspectors", "inspection_presence", "inspection_findings")


def _raw_rows(raw: sqlite3.Connection, inspection_id: int) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The rows the app wrote for one inspection, as stored (column names, values)."""
    out = {}
    for table in ("inspections", *_CHILDREN):
        key = "id" if table == "inspections" else "inspection_id"
        cur = raw.execute(f"SELECT * FROM {table} WHERE {key} = ?", (inspection_id,))
        out[table] = ([d[0] for d in cur.description], cur.fetchall())
    return out


def _save_figure(data_dir: Path) -> Figure:
    # next to the bench database (same disk: a commit's fsync costs what it costs there), then removed
    with tempfile.TemporaryDirectory(prefix="save-copy-", dir=data_dir.parent) as tmp:
        copy = Path(tmp) / "station.sqlite3"
        src = sqlite3.connect(data_dir / "station.sqlite3")
        dst = sqlite3.connect(copy)
        src.backup(dst)  # a consistent copy, WAL included
        src.close()
        dst.close()
        db = Database(f"sqlite:///{copy}", data_dir=Path(tmp))
        actor, data = _form(db)

        def app_side() -> None:
            with db.write() as s:
                create_inspection(s, actor, data)

        app = best_of(app_side, repeat=15)
        raw = sqlite3.connect(copy, isolation_level=None)
        for pragma in _PRAGMAS:
            raw.execute(pragma)
        last = raw.execute("SELECT max(id) FROM inspections").fetchone()[0]
        rows = _raw_rows(raw, last)
        assert len(rows["inspection_findings"][1]) == 10

        def bare() -> None:
            insp_cols, (insp,) = rows["inspections"]
            new_id = raw.execute("SELECT max(id) FROM inspections").fetchone()[0] + 1
            raw.execute("BEGIN")
            raw.execute(f"INSERT INTO inspections ({', '.join(insp_cols)}) VALUES ({', '.join('?' * len(insp_cols))})",
                        (new_id, *insp[1:]))
            for table in _CHILDREN:
                cols, values = rows[table]
                keep = [i for i, c in enumerate(cols) if c != "id"]
                fk = cols.index("inspection_id")
                raw.executemany(
                    f"INSERT INTO {table} ({', '.join(cols[i] for i in keep)}) VALUES ({', '.join('?' * len(keep))})",
                    [tuple(new_id if i == fk else v[i] for i in keep) for v in values])
            raw.execute("COMMIT")

        base = best_of(bare, repeat=15)
        raw.close()
        db.dispose()
    return Figure("保存检查记录（10项问题）", app, "raw sqlite3 executemany, 1 txn", base, "≤150 ms")


def run(data_dir: Path) -> list[Figure]:
    db = Database(f"sqlite:///{data_dir / 'station.sqlite3'}")
    raw = sqlite3.connect(data_dir / "station.sqlite3")
    figures = _list_figures(db, raw)
    raw.close()
    db.dispose()
    figures.append(_save_figure(data_dir))
    return figures
