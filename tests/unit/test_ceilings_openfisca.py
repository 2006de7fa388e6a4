"""The eligibility checker's ceilings against OpenFisca-France's parameters (the PLUS ceilings of the yearly
order) and the PLS rule (130 % of PLUS); PLAI stays provisional until annex II of the 2026 order is copied.

OpenFisca-France is downloaded by `make install-test` (requirements-openfisca.txt, with its hash), not
installed: its web API pins an old gunicorn. Its parameter files are read from the wheel.
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from portal.information.eligibility import (
    MAX_CATEGORY,
    ZONES,
    Household,
    ceiling,
    ceilings_on,
    household_category,
    read_all_ceilings,
)
from tests.support import CONTENT_DIR

WHEELS = Path(sys.prefix) / "openfisca"
PARAMETERS = "openfisca_france/parameters/prestations_sociales/aides_logement/logement_social/plu"
OPENFISCA_ZONES = {"paris": "paris_communes_limitrophes", "idf": "ile_de_france", "other": "autres_regions"}
YEARS = [ceilings for ceilings in read_all_ceilings(CONTENT_DIR) if ceilings.year >= 2024]


@pytest.fixture(scope="module")
def openfisca():
    wheels = sorted(WHEELS.glob("openfisca_france-*.whl"))
    assert wheels, f"OpenFisca-France's wheel is missing from {WHEELS}: run `make install-test`"
    archive = zipfile.ZipFile(wheels[-1])

    def value(path: str, day: dt.date) -> int:
        values = yaml.safe_load(archive.read(f"{PARAMETERS}/{path}.yaml"))["values"]
        started = [start for start in values if start <= day]
        return int(values[max(started)]["value"])

    yield value
    archive.close()


def openfisca_plus(openfisca, zone: str, category: int, extra: int, day: dt.date) -> int:
    place = OPENFISCA_ZONES[zone]
    amount = openfisca(f"par_categorie_de_menage/categorie_{min(category, MAX_CATEGORY)}/{place}", day)
    return amount + extra * openfisca(f"par_personne_supplementaire/{place}", day)


@pytest.mark.parametrize("year", YEARS, ids=lambda ceilings: str(ceilings.year))
@pytest.mark.parametrize("zone", ZONES)
def test_plus_ceilings_are_openfisca_s(openfisca, year, zone):
    day = year.effective_from
    for category in range(1, MAX_CATEGORY + 1):
        ours = year.products["PLUS"].zones[zone].categories[category - 1]
        assert ours == openfisca_plus(openfisca, zone, category, 0, day), (year.year, zone, category)
    assert year.products["PLUS"].zones[zone].extra_person == openfisca(
        f"par_personne_supplementaire/{OPENFISCA_ZONES[zone]}", day
    )


@pytest.mark.parametrize("year", YEARS, ids=lambda ceilings: str(ceilings.year))
@pytest.mark.parametrize("zone", ZONES)
def test_pls_ceilings_are_130_percent_of_openfisca_s_plus(openfisca, year, zone):
    def pls(amount: int) -> int:
        return int((Decimal(amount) * Decimal("1.30")).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    table = year.products["PLS"].zones[zone]
    for category in range(1, MAX_CATEGORY + 1):
        plus = openfisca_plus(openfisca, zone, category, 0, year.effective_from)
        assert table.categories[category - 1] == pls(plus), (year.year, zone, category)


@pytest.mark.parametrize(
    "household",
    [
        Household(adults=1),
        Household(adults=2, couple=True, ages=(30, 40)),
        Household(adults=2, couple=True, ages=(25, 27)),  # a young couple: category 3
        Household(adults=1, dependants=1),  # one adult with a dependant: category 3
        Household(adults=2, dependants=2, couple=True),
        Household(adults=2, dependants=6, couple=True),  # beyond category 6: two extra persons
    ],
)
def test_a_household_s_plus_ceiling_is_openfisca_s(openfisca, household):
    day = dt.date(2026, 6, 1)
    year = ceilings_on(read_all_ceilings(CONTENT_DIR), day)
    category = household_category(household, year.young_couple_max_combined_age)
    for zone in ZONES:
        expected = openfisca_plus(openfisca, zone, category.number, category.extra_persons, day)
        assert ceiling(year, "PLUS", zone, category) == expected, (household, zone)


def test_plai_2026_stays_provisional_until_the_order_s_annex_is_copied():
    year = ceilings_on(read_all_ceilings(CONTENT_DIR), dt.date(2026, 6, 1))
    assert year.year == 2026
    assert year.products["PLAI"].verified is False and year.products["PLUS"].verified is True
