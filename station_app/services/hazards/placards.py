"""挂牌督办 of a major hazard (县级 / 市级) and lifting it (摘牌).

A hazard has at most one open listing (``lifted_on`` empty); ``hazards.listing_level`` mirrors it so
the ledger filters by SQL alone. Listing opens a 精准拆弹 review of the contractor's other projects
in the same transaction (``contractor_review.open_review``) when the hazard has a 施工总包.
Only the station chief (or an administrator) lists and lifts; both are audited and are hazard events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.errors import NotFound, StaleRecord, ValidationError
from station_app.formatting import chinese_date
from station_app.models import Hazard, HazardEvent, HazardListing
from station_app.models.hazard import HazardAction, HazardLevel, ListingLevel
from station_app.services.audit import record, snapshot
from station_app.services.context import Actor, require
from station_app.services.hazards.contractor_review import TRIGGER_LISTING, open_review
from station_app.services.hazards.figures import OPEN_VALUES

UNIT_MAX = 100
NOTE_MAX = 500
_FIELDS = ("level", "listed_on", "responsible_unit", "required_by", "note", "lifted_on", "lift_note")


@dataclass(frozen=True)
class ListingData:
    level: str
    listed_on: date | None
    responsible_unit: str
    required_by: date | None
    note: str = ""


@dataclass(frozen=True)
class ListingInfo:
    id: int
    hazard_id: int
    level: str
    listed_on: date
    responsible_unit: str
    required_by: date
    note: str
    lifted_on: date | None
    lift_note: str


@dataclass(frozen=True)
class ListingResult:
    listing: ListingInfo
    #: the 精准拆弹 review opened with it (None when the hazard has no 施工总包 on record)
    review_id: int | None
    hazard_version: int


def _info(x: HazardListing) -> ListingInfo:
    return ListingInfo(x.id, x.hazard_id, x.level, x.listed_on, x.responsible_unit, x.required_by, x.note,
                       x.lifted_on, x.lift_note)


def _hazard(session: Session, hazard_id: int, version: int | None) -> Hazard:
    h = session.get(Hazard, hazard_id)
    if h is None:
        raise NotFound("隐患不存在。")
    if version is not None and version != h.version:
        raise StaleRecord(f"隐患 {h.code}")
    return h


def open_listing(session: Session, hazard_id: int) -> HazardListing | None:
    return session.scalars(select(HazardListing).where(
        HazardListing.hazard_id == hazard_id, HazardListing.lifted_on.is_(None))
        .order_by(HazardListing.id.desc())).first()


def listings_of(session: Session, hazard_id: int) -> list[ListingInfo]:
    return [_info(x) for x in session.scalars(select(HazardListing).where(HazardListing.hazard_id == hazard_id)
                                              .order_by(HazardListing.id))]


def _event(session: Session, actor: Actor, h: Hazard, action: HazardAction, on: date, comment: str) -> None:
    session.add(HazardEvent(hazard_id=h.id, action=action.value, from_state=h.state, to_state=h.state,
                            on_date=on, actor_id=actor.user_id, actor_name=actor.full_name, comment=comment))


def list_hazard(session: Session, actor: Actor, hazard_id: int, data: ListingData,
                version: int | None = None, *, open_contractor_review: bool = True) -> ListingResult:
    """Put an open major hazard under 挂牌督办; opens the contractor-wide review unless told not to."""
    require(actor, "hazard.list")
    h = _hazard(session, hazard_id, version)
    if h.level != HazardLevel.MAJOR.value:
        raise ValidationError({"隐患等级": f"{h.code} 是一般隐患，只有重大事故隐患可以挂牌督办"})
    if h.state not in OPEN_VALUES:
        raise ValidationError({"隐患状态": f"{h.code} {h.state}，不能挂牌督办"})
    if open_listing(session, h.id) is not None:
        raise ValidationError({"挂牌督办": f"{h.code} 已在{h.listing_level or ''}挂牌督办中，请先摘牌"})
    errors: dict[str, str] = {}
    levels = [lv.value for lv in ListingLevel]
    if data.level not in levels:
        errors["督办级别"] = f"请选择{'或'.join(levels)}"
    if data.listed_on is None:
        errors["挂牌日期"] = "请填写挂牌日期"
    elif data.listed_on < h.found_on:
        errors["挂牌日期"] = f"不能早于隐患发现日期 {chinese_date(h.found_on)}"
    unit = (data.responsible_unit or "").strip()
    if not unit:
        errors["责任单位"] = "请填写整改责任单位"
    elif len(unit) > UNIT_MAX:
        errors["责任单位"] = f"不能超过{UNIT_MAX}字"
    if data.required_by is None:
        errors["要求完成日期"] = "请填写要求完成日期"
    elif data.listed_on is not None and data.required_by < data.listed_on:
        errors["要求完成日期"] = f"不能早于挂牌日期 {chinese_date(data.listed_on)}"
    note = (data.note or "").strip()
    if len(note) > NOTE_MAX:
        errors["督办要求"] = f"不能超过{NOTE_MAX}字"
    if errors:
        raise ValidationError(errors)
    assert data.listed_on is not None and data.required_by is not None
    listing = HazardListing(hazard_id=h.id, level=data.level, listed_on=data.listed_on, responsible_unit=unit,
                            required_by=data.required_by, note=note, listed_by_id=actor.user_id)
    session.add(listing)
    h.listing_level = data.level
    _event(session, actor, h, HazardAction.LISTED, data.listed_on,
           f"{data.level}挂牌督办，责任单位：{unit}，要求{chinese_date(data.required_by)}前完成整改"
           + (f"。{note}" if note else ""))
    session.flush()
    record(session, actor, "create", "hazard_listing", listing.id, after=snapshot(listing, _FIELDS),
           summary=f"{data.level}挂牌督办隐患 {h.code}")
    review_id = None
    if open_contractor_review and h.contractor_id is not None:
        review_id = open_review(session, actor, h.contractor_id, TRIGGER_LISTING, hazard_id=h.id,
                                note=f"隐患 {h.code} {data.level}挂牌督办", on=data.listed_on,
                                exclude_project_id=h.project_id)
    session.flush()
    return ListingResult(_info(listing), review_id, h.version)


def lift_listing(session: Session, actor: Actor, hazard_id: int, lifted_on: date | None, note: str,
                 version: int | None = None) -> ListingInfo:
    """摘牌: close the open listing (date not before it was listed) and clear ``listing_level``."""
    require(actor, "hazard.list")
    h = _hazard(session, hazard_id, version)
    listing = open_listing(session, h.id)
    if listing is None:
        raise ValidationError({"挂牌督办": f"{h.code} 未挂牌督办，无需摘牌"})
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if lifted_on is None:
        errors["摘牌日期"] = "请填写摘牌日期"
    elif lifted_on < listing.listed_on:
        errors["摘牌日期"] = f"不能早于挂牌日期 {chinese_date(listing.listed_on)}"
    if not note:
        errors["摘牌说明"] = "请填写摘牌说明（如整改完成、验收情况）"
    elif len(note) > NOTE_MAX:
        errors["摘牌说明"] = f"不能超过{NOTE_MAX}字"
    if errors:
        raise ValidationError(errors)
    assert lifted_on is not None
    before = snapshot(listing, _FIELDS)
    listing.lifted_on, listing.lifted_by_id, listing.lift_note = lifted_on, actor.user_id, note
    h.listing_level = ""
    _event(session, actor, h, HazardAction.LISTING_LIFTED, lifted_on, f"{listing.level}挂牌督办摘牌：{note}")
    session.flush()
    record(session, actor, "update", "hazard_listing", listing.id, before=before,
           after=snapshot(listing, _FIELDS), summary=f"隐患 {h.code} 摘牌")
    return _info(listing)
