"""The station itself: first-start set-up, its details, and the grid list projects pick from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.errors import DuplicateRecord, NotFound, ValidationError
from station_app.models import Grid, Station, User
from station_app.models.enums import Role
from station_app.services import audit, auth
from station_app.services.context import SYSTEM, Actor, require
from station_app.services.inspections.campaigns import ensure_default_campaigns
from station_app.services.validation import Checker, clean


@dataclass(frozen=True)
class StationInfo:
    name: str
    short_name: str
    county: str
    division_code: str
    bureau: str
    address: str = ""
    phone: str = ""
    last_backup_at: datetime | None = None


def is_initialized(session: Session) -> bool:
    return bool(session.scalar(select(func.count(Station.id)))) and bool(
        session.scalar(select(func.count(User.id))))


def _validate(info: StationInfo) -> StationInfo:
    info = StationInfo(clean(info.name), clean(info.short_name), clean(info.county), clean(info.division_code),
                       clean(info.bureau), clean(info.address), clean(info.phone), info.last_backup_at)
    c = Checker()
    c.required("监督站名称", info.name)
    c.required("所在县（区）", info.county)
    if c.required("行政区划代码", info.division_code) and not re.fullmatch(r"[1-9]\d{5}", info.division_code):
        c.add("行政区划代码", "应为6位数字（如 320722）")
    c.required("上级主管部门", info.bureau)
    c.check()
    return info


def default_short_name(info: StationInfo) -> str:
    """东海县建设工程安全监督站 → 东 (the first character of the county, used in document numbers)."""
    return info.short_name or (info.county[:1] if info.county else "")


def init_station(session: Session, info: StationInfo, admin_username: str, admin_password: str,
                 admin_full_name: str = "系统管理员") -> StationInfo:
    """First start: the station's details and its first administrator, in one transaction."""
    if is_initialized(session):
        raise DuplicateRecord("本数据库已完成初始化，不能重复初始化。")
    info = _validate(info)
    station = Station(name=info.name, short_name=default_short_name(info), county=info.county,
                      division_code=info.division_code, bureau=info.bureau, address=info.address,
                      phone=info.phone)
    session.add(station)
    session.flush()
    auth.create_user(session, SYSTEM, admin_username, admin_full_name, Role.ADMIN, admin_password)
    ensure_default_campaigns(session)
    audit.record(session, SYSTEM, "create", "station", station.id, after=audit.snapshot(
        station, ("name", "county", "division_code", "bureau")), summary=f"初始化监督站 {station.name}")
    return get_station(session)


def get_station(session: Session) -> StationInfo:
    s = session.scalar(select(Station).order_by(Station.id).limit(1))
    if s is None:
        raise NotFound("尚未初始化监督站信息。")
    return StationInfo(s.name, s.short_name, s.county, s.division_code, s.bureau, s.address, s.phone,
                       s.last_backup_at)


def update_station(session: Session, actor: Actor, info: StationInfo) -> StationInfo:
    require(actor, "station.edit")
    info = _validate(info)
    s = session.scalar(select(Station).order_by(Station.id).limit(1))
    if s is None:
        raise NotFound("尚未初始化监督站信息。")
    fields = ("name", "short_name", "county", "division_code", "bureau", "address", "phone")
    before = audit.snapshot(s, fields)
    for f in fields:
        setattr(s, f, getattr(info, f))
    s.short_name = default_short_name(info)
    audit.record(session, actor, "update", "station", s.id, before=before, after=audit.snapshot(s, fields),
                 summary="修改监督站信息")
    return get_station(session)


def mark_backup(session: Session, at: datetime) -> None:
    s = session.scalar(select(Station).order_by(Station.id).limit(1))
    if s is not None:
        s.last_backup_at = at


@dataclass(frozen=True)
class GridInfo:
    id: int
    name: str
    towns: str
    leader_id: int | None
    active: bool


def list_grids(session: Session, *, active_only: bool = True) -> list[GridInfo]:
    stmt = select(Grid).order_by(Grid.name)
    if active_only:
        stmt = stmt.where(Grid.active.is_(True))
    return [GridInfo(g.id, g.name, g.towns, g.leader_id, g.active) for g in session.scalars(stmt)]


def create_grid(session: Session, actor: Actor, name: str, towns: str = "",
                leader_id: int | None = None) -> GridInfo:
    require(actor, "grid.write")
    name = clean(name)
    if not name:
        raise ValidationError({"网格名称": "必填"})
    if session.scalar(select(func.count(Grid.id)).where(Grid.name == name)):
        raise DuplicateRecord(f"网格“{name}”已存在。")
    g = Grid(name=name, towns=clean(towns), leader_id=leader_id)
    session.add(g)
    session.flush()
    audit.record(session, actor, "create", "grid", g.id, after={"name": name, "towns": g.towns},
                 summary=f"新增网格 {name}")
    return GridInfo(g.id, g.name, g.towns, g.leader_id, g.active)
