"""What similar demands became and what widening a choice changes, on hand-counted data sets, on both
backends: the cohort's bounds, the horizons, the fallbacks, the pools of the what-if."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete

from portal.demands import chances
from portal.demands.models import Allocation, Demand, DemandEvent, DemandOutcome
from portal.observatory.figures import SECRECY_THRESHOLD
from tests.factories.demands import COULAINES, LE_MANS, create_demand, le_mans_t3, many_demands

TODAY = dt.date(2026, 12, 7)  # cohort: filed from December 2020 to November 2023
FATINES = "72129"  # 11 km from Le Mans, nobody within 10 km of it
D = dt.date


@pytest.fixture
def empty(db, db_app):
    """No demand but the test's own (the demo demands are removed in the test's transaction), in the
    portal's context (the territory's communes)."""
    for table in (DemandEvent, Allocation, Demand, DemandOutcome):
        db.execute(delete(table))
    with db_app.app_context():
        yield db


def test_the_cohort_is_hand_counted(empty):
    le_mans_t3(empty)
    assert chances.rebuild_outcomes(empty, TODAY) > 0
    outcome = chances.similar_outcome(empty, False, "T3", LE_MANS, TODAY)
    assert outcome.scope == "commune" and outcome.demands == 22
    assert outcome.within == ((6, 6 / 22), (12, 9 / 22), (24, 10 / 22), (36, 10 / 22))
    assert (outcome.housed, outcome.ended, outcome.waiting) == (11 / 22, 2 / 22, 9 / 22)
    assert (outcome.filed_from, outcome.filed_to) == (D(2020, 12, 1), D(2023, 11, 30))
    assert outcome.tenths(24) == 5  # 10 in 22: "5 in 10"


def test_a_month_later_the_cohort_moves_on(empty):
    le_mans_t3(empty)
    chances.rebuild_outcomes(empty, TODAY)
    later = chances.cohort(empty, False, ("T3",), (LE_MANS,), D(2027, 1, 2), "commune")
    # January 2027: filed from January 2021 to December 2023; the 5 demands of 1 December 2023 join
    assert later.demands == 27 and later.share_within(6) == 11 / 27


def test_too_few_in_the_commune_widens_to_the_neighbours_then_to_the_territory(empty):
    le_mans_t3(empty)
    many_demands(empty, 3, D(2022, 5, 2), commune=FATINES)
    empty.flush()
    chances.rebuild_outcomes(empty, TODAY)
    # Coulaines has 3 demands of its own; with Le Mans, 2 km away, and the others within 10 km: 25
    near = chances.similar_outcome(empty, False, "T3", COULAINES, TODAY)
    assert near.scope == "neighbours" and near.demands == 25
    far = chances.similar_outcome(empty, False, "T3", FATINES, TODAY)
    assert far.scope == "territory" and far.demands == 28
    assert chances.similar_outcome(empty, True, "T3", LE_MANS, TODAY) is None  # 5 transfers in all


def test_the_smallest_group_shown_is_above_statistical_secrecy():
    assert chances.MIN_COHORT >= SECRECY_THRESHOLD


def test_the_rebuild_replaces_the_counts(empty):
    le_mans_t3(empty)
    chances.rebuild_outcomes(empty, TODAY)
    empty.execute(delete(DemandEvent))
    empty.execute(delete(Demand))
    assert chances.rebuild_outcomes(empty, TODAY) == 0
    assert chances.similar_outcome(empty, False, "T3", LE_MANS, TODAY) is None


@pytest.mark.parametrize(
    ("size", "types"),
    [(1, ("T1", "T2")), (2, ("T1", "T2", "T3")), (3, ("T2", "T3", "T4")), (5, ("T4", "T5")), (8, ("T5",))],
)
def test_the_dwelling_types_that_fit_a_household(size, types):
    assert chances.fitting_types(size) == types


def scored(session, score, *, commune=LE_MANS, dwelling="T3", filed_on=None, size=2):
    demand = create_demand(session, filed_on or D(2025, 1, 1), commune, dwelling)
    demand.score_total, demand.household_size = score, size
    return demand


def test_what_if_counts_the_wider_pools(empty):
    le_mans_t3(empty)
    mine = scored(empty, 40, size=3)
    scored(empty, 50)
    scored(empty, 30)
    scored(empty, 40, filed_on=D(2026, 1, 1))  # the same score, filed later: behind
    scored(empty, 45, commune=COULAINES)
    scored(empty, 20, commune=COULAINES)
    scored(empty, 40, commune=COULAINES, filed_on=D(2024, 1, 1))  # the same score, filed first: ahead
    scored(empty, 40, commune=COULAINES, filed_on=D(2025, 6, 1))  # … filed later: behind
    scored(empty, 60, dwelling="T4")
    scored(empty, 45, dwelling="T4", commune=COULAINES)  # neither pool: another type and commune
    empty.flush()
    chances.rebuild_outcomes(empty, TODAY)
    similar, found = chances.what_if(empty, mine, TODAY)
    assert similar == chances.similar_outcome(empty, False, "T3", LE_MANS, TODAY)
    options = {(option.kind, option.types): option for option in found}
    now = options[("now", ("T3",))]
    assert (now.ahead, now.total) == (1, 4) and now.outcome.demands == 22
    near = options[("neighbours", ("T3",))]
    assert near.communes[0] == LE_MANS and COULAINES in near.communes and FATINES not in near.communes
    assert (near.ahead, near.total) == (3, 8) and near.outcome.demands == 25
    larger = options[("type", ("T3", "T4"))]
    assert (larger.ahead, larger.total) == (2, 5) and larger.outcome.demands == 27
    smaller = options[("type", ("T3", "T2"))]
    assert (smaller.ahead, smaller.total) == (1, 4)
    assert set(options) == {
        ("now", ("T3",)),
        ("neighbours", ("T3",)),
        ("type", ("T3", "T4")),
        ("type", ("T3", "T2")),
    }
    assert mine.score_total == 40 and mine.dwelling_type == "T3"  # nothing changed


def test_whole_months_count_like_the_calendar():
    assert chances.whole_months(D(2021, 3, 15), D(2021, 4, 14)) == 0
    assert chances.whole_months(D(2021, 3, 15), D(2021, 4, 15)) == 1
    assert chances.whole_months(D(2021, 1, 31), D(2021, 2, 28)) == 0
