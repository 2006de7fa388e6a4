"""Household categories and income ceilings, against the published 2026 tables."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from portal.content import ContentError
from portal.information.eligibility import (
    PRODUCTS,
    Household,
    assess,
    ceilings_on,
    household_category,
    income_retained,
    read_all_ceilings,
    read_ceilings_file,
)
from tests.support import CONTENT_DIR

CEILINGS = ceilings_on(read_all_ceilings(CONTENT_DIR), dt.date(2026, 6, 1))

# The 2026 PLUS table (arrêté du 19 décembre 2025), € per year: categories 1-6, then each extra person.
PLUS_2026 = {
    "paris": [26920, 40233, 52740, 62968, 74919, 84304, 9394],
    "idf": [26920, 40233, 48362, 57930, 68577, 77171, 8598],
    "other": [23403, 31254, 37584, 45374, 53376, 60156, 6710],
}

# Households the order names for each category.
HOUSEHOLDS = {
    1: [Household(adults=1)],
    2: [
        Household(adults=2),
        Household(adults=2, couple=True, ages=(40, 30)),
        Household(adults=1, disabled_member=True),
    ],
    3: [
        Household(adults=3),
        Household(adults=1, dependants=1),
        Household(adults=2, couple=True, ages=(25, 30)),
        Household(adults=2, disabled_member=True),
    ],
    4: [
        Household(adults=2, dependants=2),
        Household(adults=1, dependants=2),
        Household(adults=3, disabled_member=True),
    ],
    5: [
        Household(adults=2, dependants=3),
        Household(adults=1, dependants=3),
        Household(adults=4, disabled_member=True),
    ],
    6: [
        Household(adults=2, dependants=4),
        Household(adults=1, dependants=4),
        Household(adults=5, disabled_member=True),
    ],
}


@pytest.mark.parametrize(("category", "household"), [(c, h) for c, hs in HOUSEHOLDS.items() for h in hs])
def test_each_household_the_order_names_gets_its_category(category, household):
    assert household_category(household).number == category
    assert household_category(household).extra_persons == 0


def test_young_couple_limit_is_inclusive():
    assert household_category(Household(adults=2, couple=True, ages=(27, 28))).number == 3
    assert household_category(Household(adults=2, couple=True, ages=(28, 28))).number == 2
    assert household_category(Household(adults=2, couple=False, ages=(20, 20))).number == 2, "not a couple"
    assert household_category(Household(adults=2, dependants=1, couple=True, ages=(20, 20))).number == 3


def test_bonuses_do_not_add_up():
    household = Household(adults=1, dependants=1, disabled_member=True)
    assert household_category(household).number == 3
    assert set(household_category(household).reasons) == {"single_with_dependants", "disability"}


def test_beyond_category_six_each_person_counts_extra():
    assert household_category(Household(adults=2, dependants=5)).number == 6
    assert household_category(Household(adults=2, dependants=5)).extra_persons == 1
    assert household_category(Household(adults=1, dependants=6)).extra_persons == 2


@pytest.mark.parametrize("zone", ["paris", "idf", "other"])
@pytest.mark.parametrize("category", range(1, 7))
def test_plus_ceilings_are_the_published_ones_and_the_limit_is_inclusive(zone, category):
    household = HOUSEHOLDS[category][0]
    published = PLUS_2026[zone][category - 1]
    at_limit = assess(household, zone, published, CEILINGS)
    assert at_limit.ceilings["PLUS"] == published
    assert at_limit.eligible["PLUS"] is True
    assert assess(household, zone, published + 1, CEILINGS).eligible["PLUS"] is False


@pytest.mark.parametrize("zone", ["paris", "idf", "other"])
def test_extra_persons_add_the_published_amount(zone):
    seven = assess(Household(adults=2, dependants=5), zone, 0, CEILINGS)
    assert seven.ceilings["PLUS"] == PLUS_2026[zone][5] + PLUS_2026[zone][6]


@pytest.mark.parametrize("zone", ["paris", "idf", "other"])
def test_pls_is_plus_times_1_30(zone):
    for category in range(1, 7):
        result = assess(HOUSEHOLDS[category][0], zone, 0, CEILINGS)
        assert abs(result.ceilings["PLS"] - PLUS_2026[zone][category - 1] * 1.30) <= 0.5


def test_best_product_names_the_lowest_ceiling_the_household_is_under():
    household = Household(adults=1)
    plai = CEILINGS.products["PLAI"].zones["other"].categories[0]
    assert assess(household, "other", plai, CEILINGS).best_product == "PLAI"
    assert assess(household, "other", plai + 1, CEILINGS).best_product == "PLUS"
    assert assess(household, "other", 23404, CEILINGS).best_product == "PLS"
    assert assess(household, "other", 10**6, CEILINGS).best_product is None


households = st.builds(
    Household,
    adults=st.integers(1, 6),
    dependants=st.integers(0, 8),
    couple=st.booleans(),
    ages=st.tuples(st.integers(16, 90), st.integers(16, 90)),
    disabled_member=st.booleans(),
)


@given(
    households, st.sampled_from(["paris", "idf", "other"]), st.integers(0, 200_000), st.integers(0, 50_000)
)
def test_more_income_never_opens_more_housing(household, zone, income, raise_):
    before = assess(household, zone, income, CEILINGS)
    after = assess(household, zone, income + raise_, CEILINGS)
    for product in PRODUCTS:
        assert after.eligible[product] <= before.eligible[product]


@given(households, st.sampled_from(["paris", "idf", "other"]))
def test_one_more_dependant_never_lowers_a_ceiling(household, zone):
    bigger = Household(
        household.adults,
        household.dependants + 1,
        household.couple,
        household.ages,
        household.disabled_member,
    )
    before, after = assess(household, zone, 0, CEILINGS), assess(bigger, zone, 0, CEILINGS)
    for product in PRODUCTS:
        assert after.ceilings[product] >= before.ceilings[product]


@given(households, st.sampled_from(["paris", "idf", "other"]))
def test_ceilings_grow_from_plai_to_pls(household, zone):
    result = assess(household, zone, 0, CEILINGS)
    assert result.ceilings["PLAI"] <= result.ceilings["PLUS"] <= result.ceilings["PLS"]


def test_the_year_in_force_is_chosen_by_date(tmp_path):
    source = yaml.safe_load((CONTENT_DIR / "ceilings" / "2026.yaml").read_text(encoding="utf-8"))
    (tmp_path / "ceilings").mkdir()
    (tmp_path / "ceilings" / "2026.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
    source.update(year=2027, effective_from=dt.date(2027, 1, 1))
    (tmp_path / "ceilings" / "2027.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
    years = read_all_ceilings(tmp_path)
    assert ceilings_on(years, dt.date(2026, 12, 31)).year == 2026
    assert ceilings_on(years, dt.date(2027, 1, 1)).year == 2027
    assert ceilings_on(years, dt.date(2020, 1, 1)).year == 2026


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data.pop("legal_reference"), "legal_reference"),
        (
            lambda data: data["products"]["PLUS"]["zones"]["idf"].update(categories=[1, 2, 3]),
            r"PLUS\.zones\.idf",
        ),
        (lambda data: data["products"]["PLUS"]["zones"]["other"].update(extra_person=-5), "extra_person"),
        (lambda data: data["products"]["PLS"].update(derived_from="PLX"), "derived_from"),
        (lambda data: data["products"]["PLAI"]["zones"].pop("paris"), r"PLAI\.zones"),
        (
            lambda data: data["products"]["PLAI"]["zones"]["other"].update(categories=[99999] * 6),
            "PLAI ≤ PLUS",
        ),
    ],
)
def test_a_bad_ceilings_file_is_refused_naming_the_field(tmp_path, change, message):
    data = yaml.safe_load((CONTENT_DIR / "ceilings" / "2026.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "2026.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        read_ceilings_file(path)


@pytest.mark.parametrize(
    ("reference", "recent", "retained"),
    [
        (20000, None, (20000, False)),
        (20000, 18000, (18000, True)),  # exactly 10 % lower
        (20000, 18001, (20000, False)),
        (20000, 25000, (20000, False)),
        (20000, 0, (0, True)),
        (0, 0, (0, True)),
        (10, 9, (9, True)),
    ],
)
def test_a_recent_income_replaces_the_reference_one_only_when_ten_percent_lower(reference, recent, retained):
    assert income_retained(reference, recent) == retained


@given(st.integers(0, 10**7), st.integers(0, 10**7))
def test_the_income_retained_is_never_above_the_reference_nor_above_nine_tenths_when_recent(
    reference, recent
):
    income, is_recent = income_retained(reference, recent)
    assert income <= reference
    assert not is_recent or income * 10 <= reference * 9
