"""The observatory's indicators on a hand-made data set whose every figure is worked out below, on both
backends: demands active at the end of the period, new ones, allocations with their waits and details,
renewals and strikings-off, the stock of the latest count, the groupings, the landlord filter and the
statistical secrecy of the public figures."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from portal.demands.models import Allocation, Demand, DemandEvent, HousingStock
from portal.observatory.figures import Period, public
from portal.observatory.indicators import Filters, observatory
from portal.observatory.models import FiguresSnapshot
from tests.factories.demands import YEAR_2025, add_demand
from tests.factories.territory import create_commune

D = dt.date


@pytest.fixture
def data(db):
    """Two communes of our own and nothing else (the demo data are removed inside the test's transaction)."""
    for table in (Allocation, HousingStock, DemandEvent, Demand):
        db.execute(delete(table))
    a, b = create_commune(db).insee, create_commune(db).insee
    add_demand(db, 1, a, "T3", D(2024, 3, 1))
    add_demand(db, 2, a, "T3", D(2025, 2, 1), facts={"dalo": True})
    add_demand(db, 3, a, "T3", D(2025, 6, 1), mutation=True, facts={"pdalhpd": True, "dalo": False})
    add_demand(db, 4, a, "T3", D(2024, 1, 1), "allocated", events=[("allocation", D(2025, 7, 1), a, "T3")])
    add_demand(
        db,
        5,
        a,
        "T3",
        D(2025, 1, 10),
        "allocated",
        mutation=True,
        events=[("allocation", D(2025, 4, 10), a, "T3")],
    )
    add_demand(
        db, 6, a, "T3", D(2023, 5, 1), "struck_off", events=[("struck_off", D(2025, 3, 1), None, None)]
    )
    add_demand(
        db,
        7,
        a,
        "T3",
        D(2024, 6, 1),
        "allocated",
        events=[("renewed", D(2025, 6, 1), None, None), ("allocation", D(2026, 1, 15), a, "T3")],
    )
    add_demand(db, 8, a, "T3", D(2026, 1, 2))
    # Filed for a T2 in B, allocated a T2 in A (the allocations file says where it was).
    add_demand(db, 9, b, "T2", D(2024, 9, 1), "allocated", events=[("allocation", D(2025, 9, 1), b, "T2")])
    add_demand(db, 10, b, "T2", D(2025, 3, 1))
    db.add_all(
        [
            Allocation(
                demand_number=f"{5:013d}TEST1",
                allocated_on=D(2025, 4, 10),
                commune_insee=a,
                dwelling_type="T3",
                landlord="L1",
                priority="dalo",
                in_qpv=False,
                lowest_quartile=True,
            ),
            Allocation(
                demand_number=f"{9:013d}TEST1",
                allocated_on=D(2025, 9, 1),
                commune_insee=a,
                dwelling_type="T2",
                landlord="L2",
                priority="accord_collectif",
                in_qpv=True,
                lowest_quartile=False,
            ),
        ]
    )
    db.add_all(
        [
            HousingStock(year=2024, commune_insee=a, dwelling_type="T3", landlord="L1", dwellings=100),
            HousingStock(year=2024, commune_insee=a, dwelling_type="T2", landlord="L2", dwellings=50),
            HousingStock(year=2025, commune_insee=a, dwelling_type="T3", landlord="L1", dwellings=120),
            HousingStock(year=2025, commune_insee=a, dwelling_type="T2", landlord="L2", dwellings=60),
            HousingStock(year=2025, commune_insee=b, dwelling_type="T2", landlord="L1", dwellings=30),
            HousingStock(year=2026, commune_insee=a, dwelling_type="T3", landlord="L1", dwellings=999),
        ]
    )
    db.flush()
    return a, b


def test_every_indicator_of_a_commune_matches_the_hand_count(db, data):
    a, b = data
    figures = observatory(db, Filters(YEAR_2025), [a, b]).by_commune[a]
    assert figures.active_demands == 4  # 1, 2, 3 and 7 (allocated after the period)
    assert figures.new_demands == 3  # 2, 3 and 5 (8 was filed after the period)
    assert figures.allocations == 3  # 4 and 5, and 9 allocated here although filed for B
    assert figures.pressure == 1.3  # 4 / 3
    assert figures.wait_median_months == 12.0  # waits 90, 365, 547 days: 365 days
    assert figures.wait_p75_months == 15.0  # 456 days
    assert (figures.transfer_demands, figures.transfer_share_demands) == (1, 0.25)
    assert (figures.transfer_allocations, figures.transfer_share_allocations) == (1, 0.3333)
    assert (figures.dalo_demands, figures.pdalhpd_demands) == (1, 1)
    assert (figures.dalo_allocations, figures.accord_allocations, figures.priority_allocations) == (1, 1, 2)
    assert figures.detailed_allocations == 2
    assert (figures.renewals, figures.struck_off) == (1, 1)
    assert (figures.lowest_quartile_base, figures.lowest_quartile_share) == (1, 1.0)  # 9 was in a QPV
    assert figures.stock == 180  # the 2025 count (2026's is after the period)


def test_groupings_add_up_to_the_territory(db, data):
    a, b = data
    result = observatory(db, Filters(YEAR_2025), [a, b])
    assert result.stock_year == 2025
    assert (result.by_commune[b].active_demands, result.by_commune[b].new_demands) == (1, 1)
    assert (result.by_commune[b].allocations, result.by_commune[b].pressure) == (0, None)
    assert result.territory.active_demands == 5 and result.territory.allocations == 3
    assert result.territory.stock == 210
    assert (result.by_type["T3"].active_demands, result.by_type["T3"].allocations) == (4, 2)
    assert (result.by_type["T2"].active_demands, result.by_type["T2"].allocations) == (1, 1)
    assert result.by_type["T1"].active_demands == 0, "every type appears"
    assert result.by_commune_type[(a, "T2")].allocations == 1
    assert result.by_commune_type[(b, "T2")].stock == 30
    assert sum(f.active_demands for f in result.by_commune.values()) == result.territory.active_demands


def test_filters_on_commune_type_landlord_and_period(db, data):
    a, _b = data
    only_a = observatory(db, Filters(YEAR_2025, commune=a)).territory
    assert (only_a.active_demands, only_a.allocations) == (4, 3)
    t2 = observatory(db, Filters(YEAR_2025, dwelling_type="T2")).territory
    assert (t2.active_demands, t2.allocations, t2.stock) == (1, 1, 90)
    landlord = observatory(db, Filters(YEAR_2025, landlord="L1")).territory
    assert (landlord.allocations, landlord.stock, landlord.active_demands) == (1, 150, 5)
    spring = observatory(db, Filters(Period(D(2025, 3, 1), D(2025, 6, 30)))).territory
    # Active on 30 June: 1, 2, 3, 4 (allocated in July), 7, 9 (allocated in September), 10.
    assert spring.active_demands == 7
    assert (spring.new_demands, spring.allocations, spring.renewals, spring.struck_off) == (2, 1, 1, 1)
    assert spring.stock == 210, "the 2025 count still"


def test_public_figures_hide_what_rests_on_fewer_than_five_households(db, data):
    a, _b = data
    figures = public(observatory(db, Filters(YEAR_2025), [a]).by_commune[a])
    assert figures.active_demands is None and figures.allocations is None
    assert figures.pressure is None and figures.wait_median_months is None
    assert figures.stock == 180, "dwellings are not households"
    assert {"active_demands", "allocations", "pressure", "wait_median_months"} <= set(figures.hidden)
    empty = public(observatory(db, Filters(YEAR_2025), [a]).by_type["T1"])
    assert empty.active_demands == 0 and empty.hidden == (), "zero says nothing about anyone"


def test_an_empty_database_gives_zeros_not_errors(db):
    for table in (Allocation, HousingStock, DemandEvent, Demand):
        db.execute(delete(table))
    result = observatory(db, Filters(YEAR_2025))
    assert result.territory.active_demands == 0 and result.territory.pressure is None
    assert result.stock_year is None and set(result.by_type) == {"T1", "T2", "T3", "T4", "T5"}


def test_last_year_is_the_twelve_months_before_the_day():
    assert Period.year_before(D(2026, 11, 28)) == Period(D(2025, 11, 28), D(2026, 11, 27))
    assert Period.year_before(D(2025, 3, 1)) == Period(D(2024, 3, 1), D(2025, 2, 28))


def test_the_snapshot_serves_each_commune_masked_and_keeps_a_week(db, data):
    from portal.observatory import services

    a, _b = data
    services.forget()
    day = D(2026, 1, 1)  # the twelve months of 2025
    services.refresh(db, day)
    figures = services.public_figures(db, day, a)
    assert figures.snapshot.period == YEAR_2025
    assert figures.overall.stock == 180 and figures.overall.active_demands is None, "4 households: secret"
    assert figures.by_type["T3"].stock == 120 and figures.hides_something
    territory = services.public_figures(db, day)
    assert territory.overall.active_demands == 5 and territory.overall.allocations is None
    assert services.public_figures(db, day, "00000") is None
    for _ in range(services.KEEP_SNAPSHOTS + 2):
        services.refresh(db, day)
    assert db.scalar(select(func.count()).select_from(FiguresSnapshot)) == services.KEEP_SNAPSHOTS
    assert services.demands_per_allocation(observatory(db, Filters(YEAR_2025), [a]).by_commune[a]) == 1
    services.forget()


def test_the_first_reading_computes_the_snapshot(db, data):
    from portal.observatory import services

    services.forget()
    db.execute(delete(FiguresSnapshot))
    figures = services.public_figures(db, D(2026, 1, 1))
    assert figures.overall.active_demands == 5
    assert db.scalar(select(func.count()).select_from(FiguresSnapshot)) == 1
    services.forget()
