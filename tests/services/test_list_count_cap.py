"""``ListSpec.count(cap=…)`` on SQLite and PostgreSQL: stops at the cap, exact below it, and keeps the
search terms and filters (the ledger's count reads ``hazards`` alone; the projects list joins nothing)."""

from __future__ import annotations

from station_app.services.hazards.ledger import HAZARD_LIST
from station_app.services.listing import ListQuery
from station_app.services.registry.project_table import PROJECT_LIST
from tests.services.hazards.hazard_fixtures import HazardSite
from tests.services.hazards.test_hazard_list import ledger  # noqa: F401


def test_capped_counts(ledger: tuple[HazardSite, dict[str, int]]) -> None:  # noqa: F811
    hs, ids = ledger
    with hs.station.db.read() as s:
        everything = HAZARD_LIST.count(s, ListQuery())
        assert everything == len(ids) == 5
        assert HAZARD_LIST.count(s, ListQuery(), cap=3) == 3
        assert HAZARD_LIST.count(s, ListQuery(), cap=50) == 5
        searched = ListQuery(text="YH")  # every code
        assert HAZARD_LIST.count(s, searched, cap=4) == 4
        assert HAZARD_LIST.count(s, ListQuery(text="配电箱"), cap=4) == 1
        assert HAZARD_LIST.count(s, ListQuery(text="YH", filters={"open": True}), cap=50) == \
            HAZARD_LIST.count(s, ListQuery(filters={"open": True}))
        projects = PROJECT_LIST.count(s, ListQuery())
        assert projects >= 1
        assert PROJECT_LIST.count(s, ListQuery(), cap=1) == 1
