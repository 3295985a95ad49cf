"""The work areas in the navigation and how each area's page is built (on its first visit).

A factory imports its page module when called, so start-up loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from station_app.views.app_context import AppContext


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    group: str


AREAS: tuple[Area, ...] = (
    Area("home", "首页", ""),
    Area("projects", "项目", "基础登记"),
    Area("enterprises", "企业", "基础登记"),
    Area("persons", "人员", "基础登记"),
    Area("grids", "网格与分工", "基础登记"),
    Area("inspections", "监督检查", "监督执法"),
    Area("hazards", "隐患台账", "监督执法"),
    Area("documents", "执法文书", "监督执法"),
    Area("penalties", "行政处罚", "监督执法"),
    Area("insurance", "安责险", "专项管理"),
    Area("safety_fees", "安全费用", "专项管理"),
    Area("dangerous_works", "危大工程", "专项管理"),
    Area("cranes", "起重机械", "专项管理"),
    Area("certificates", "人员证书", "专项管理"),
    Area("accidents", "事故", "专项管理"),
    Area("monthly", "月报", "统计报表"),
    Area("settings", "系统设置", "系统"),
)


def _home(ctx: AppContext) -> QWidget:
    from station_app.views.home import HomePage

    return HomePage(ctx)


def _projects(ctx: AppContext) -> QWidget:
    from station_app.views.registry.projects_page import ProjectsPage

    return ProjectsPage(ctx)


def _enterprises(ctx: AppContext) -> QWidget:
    from station_app.views.registry.enterprises_page import EnterprisesPage

    return EnterprisesPage(ctx)


def _persons(ctx: AppContext) -> QWidget:
    from station_app.views.registry.persons_page import PersonsPage

    return PersonsPage(ctx)


def _grids(ctx: AppContext) -> QWidget:
    from station_app.views.supervision.page import SupervisionPage

    return SupervisionPage(ctx)


def _inspections(ctx: AppContext) -> QWidget:
    from station_app.views.inspections.page import InspectionsPage

    return InspectionsPage(ctx)


def _safety_fees(ctx: AppContext) -> QWidget:
    from station_app.views.safety_fees.page import SafetyFeesPage

    return SafetyFeesPage(ctx)


def _documents(ctx: AppContext) -> QWidget:
    from station_app.views.documents.page import DocumentsPage

    return DocumentsPage(ctx)


def _penalties(ctx: AppContext) -> QWidget:
    from station_app.views.penalties.page import CasesPage

    return CasesPage(ctx)


def _hazards(ctx: AppContext) -> QWidget:
    from station_app.views.hazards.page import HazardsPage

    return HazardsPage(ctx)


def _insurance(ctx: AppContext) -> QWidget:
    from station_app.views.insurance.page import InsurancePage

    return InsurancePage(ctx)


def _monthly(ctx: AppContext) -> QWidget:
    from station_app.views.monthly.page import MonthlyPage

    return MonthlyPage(ctx)


#: areas with a real page; every other area shows its coming-soon page
PAGE_FACTORIES: dict[str, Callable[[AppContext], QWidget]] = {
    "home": _home,
    "projects": _projects,
    "enterprises": _enterprises,
    "persons": _persons,
    "grids": _grids,
    "inspections": _inspections,
    "insurance": _insurance,
    "hazards": _hazards,
    "penalties": _penalties,
    "documents": _documents,
    "safety_fees": _safety_fees,
    "monthly": _monthly,
}
