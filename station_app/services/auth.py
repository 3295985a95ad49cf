"""Users, argon2 passwords, login with lock-out after five failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.base import now
from station_app.db.database import Database
from station_app.errors import AuthError, DuplicateRecord, NotFound, ValidationError
from station_app.models import User
from station_app.models.enums import Role
from station_app.services import audit
from station_app.services.context import Actor, require
from station_app.services.validation import Checker, clean

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


def configure_hasher(*, time_cost: int, memory_cost: int, parallelism: int) -> None:
    """Replace the argon2 parameters (tests use cheap ones; the defaults are argon2-cffi's RFC profile)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    phone: str


def _info(u: User) -> UserInfo:
    return UserInfo(u.id, u.username, u.full_name, Role(u.role), u.active, u.locked_until, u.last_login_at,
                    u.phone)


def actor_of(u: User) -> Actor:
    return Actor(user_id=u.id, username=u.username, full_name=u.full_name, role=Role(u.role))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"密码": f"至少{MIN_PASSWORD_LENGTH}位"})
    if password.isdigit() or password.isalpha():
        raise ValidationError({"密码": "须同时包含字母和数字"})


def create_user(session: Session, actor: Actor, username: str, full_name: str, role: Role | str,
                password: str, phone: str = "") -> UserInfo:
    require(actor, "users.manage")
    username, full_name = clean(username), clean(full_name)
    c = Checker()
    c.required("用户名", username)
    c.required("姓名", full_name)
    c.one_of("角色", str(role), [r.value for r in Role])
    if username and not username.replace("_", "").replace(".", "").isalnum():
        c.add("用户名", "只能包含字母、数字、下划线和点")
    c.check()
    _check_password_strength(password)
    if session.scalar(select(func.count(User.id)).where(func.lower(User.username) == username.lower())):
        raise DuplicateRecord(f"用户名“{username}”已存在。")
    user = User(username=username, full_name=full_name, role=Role(role).value,
                password_hash=hash_password(password), phone=clean(phone))
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id,
                 after={"username": username, "full_name": full_name, "role": user.role},
                 summary=f"新增用户 {username}")
    return _info(user)


def _attempt(session: Session, username: str, password: str, at: datetime) -> Actor | AuthError:
    """One login attempt. A failure is returned, not raised, so its counter is committed."""
    user = session.scalar(select(User).where(func.lower(User.username) == clean(username).lower()))
    if user is None:
        return AuthError("用户名或密码错误。")
    if not user.active:
        return AuthError("该账号已停用，请联系管理员。")
    if user.locked_until and user.locked_until > at:
        minutes = max(1, int((user.locked_until - at).total_seconds() // 60) + 1)
        return AuthError(f"连续登录失败次数过多，账号已锁定，请{minutes}分钟后再试。")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        who = actor_of(user)
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = at + timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            audit.record(session, who, "login_failed", "user", user.id, summary="连续5次密码错误，锁定15分钟")
            return AuthError(f"连续{MAX_FAILED_LOGINS}次密码错误，账号已锁定{LOCK_MINUTES}分钟。")
        audit.record(session, who, "login_failed", "user", user.id, summary="密码错误")
        left = MAX_FAILED_LOGINS - user.failed_logins
        return AuthError(f"用户名或密码错误（再错{left}次将锁定{LOCK_MINUTES}分钟）。")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = at
    audit.record(session, actor_of(user), "login", "user", user.id, summary="登录")
    return actor_of(user)


def login(db: Database, username: str, password: str, *, at: datetime | None = None) -> Actor:
    """Check a login; five failures in a row lock the account for 15 minutes."""
    with db.write() as session:
        result = _attempt(session, username, password, at or now())
    if isinstance(result, AuthError):
        raise result
    return result


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。")
    return user


def reset_password(session: Session, actor: Actor, user_id: int, new_password: str) -> None:
    require(actor, "users.manage")
    _check_password_strength(new_password)
    user = _get(session, user_id)
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = True
    audit.record(session, actor, "update", "user", user.id, summary=f"重置用户 {user.username} 的密码")


def change_own_password(session: Session, actor: Actor, old_password: str, new_password: str) -> None:
    if actor.user_id is None:
        raise AuthError("系统账号不能修改密码。")
    user = _get(session, actor.user_id)
    try:
        _hasher.verify(user.password_hash, old_password)
    except (VerificationError, InvalidHashError):
        raise ValidationError({"原密码": "不正确"}) from None
    _check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    audit.record(session, actor, "update", "user", user.id, summary="修改本人密码")


def update_user(session: Session, actor: Actor, user_id: int, *, full_name: str | None = None,
                role: Role | str | None = None, active: bool | None = None, phone: str | None = None) -> UserInfo:
    require(actor, "users.manage")
    user = _get(session, user_id)
    before = audit.snapshot(user, ("full_name", "role", "active", "phone"))
    if role is not None:
        Checker().one_of("角色", str(role), [r.value for r in Role])
        if user.id == actor.user_id and Role(role) != Role.ADMIN:
            raise ValidationError({"角色": "不能取消自己的管理员角色"})
        user.role = Role(role).value
    if active is not None:
        if user.id == actor.user_id and not active:
            raise ValidationError({"状态": "不能停用自己的账号"})
        user.active = active
    if full_name is not None:
        if not clean(full_name):
            raise ValidationError({"姓名": "必填"})
        user.full_name = clean(full_name)
    if phone is not None:
        user.phone = clean(phone)
    if user.role != Role.ADMIN.value or not user.active:
        admins = session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN.value,
                                                                  User.active.is_(True), User.id != user.id))
        if not admins:
            raise ValidationError({"角色": "至少要保留一个启用的管理员账号"})
    audit.record(session, actor, "update", "user", user.id, before=before,
                 after=audit.snapshot(user, ("full_name", "role", "active", "phone")),
                 summary=f"修改用户 {user.username}")
    return _info(user)


def list_users(session: Session, *, active_only: bool = False) -> list[UserInfo]:
    stmt = select(User).order_by(User.id)
    if active_only:
        stmt = stmt.where(User.active.is_(True))
    return [_info(u) for u in session.scalars(stmt)]


def needs_password_change(session: Session, user_id: int | None) -> bool:
    """True after an admin reset the password: the user should choose their own at once."""
    if user_id is None:
        return False
    user = session.get(User, user_id)
    return bool(user and user.must_change_password)
