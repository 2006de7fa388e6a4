"""The example grids of other territories (content/cotation/examples/) load with their dictionaries and give
hand-computed totals to households worked out on paper."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.cotation.engine import FLOOR, Event, Facts, score
from portal.cotation.grids import read_grids
from tests.support import CONTENT_DIR

EXAMPLES = CONTENT_DIR / "cotation" / "examples"
ON = dt.date(2026, 12, 7)


def grid(name: str):
    _, grids = read_grids(EXAMPLES / name)
    assert len(grids) == 1
    return grids[0].grid


def household(filed_on=ON, size=1, first="72181", events=(), checked=(), **values) -> Facts:
    base = {"filed_on": filed_on, "household_size": size, "dwelling_type": "T3", "first_commune": first}
    return Facts({**base, "communes": (first,), **values}, frozenset(checked), tuple(events))


def points(result) -> dict[str, int]:
    return {line.code: line.points for line in result.lines if line.counted}


@pytest.mark.parametrize("name", ["toulouse", "paris", "dunkerque"])
def test_every_example_loads_with_its_dictionary(name):
    assert grid(name).criteria


def test_toulouse_seniority_the_abnormal_delay_exceeded_and_one_priority():
    toulouse = grid("toulouse")
    # 42 months: 42 points, +20 past 36 months; DALO 50 and PDALHPD 40 in one group: 50 counts.
    result = score(household(dt.date(2023, 6, 7), dalo=True, pdalhpd=True), toulouse, ON)
    assert points(result) == {"anciennete": 42, "delai_anormal": 20, "dalo": 50}
    assert result.total == 112
    # 36 months exactly: "plus de 36 mois" is not reached yet.
    assert score(household(dt.date(2023, 12, 7)), toulouse, ON).total == 36


def test_paris_rubrics_effort_rate_and_scope():
    paris = grid("paris")
    # 4 people in 2 rooms: 4; end of cohabitation (2) and living at parents' (1): 2 counts;
    # net effort rate 100 x (900 - 100) x 12 / 16,000 = 60 %: 6; 60 months of waiting: 4.
    family = household(
        dt.date(2021, 12, 7),
        4,
        "75056",
        rooms=2,
        end_of_cohabitation=True,
        living_with_parents=True,
        rent=900,
        housing_aid=100,
        income=16000,
    )
    result = score(family, paris, ON)
    assert points(result) == {"suroccupation": 4, "fin_cohabitation": 2, "taux_effort": 6, "anciennete": 4}
    assert result.total == 16
    # Homeless and overcrowded are one rubric: 17 counts, not 21.
    assert score(household(size=4, first="75056", rooms=2, homeless=True), paris, ON).total == 17
    assert score(household(first="92012", homeless=True), paris, ON).excluded == "hors_paris"
    assert score(household(first="75056", accord_collectif=True), paris, ON).excluded == "accord_collectif"


def test_dunkerque_computed_money_criteria_and_refusals():
    dunkerque = grid("dunkerque")
    refusals = [Event("refusal", dt.date(2026, month, 1)) for month in (3, 6, 9)]
    # 38 months: 38 + 20 (past 36); 3 people, one child under 14: 1.8 consumption units;
    # 1,250 € a month less 450 € of net rent = 800 / 1.8 = 444 € (no points);
    # effort rate 100 x 450 x 12 / 15,000 = 36 %: 5; three refusals in 12 months, two counted: -30.
    family = household(
        dt.date(2023, 10, 7),
        3,
        events=refusals,
        children_under_14=1,
        income=15000,
        rent=600,
        housing_aid=150,
        surface=40,
        rooms=3,
        housing_situation="tenant",
    )
    result = score(family, dunkerque, ON)
    assert points(result) == {"anciennete": 38, "delai_anormal": 20, "taux_effort": 5, "refus": -30}
    assert result.total == 33


def test_dunkerque_situations_young_household_and_points_that_end():
    dunkerque = grid("dunkerque")
    # 2 people: 1.5 units; 750 € less 300 € = 450 / 1.5 = 300 €: 10; effort rate exactly 40 %: 5 (not above);
    # hosted by a third party 10; 26 years old and two: 5; separated in June: 30 until 1 June 2027;
    # in a job since 7 September, 3 months: 20 - 6 = 14 until 7 July 2027 (demand naming Dunkerque);
    # violence declared but not proved: nothing yet.
    couple = dict(
        income=9000,
        rent=500,
        housing_aid=200,
        housing_situation="third_party",
        birth_year=2000,
        separated_on=dt.date(2026, 6, 1),
        job_started_on=dt.date(2026, 9, 7),
        violence=True,
    )
    result = score(household(size=2, first="59183", **couple), dunkerque, ON)
    assert points(result) == {
        "reste_a_vivre": 10,
        "taux_effort": 5,
        "heberge_tiers": 10,
        "jeune_menage": 5,
        "decohabitation": 30,
        "emploi": 14,
    }
    until = {line.code: line.until for line in result.lines if line.until}
    assert until == {"decohabitation": dt.date(2027, 6, 1), "emploi": dt.date(2027, 7, 7)}
    assert result.provisional, "declared situations are to be checked"
    assert score(household(size=2, first="59350", **couple), dunkerque, ON).total == 74 - 14, "scope"
    proved = score(household(size=2, first="59183", checked=("violence",), **couple), dunkerque, ON)
    assert proved.total == 74 + 40


def test_dunkerque_overcrowding_with_children_exclusions_and_floor():
    dunkerque = grid("dunkerque")
    # 4 people: the standard is 16 + 2 x 9 = 34 m²; 30 m² with two children under 14: 10.
    crowded = household(size=4, children_under_14=2, surface=30)
    assert points(score(crowded, dunkerque, ON)) == {"suroccupation": 10}
    assert "suroccupation" not in points(score(household(size=4, surface=30), dunkerque, ON)), "no child"
    assert score(household(pdalhpd=True), dunkerque, ON).excluded == "pdalhpd"
    refused = household(
        events=[Event("refusal", dt.date(2026, 11, 1)), Event("refusal", dt.date(2026, 11, 2))]
    )
    result = score(refused, dunkerque, ON)
    assert points(result) == {"refus": -30, FLOOR: 30} and result.total == 0
