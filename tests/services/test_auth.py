"""Login, lock-out, roles: on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from station_app.errors import AuthError, DuplicateRecord, PermissionDenied, ValidationError
from station_app.models.enums import Role
from station_app.services import audit, auth
from tests.conftest import PASSWORD, Station


def test_login_and_audit(station: Station) -> None:
    actor = auth.login(station.db, "clerk", PASSWORD)
    assert actor.role == Role.CLERK and actor.full_name == "陈内勤"
    with station.db.read() as s:
        rows = audit.list_audit(s, station.admin, audit.AuditFilter(username="clerk"))
    assert [r.action for r in rows] == ["login"]


def test_five_failures_lock_for_fifteen_minutes(station: Station) -> None:
    t0 = datetime(2026, 11, 23, 9, 0)
    for i in range(4):
        with pytest.raises(AuthError, match=f"再错{4 - i}次"):
            auth.login(station.db, "clerk", "wrong-pass1", at=t0)
    with pytest.raises(AuthError, match="锁定15分钟"):
        auth.login(station.db, "clerk", "wrong-pass1", at=t0)
    # even the right password is refused while locked
    with pytest.raises(AuthError, match="已锁定"):
        auth.login(station.db, "clerk", PASSWORD, at=t0 + timedelta(minutes=14))
    assert auth.login(station.db, "clerk", PASSWORD, at=t0 + timedelta(minutes=15, seconds=1)).username == "clerk"


def test_username_is_case_insensitive_and_unknown_user_is_vague(station: Station) -> None:
    assert auth.login(station.db, "CLERK", PASSWORD).username == "clerk"
    with pytest.raises(AuthError, match="用户名或密码错误"):
        auth.login(station.db, "nobody", PASSWORD)


def test_admin_resets_password_and_disables(station: Station) -> None:
    with station.db.write() as s:
        auth.reset_password(s, station.admin, station.clerk.user_id, "NewPass123")  # type: ignore[arg-type]
    with pytest.raises(AuthError):
        auth.login(station.db, "clerk", PASSWORD)
    assert auth.login(station.db, "clerk", "NewPass123").username == "clerk"
    with station.db.write() as s:
        auth.update_user(s, station.admin, station.clerk.user_id, active=False)  # type: ignore[arg-type]
    with pytest.raises(AuthError, match="停用"):
        auth.login(station.db, "clerk", "NewPass123")


def test_only_admin_manages_users(station: Station) -> None:
    for actor in (station.chief, station.clerk, station.supervisor, station.readonly):
        with pytest.raises(PermissionDenied, match="无权管理用户"), station.db.write() as s:
            auth.create_user(s, actor, "x1", "某某", Role.CLERK, PASSWORD)


def test_user_validation(station: Station) -> None:
    with pytest.raises(ValidationError, match="密码"), station.db.write() as s:
        auth.create_user(s, station.admin, "newuser", "新人", Role.CLERK, "short")
    with pytest.raises(DuplicateRecord), station.db.write() as s:
        auth.create_user(s, station.admin, "Clerk", "重名", Role.CLERK, PASSWORD)
    with pytest.raises(ValidationError, match="不能停用自己"), station.db.write() as s:
        auth.update_user(s, station.admin, station.admin.user_id, active=False)  # type: ignore[arg-type]
