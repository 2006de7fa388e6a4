"""The scoring engine against hand-computed cases and properties that hold for every demand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.cotation.engine import Facts, months_between, score
from portal.cotation.grids import grid_in_force, read_grids
from tests.support import CONTENT_DIR

GRIDS = read_grids(CONTENT_DIR / "cotation")[1]
GENERAL = grid_in_force(GRIDS, "general", dt.date(2026, 11, 28)).grid
ON = dt.date(2026, 11, 28)


def total(
    values: dict,
    on_date: dt.date = ON,
    checked=frozenset(),
) -> int:
    return score(Facts(values, frozenset(checked)), GENERAL, on_date).total


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2026, 1, 15), dt.date(2026, 3, 14), 1),
        (dt.date(2026, 1, 15), dt.date(2026, 3, 15), 2),
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28), 0),
        (dt.date(2024, 11, 28), dt.date(2026, 11, 28), 24),
        (dt.date(2027, 1, 1), dt.date(2026, 1, 1), 0),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


def test_a_demand_filed_ten_months_ago_with_dalo():
    result = score(
        Facts({"filed_on": dt.date(2026, 1, 20), "dalo": True}, frozenset({"dalo"})),
        GENERAL,
        ON,
    )
    assert [(line.code, line.points) for line in result.lines] == [("anciennete", 10), ("dalo", 50)]
    assert result.total == 60 and not result.provisional


def test_seniority_is_capped_and_the_abnormal_delay_adds_its_points():
    assert total({"filed_on": dt.date(2016, 1, 1)}) == 120 + 20
    # The Sarthe's abnormal delay, 12 months (general grid v2): reached on the day.
    assert total({"filed_on": dt.date(2025, 11, 28)}) == 12 + 20
    assert total({"filed_on": dt.date(2025, 11, 29)}) == 11


@pytest.mark.parametrize(
    ("size", "surface", "overcrowded"),
    [
        (1, 8.5, True),
        (1, 9, False),  # 9 m² for one person
        (2, 15, True),
        (2, 16, False),  # 16 m² for two
        (3, 24.9, True),
        (3, 25, False),  # 9 m² more per extra person
        (8, 69, True),
        (8, 70, False),
        (12, 69, True),  # never more than 70 m²
        (12, 70, False),
        (4, None, False),  # surface unknown: only the declared fact counts
    ],
)
def test_overcrowding_follows_the_decency_standard(size, surface, overcrowded):
    facts = {"filed_on": ON, "household_size": size, **({"surface": surface} if surface is not None else {})}
    assert total(facts) == (15 if overcrowded else 0)
    assert total({**facts, "overcrowding": True}) == 15, "declared overcrowding still counts"


def test_housing_cost_ratio_bands():
    assert [total({"housing_cost_ratio": value}) for value in (29.9, 30, 39.9, 40, 49, 50, 85)] == [
        0,
        5,
        5,
        10,
        10,
        15,
        15,
    ]


def test_only_the_highest_hosted_situation_counts():
    result = score(Facts({"hosted": True, "temporary_housing": True}), GENERAL, ON)
    counted = [line.code for line in result.lines if line.counted]
    assert counted == ["hebergement_temporaire"] and result.total == 25
    assert [line.code for line in result.lines if not line.counted] == ["heberge_tiers"]


def test_refusals_cost_ten_points_each_up_to_three():
    assert [total({"refusals": count}) for count in range(5)] == [0, -10, -20, -30, -30]


def test_a_declared_fact_not_checked_makes_the_score_provisional():
    assert score(Facts({"violence": True}), GENERAL, ON).provisional
    assert not score(Facts({"violence": True}, frozenset({"violence"})), GENERAL, ON).provisional


facts = st.fixed_dictionaries(
    {
        "filed_on": st.dates(dt.date(2010, 1, 1), dt.date(2026, 11, 28)),
        "dalo": st.booleans(),
        "pdalhpd": st.booleans(),
        "violence": st.booleans(),
        "disability": st.booleans(),
        "eviction": st.booleans(),
        "homeless": st.booleans(),
        "temporary_housing": st.booleans(),
        "hosted": st.booleans(),
        "overcrowding": st.booleans(),
        "job_distance": st.booleans(),
        "housing_cost_ratio": st.floats(0, 120, allow_nan=False),
        "refusals": st.integers(0, 6),
    }
)


@given(facts, st.integers(0, 200))
def test_seniority_never_lowers_a_score(values, days):
    later = ON + dt.timedelta(days=days)
    assert total(values, later) >= total(values, ON)


@given(facts)
def test_the_total_is_the_sum_of_the_counted_lines(values):
    result = score(Facts(values), GENERAL, ON)
    assert result.total == sum(line.points for line in result.lines if line.counted)


@given(facts)
def test_an_exclusive_group_counts_only_its_highest_criterion(values):
    result = score(Facts(values), GENERAL, ON)
    group = [
        line
        for line in result.lines
        if line.code in ("sans_logement", "hebergement_temporaire", "heberge_tiers")
    ]
    counted = [line for line in group if line.counted]
    assert len(counted) == (1 if group else 0)
    if group:
        assert counted[0].points == max(line.points for line in group)


@given(facts)
def test_each_refusal_costs_its_points_once(values):
    base = dict(values, refusals=0)
    for count in range(1, 4):
        assert total(dict(base, refusals=count)) == total(base) - 10 * count


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 28), 30, dt.date(2024, 5, 28)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
        (dt.date(2026, 1, 15), 0, dt.date(2026, 1, 15)),
    ],
)
def test_months_before_is_the_inverse_of_months_between(day, months, expected):
    from portal.clock import months_before

    assert months_before(day, months) == expected
    assert months_between(expected, day) == months
