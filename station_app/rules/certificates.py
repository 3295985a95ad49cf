"""Certificate validity: 安管人员 A/B/C (住建部令第17号: 3 years), 建筑施工特种作业
(建质〔2008〕75号: 2 years), 安全生产许可证 (3 years); renewal may be applied for within the
3 months before expiry.

Expiry follows 民法典 第二百零二条: a period in years ends on the corresponding day of the
final year (the month's last day when there is none, e.g. 29 Feb → 28 Feb); the start day is
not counted. Certificates that print "至 YYYY-MM-DD" one day earlier are covered by storing
the printed date instead of computing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import refdata
from .calendar import add_months
from .errors import RuleInputError

__all__ = [
    "CertificateKind",
    "certificate_expiry",
    "certificate_kind",
    "certificate_kinds",
    "renewal_window_opens",
]


@dataclass(frozen=True)
class CertificateKind:
    kind: str
    label: str
    validity_years: int
    renewal_window_months: int
    basis: str


def certificate_kinds() -> list[CertificateKind]:
    return [
        CertificateKind(
            r["key"], r["label"], int(r["validity_years"]), int(r["renewal_window_months"]), r["basis"]
        )
        for r in refdata.active_rows("certificate_validity")
    ]


def certificate_kind(kind: str) -> CertificateKind:
    for spec in certificate_kinds():
        if kind in (spec.kind, spec.label):
            return spec
    known = "、".join(s.kind for s in certificate_kinds())
    raise RuleInputError(f"参数 kind（证书类别）无效：“{kind}”；可选：{known}")


def certificate_expiry(kind: str, issued: date) -> date:
    """Last day of validity: ``issued`` + validity years (corresponding day)."""
    if not isinstance(issued, date):
        raise RuleInputError(f"参数 issued（发证日期）应为日期：{issued!r}")
    return add_months(issued, 12 * certificate_kind(kind).validity_years)


def renewal_window_opens(kind: str, expiry: date) -> date:
    """First day on which renewal (延续/延期复核) may be applied for: expiry − window months."""
    if not isinstance(expiry, date):
        raise RuleInputError(f"参数 expiry（有效期届满日）应为日期：{expiry!r}")
    return add_months(expiry, -certificate_kind(kind).renewal_window_months)
