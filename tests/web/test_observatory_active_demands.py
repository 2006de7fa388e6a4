"""Which demands are active at the end of a period when the status and the dated events disagree: the
demands are counted by their status, then corrected by their end date (indicators._count_demands), and
the result must be what the definition says, on both backends."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from portal.observatory.indicators import Filters, observatory
from tests.factories.demands import YEAR_2025, add_demand
from tests.factories.territory import create_commune

D = dt.date
BOTH = {"dalo": True, "pdalhpd": True}


def test_the_end_date_wins_over_the_status_and_an_undated_end_is_not_active(db):
    for table in (Allocation, HousingStock, DemandEvent, Demand):
        db.execute(delete(table))
    a = create_commune(db).insee
    # Counted active at the end of 2025:
    add_demand(
        db,
        1,
        a,
        "T2",
        D(2024, 1, 1),
        "allocated",
        facts=BOTH,
        events=[("allocation", D(2026, 2, 1), a, "T2")],
    )
    add_demand(
        db,
        2,
        a,
        "T2",
        D(2024, 1, 1),
        "struck_off",
        facts=BOTH,
        events=[("struck_off", D(2026, 3, 1), None, None)],
    )
    add_demand(db, 3, a, "T2", D(2024, 1, 1), "active", facts={"dalo": True})
    # Not active: ended by then whatever the status says, or said ended without a date.
    add_demand(
        db,
        4,
        a,
        "T2",
        D(2024, 1, 1),
        "active",
        facts=BOTH,
        events=[("struck_off", D(2025, 5, 1), None, None)],
    )
    add_demand(db, 5, a, "T2", D(2024, 1, 1), "allocated", facts=BOTH)
    add_demand(db, 6, a, "T2", D(2024, 1, 1), "struck_off", facts=BOTH)
    # Two dated ends: the first one counts (struck off in 2025, then allocated in 2026).
    add_demand(
        db,
        7,
        a,
        "T2",
        D(2024, 1, 1),
        "allocated",
        facts=BOTH,
        events=[("struck_off", D(2025, 6, 1), None, None), ("allocation", D(2026, 1, 10), a, "T2")],
    )
    # Filed after the period: not counted at all.
    add_demand(db, 8, a, "T2", D(2026, 1, 5), "active", facts=BOTH)
    db.flush()
    result = observatory(db, Filters(YEAR_2025), [a])
    for figures in (result.by_commune[a], result.by_commune_type[(a, "T2")], result.territory):
        assert figures.active_demands == 3  # 1, 2 and 3
        assert figures.dalo_demands == 3
        assert figures.pdalhpd_demands == 2  # 1 and 2
        assert figures.struck_off == 2  # 4 and 7 in 2025
    assert result.by_commune_type[(a, "T1")].active_demands == 0
