"""Errors the services raise. Their text is Simplified Chinese and is shown to the clerk as is."""

from __future__ import annotations


class StationError(Exception):
    """Base of every error meant for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(StationError):
    """Bad input. ``errors`` maps field label → message; nothing was saved."""

    def __init__(self, errors: dict[str, str] | str, field: str | None = None) -> None:
        if isinstance(errors, str):
            errors = {field or "": errors}
        self.errors = dict(errors)
        parts = [f"{k}：{v}" if k else v for k, v in self.errors.items()]
        super().__init__("；".join(parts))


class PermissionDenied(StationError):
    pass


class NotFound(StationError):
    pass


class DuplicateRecord(StationError):
    pass


class StaleRecord(StationError):
    """The record changed since the form loaded it (another clerk saved first)."""

    def __init__(self, what: str = "该记录") -> None:
        super().__init__(f"{what}已被他人修改，请刷新后重试。")


class AuthError(StationError):
    pass


class DatabaseUnavailable(StationError):
    """The database file is locked, read-only, corrupt, or the disk is full."""


class SchemaTooNew(StationError):
    pass
