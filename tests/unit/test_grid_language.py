"""The grid language: expressions, each new kind of criterion on hand-computed households, and properties
that hold for every demand (totals, limits, monotony, the end of expiring points around month ends)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.cotation.dictionary import read_dictionary
from portal.cotation.engine import CEILING, FLOOR, Event, Facts, elapsed_months, score
from portal.cotation.expressions import Context, ExpressionError, add_months, consumption_units, parse
from portal.cotation.grids import grid_from_mapping
from portal.information.eligibility import ceilings_on, read_all_ceilings
from tests.support import CONTENT_DIR

DICTIONARY = read_dictionary(CONTENT_DIR / "cotation" / "facts.yaml")
TYPES = DICTIONARY.types()
ON = dt.date(2026, 12, 7)
# The 2026 ceilings (content/ceilings/2026.yaml) in zone "other": PLUS 23,403 € for one person, 31,254 € for
# two, 37,584 € for three, 60,156 € for six, plus 6,710 € a person beyond.
CEILINGS = (ceilings_on(read_all_ceilings(CONTENT_DIR), dt.date(2026, 12, 7)), "other")


def label(text: str) -> dict:
    return {"fr": text}


def criterion(code: str, kind: str, fact: str = "", **rules) -> dict:
    item = {"code": code, "kind": kind, "label": label(code), "explanation": label(code), **rules}
    if fact:
        item["fact"] = fact
    return item


GRID = grid_from_mapping(
    {
        "code": "test",
        "kind": "general",
        "version": 1,
        "effective_from": dt.date(2026, 1, 1),
        "name": label("Test"),
        "floor": 0,
        "ceiling": 120,
        "ties": ["filed_on", {"fact": "household_size", "order": "descending"}],
        "computed": {
            "months_waiting": {"expression": "months_since(filed_on)", "label": label("Mois")},
            "remaining": {
                "expression": "(income / 12 - rent) / consumption_units(household_size, children_under_14)",
                "label": label("Reste à vivre"),
            },
            "persons_per_room": {"expression": "household_size / rooms", "label": label("Personnes")},
            "over_ceiling": {
                "expression": "income > income_ceiling('PLUS', household_size)",
                "label": label("Au-dessus du plafond"),
            },
        },
        "exclusions": [{"code": "anru", "when": "urban_renewal", "reason": label("Relogement ANRU.")}],
        "criteria": [
            criterion(
                "attente",
                "steps",
                "months_waiting",
                steps=[{"from": 24, "points": 10}, {"above": 36, "points": 20}],
            ),
            criterion("reste", "bands", "remaining", bands=[{"min": 0, "max": 300, "points": 15}]),
            criterion(
                "suroccupation",
                "steps",
                "persons_per_room",
                steps=[{"above": 2, "points": 12}],
                when="dependants >= 1",
            ),
            criterion("separation", "since", "separated_on", points=30, months=12),
            criterion("emploi", "since", "job_lost_on", points=24, fade=2),
            criterion("violences", "flag", "violence", points=40, when="checked(violence)"),
            criterion("heberge", "condition", when="housing_situation == 'with_third_party'", points=8),
            criterion("grands", "flag", "single_parent", points=5, scope={"dwelling_types": ["T4", "T5"]}),
            criterion("refus", "events", "refusal", points=-10, months=12, cap=2),
            criterion("proprietaire", "flag", "eviction", points=-5, when="over_ceiling"),
        ],
    },
    "test grid",
    DICTIONARY,
).grid


def facts(checked=(), events=(), **values) -> Facts:
    base = {"filed_on": ON, "household_size": 1, "dwelling_type": "T2", "communes": ("72181",)}
    return Facts({**base, **values}, frozenset(checked), tuple(events))


def lines(result) -> dict[str, int]:
    return {line.code: line.points for line in result.lines if line.counted}


def test_expressions_are_checked_not_evaluated():
    for payload in ("__import__('os').system('true')", "().__class__", "[1, 2]", "income if rent else 0"):
        with pytest.raises(ExpressionError):
            parse(payload, TYPES)
    with pytest.raises(ExpressionError, match="unknown fact `salary`"):
        parse("salary > 3", TYPES)
    with pytest.raises(ExpressionError, match="`months_since` needs a date"):
        parse("months_since(income)", TYPES)


def test_unknown_values_give_unknown_and_conditions_that_do_not_hold():
    context = Context(ON)
    ratio = parse("rent * 12 / income", TYPES).run
    assert ratio({"rent": 500}, context) is None, "no income: unknown"
    assert ratio({"rent": 500, "income": 0}, context) is None, "a division by zero is unknown"
    assert ratio({"rent": 500, "income": 12000}, context) == 0.5
    assert parse("income > 10", TYPES).run({}, context) is False
    assert parse("not (income > 10)", TYPES).run({}, context) is True
    assert parse("dependants + 1", TYPES).run({}, context) == 1, "a missing count is 0"
    assert parse("single_parent or hosted", TYPES).run({"hosted": True}, context) is True
    assert parse("checked(violence)", TYPES).run({}, Context(ON, frozenset({"violence"}))) is True


def test_named_functions():
    assert consumption_units(1, 0) == 1 and consumption_units(4, 2) == pytest.approx(2.1)
    context = Context(ON, ceilings=CEILINGS)
    assert parse("income_ceiling('PLUS', household_size)", TYPES).run({"household_size": 3}, context) == 37584
    assert parse("income_ceiling('PLUS', 8)", TYPES).run({}, context) == 60156 + 2 * 6710
    assert parse("income_ceiling('PLUS', 2, 0, true)", TYPES).run({}, context) == 37584, (
        "a disability adds one"
    )
    single_parent = parse("income_ceiling('PLUS', household_size, dependants)", TYPES).run
    assert single_parent({"household_size": 2, "dependants": 1}, context) == 37584, (
        "as the eligibility checker"
    )
    assert single_parent({"household_size": 2}, context) == 31254, "a couple: its size"
    assert parse("income_ceiling('PLUS', 2)", TYPES).run({}, Context(ON)) is None, "no ceilings known"
    assert parse("years_since(1960)", TYPES).run({}, context) == 66
    with pytest.raises(ExpressionError, match="starts with one of PLAI, PLUS, PLS"):
        parse("income_ceiling('HLM', 2)", TYPES)


def test_steps_reached_and_exceeded():
    assert "attente" not in lines(score(facts(filed_on=add_months(ON, -23)), GRID, ON))
    assert lines(score(facts(filed_on=add_months(ON, -24)), GRID, ON))["attente"] == 10, "24 months reached"
    assert lines(score(facts(filed_on=add_months(ON, -36)), GRID, ON))["attente"] == 10, "36 not exceeded"
    assert lines(score(facts(filed_on=add_months(ON, -37)), GRID, ON))["attente"] == 20


def test_computed_facts_remaining_income_and_overcrowding_with_children():
    # (1,500 - 700) / (1 + 0.5 + 0.3) = 444 a month: no points; with 2 children under 14: 800 / 1.9 < 300? no.
    household = {"household_size": 3, "children_under_14": 2, "rent": 700}
    assert "reste" not in lines(score(facts(income=18000, **household), GRID, ON))
    assert lines(score(facts(income=12000, **household), GRID, ON))["reste"] == 15  # 300 / 1.6 = 187.5
    crowded = {"household_size": 5, "rooms": 2}
    assert "suroccupation" not in lines(score(facts(**crowded), GRID, ON)), "only with dependants"
    assert lines(score(facts(dependants=3, **crowded), GRID, ON))["suroccupation"] == 12


def test_points_after_an_event_end_and_fade():
    result = score(facts(separated_on=dt.date(2026, 3, 31)), GRID, ON)
    line = next(line for line in result.lines if line.code == "separation")
    assert (line.points, line.until) == (30, dt.date(2027, 3, 31))
    assert "separation" not in lines(score(facts(separated_on=dt.date(2025, 12, 7)), GRID, ON)), "12 months"
    assert lines(score(facts(separated_on=dt.date(2025, 12, 8)), GRID, ON))["separation"] == 30
    fading = score(facts(job_lost_on=dt.date(2026, 7, 7)), GRID, ON)
    line = next(line for line in fading.lines if line.code == "emploi")
    assert (line.points, line.until) == (24 - 2 * 5, dt.date(2027, 7, 7)), "5 months: 14 left, 0 after 12"


def test_conditions_on_checks_categories_and_scope():
    assert "violences" not in lines(score(facts(violence=True), GRID, ON)), "declared only"
    assert lines(score(facts(("violence",), violence=True), GRID, ON))["violences"] == 40
    hosted = score(facts(housing_situation="with_third_party"), GRID, ON)
    assert lines(hosted)["heberge"] == 8 and hosted.provisional, "declared: provisional"
    assert "grands" not in lines(score(facts(single_parent=True), GRID, ON))
    assert lines(score(facts(single_parent=True, dwelling_type="T4"), GRID, ON))["grands"] == 5


def test_refusals_are_counted_over_their_window_without_legitimate_ones():
    events = [
        Event("refusal", dt.date(2025, 12, 7)),  # 12 months ago to the day: outside
        Event("refusal", dt.date(2025, 12, 8)),
        Event("refusal", dt.date(2026, 6, 1), legitimate=True),
        Event("offer", dt.date(2026, 6, 1)),
    ]
    assert lines(score(facts(events=events, filed_on=add_months(ON, -30)), GRID, ON))["refus"] == -10
    many = [Event("refusal", ON - dt.timedelta(days=day)) for day in (1, 2, 3)]
    assert lines(score(facts(events=many, filed_on=add_months(ON, -30)), GRID, ON))["refus"] == -20, "cap 2"


def test_penalty_on_a_yes_no_fact_and_the_floor_and_ceiling_lines():
    over = facts(eviction=True, income=40000, household_size=2)
    result = score(over, GRID, ON, CEILINGS)
    assert lines(result)["proprietaire"] == -5 and lines(result)[FLOOR] == 5 and result.total == 0
    assert "proprietaire" not in lines(score(over, GRID, ON)), "no ceilings known: no condition holds"
    rich = facts(
        ("violence",),
        violence=True,
        filed_on=add_months(ON, -40),
        separated_on=ON,
        job_lost_on=ON,
        household_size=5,
        rooms=2,
        dependants=3,
        housing_situation="with_third_party",
    )
    result = score(rich, GRID, ON)
    assert result.total == 120 and lines(result)[CEILING] == 120 - (20 + 12 + 30 + 24 + 40 + 8)


def test_an_excluded_demand_has_no_lines_and_its_reason():
    result = score(facts(urban_renewal=True, violence=True), GRID, ON)
    assert (result.excluded, result.lines) == ("anru", ())


DAYS = st.dates(dt.date(2015, 1, 1), dt.date(2027, 12, 31))
HOUSEHOLDS = st.fixed_dictionaries(
    {
        "filed_on": st.dates(dt.date(2015, 1, 1), ON),
        "household_size": st.integers(1, 8),
        "dwelling_type": st.sampled_from(("T1", "T2", "T3", "T4", "T5")),
        "communes": st.just(("72181",)),
    },
    optional={
        "income": st.integers(0, 60000),
        "rent": st.integers(0, 1200),
        "children_under_14": st.integers(0, 4),
        "rooms": st.integers(1, 6),
        "dependants": st.integers(0, 5),
        "separated_on": DAYS,
        "job_lost_on": DAYS,
        "violence": st.booleans(),
        "eviction": st.booleans(),
        "single_parent": st.booleans(),
        "urban_renewal": st.booleans(),
        "housing_situation": st.sampled_from(("with_family", "with_third_party", "homeless")),
    },
)
EVENTS = st.lists(st.builds(Event, st.just("refusal"), DAYS, st.booleans()), max_size=5)


@given(HOUSEHOLDS, EVENTS, st.sets(st.sampled_from(("violence", "eviction"))))
def test_a_total_is_the_sum_of_its_counted_lines_within_the_limits(values, events, checked):
    result = score(Facts(values, frozenset(checked), tuple(events)), GRID, ON)
    assert result.total == sum(line.points for line in result.lines if line.counted)
    if result.excluded is None:
        assert GRID.floor <= result.total <= GRID.ceiling


@given(HOUSEHOLDS, EVENTS, st.integers(1, 400))
def test_waiting_longer_never_lowers_the_waiting_steps(values, events, days):
    later = ON + dt.timedelta(days=days)
    earlier_points = lines(score(Facts(values, events=tuple(events)), GRID, ON)).get("attente", 0)
    assert lines(score(Facts(values, events=tuple(events)), GRID, later)).get("attente", 0) >= earlier_points


@given(HOUSEHOLDS, st.integers(0, 3))
def test_another_refusal_never_raises_a_score(values, count):
    before = [Event("refusal", ON - dt.timedelta(days=10 + day)) for day in range(count)]
    after = [*before, Event("refusal", ON)]
    assert (
        score(Facts(values, events=tuple(after)), GRID, ON).total
        <= score(Facts(values, events=tuple(before)), GRID, ON).total
    )


@given(DAYS, DAYS)
def test_points_after_an_event_count_exactly_until_their_end_date(event, on):
    result = score(facts(separated_on=event), GRID, on)
    found = [line for line in result.lines if line.code == "separation"]
    counting = event <= on < add_months(event, 12)
    assert bool(found) == counting
    if found:
        assert found[0].until == add_months(event, 12)


@given(DAYS, st.integers(0, 40))
def test_fading_points_lose_their_step_each_month_and_end_on_the_date_given(event, months):
    on = add_months(event, months)
    found = [line for line in score(facts(job_lost_on=event), GRID, on).lines if line.code == "emploi"]
    expected = 24 - 2 * months
    assert (found[0].points if found else 0) == max(0, expected)
    if found:
        assert found[0].until == add_months(event, 12) and on < found[0].until


@given(DAYS, st.integers(-30, 30))
def test_adding_months_keeps_the_day_or_takes_the_month_end(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + dt.timedelta(days=1)).day == 1)


@given(DAYS, DAYS)
def test_elapsed_months_agree_with_adding_months(start, end):
    months = elapsed_months(start, end)
    if start <= end:
        assert add_months(start, months) <= end < add_months(start, months + 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # leap year
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_month_ends_and_leap_years(day, months, expected):
    assert add_months(day, months) == expected
