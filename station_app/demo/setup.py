"""Steps before the registries: refuse a database with data, set up the station, users and grids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from station_app.demo.context import GenContext, rand_date, stamp, table_of
from station_app.demo.names import person_name
from station_app.demo.places import DONGHAI, area_by_code, area_grids
from station_app.errors import DuplicateRecord
from station_app.models import AuditEntry, Enterprise, Grid, Person, Project, Station, User
from station_app.models.enums import Role
from station_app.services import auth
from station_app.services.station import StationInfo, get_station, init_station, is_initialized

DEMO_STATION = StationInfo(name="东海县建设工程安全监督站", short_name="", county="东海县", division_code="320722",
                           bureau="连云港市住房和城乡建设局")
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "Admin12345"
DEMO_PASSWORD = "Demo12345"
#: the summary of the audit row a run writes; a second run looks for it
AUDIT_PREFIX = "生成演示数据"


def refuse_if_filled(ctx: GenContext) -> None:
    """Demo data goes into an empty registry only: never twice, never among a station's real records."""
    s = ctx.session
    done = s.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.entity_type == "station", AuditEntry.summary.like(f"{AUDIT_PREFIX}%")))
    if done:
        raise DuplicateRecord("本数据库已生成过演示数据，不能重复生成。如需重新生成，请换用新的数据目录或空数据库。")
    for model, label in ((Project, "项目"), (Enterprise, "企业"), (Person, "人员")):
        n = s.scalar(select(func.count(model.id))) or 0
        if n:
            raise DuplicateRecord(f"数据库中已有{n}条{label}登记记录。演示数据只能生成到没有项目、企业和人员的"
                                  f"数据库中，以免与真实数据混在一起。")


def setup_station(ctx: GenContext) -> None:
    """An uninitialised database gets the demo station and its administrator; an initialised one keeps
    its own, and the demo county follows its division code (东海县 when the code is not in Lianyungang)."""
    s = ctx.session
    if not is_initialized(s):
        init_station(s, DEMO_STATION, ADMIN_USERNAME, ADMIN_PASSWORD)
        ctx.progress(f"初始化监督站：{DEMO_STATION.name}（{DEMO_STATION.division_code}）；"
                     f"管理员 {ADMIN_USERNAME} / 密码 {ADMIN_PASSWORD}")
    info = get_station(s)
    ctx.station_name, ctx.station_short, ctx.division_code = info.name, info.short_name, info.division_code
    area = area_by_code(info.division_code)
    if area is None:
        ctx.progress(f"本站行政区划代码 {info.division_code} 不在演示数据的连云港范围内，按东海县的乡镇生成。")
        area = DONGHAI
    ctx.area = area
    ctx.station_id = int(s.scalar(select(Station.id).order_by(Station.id).limit(1)) or 0)


def make_users(ctx: GenContext) -> None:
    """站长, 监督员 and 内勤 accounts sharing one password, hashed once (argon2 is slow by design)."""
    s, rng = ctx.session, ctx.rng
    existing = set(s.scalars(select(func.lower(User.username))))
    plan = [("zhanzhang", Role.CHIEF)]
    plan += [(f"jd{i:02d}", Role.SUPERVISOR) for i in range(1, ctx.scale.supervisors + 1)]
    plan += [("nq01", Role.CLERK), ("nq02", Role.CLERK)]
    password_hash = auth.hash_password(DEMO_PASSWORD)
    table = table_of(User)
    next_id = ctx.next_id(table)
    rows: list[dict[str, Any]] = []
    for username, role in plan:
        name = person_name(rng, male=rng.random() < 0.7)
        if username in existing:
            continue
        at = stamp(rng, rand_date(rng, ctx.span_start, ctx.span_start + (ctx.today - ctx.span_start) / 10))
        rows.append({"id": next_id, "username": username, "full_name": name, "role": role.value,
                     "password_hash": password_hash, "active": True, "failed_logins": 0, "locked_until": None,
                     "must_change_password": False, "phone": "", "last_login_at": None,
                     "created_at": at, "updated_at": at, "version": 1})
        next_id += 1
    ctx.insert(table, rows)
    for role_label, uid in s.execute(select(User.role, User.id).where(User.active.is_(True)).order_by(User.id)):
        ctx.users.setdefault(role_label, []).append(uid)
    ctx.counts["用户"] = len(rows)
    sups = [r["username"] for r in rows if r["role"] == Role.SUPERVISOR.value]
    ctx.progress(f"生成用户 {len(rows)} 个：站长 zhanzhang，监督员 {sups[0] if sups else ''}–"
                 f"{sups[-1] if sups else ''}，内勤 nq01、nq02；演示账号密码均为 {DEMO_PASSWORD}")


def make_grids(ctx: GenContext) -> None:
    """The county's grids (existing grids of the same name are kept), each led by a supervisor."""
    s, rng = ctx.session, ctx.rng
    existing = {name: gid for name, gid in s.execute(select(Grid.name, Grid.id))}
    leaders = ctx.users.get(Role.SUPERVISOR.value, [])
    table = table_of(Grid)
    next_id = ctx.next_id(table)
    rows: list[dict[str, Any]] = []
    for i, (name, towns) in enumerate(area_grids(ctx.area)):
        gid = existing.get(name)
        if gid is None:
            gid, next_id = next_id, next_id + 1
            at = stamp(rng, ctx.span_start)
            rows.append({"id": gid, "name": name, "towns": "、".join(towns),
                         "leader_id": leaders[i % len(leaders)] if leaders else None, "active": True,
                         "note": "演示数据", "created_at": at, "updated_at": at, "version": 1})
        for town in towns:
            ctx.grid_of_town[town] = gid
    ctx.insert(table, rows)
    ctx.counts["网格"] = len(rows)
    ctx.progress(f"生成网格 {len(rows)} 个：" + "、".join(r["name"] for r in rows))
