"""The public pages with a grid written in the grid language, on both backends: the grid page, the
simulator (it asks the facts the grid reads and explains each line) and the applicant's situation (points
that end, a demand the grid does not score), in French and Arabic."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from portal import clock
from portal.cotation.services import load_grids, stored_grids
from portal.demands import services
from portal.demands.scoring import rescore
from tests.factories.demands import create_demand
from tests.pagecheck import csrf_token, parse, text_of
from tests.support import CONTENT_DIR, write_language_grid


@pytest.fixture
def language_grid(db, tmp_path):
    """The next version of the general grid, in force since February 2026, written with the grid language."""
    (tmp_path / "cotation").mkdir()
    for path in (CONTENT_DIR / "cotation").glob("*.yaml"):
        shutil.copy(path, tmp_path / "cotation" / path.name)
    write_language_grid(tmp_path / "cotation")
    assert load_grids(db, tmp_path).added == ["general v3"]
    db.flush()


@pytest.fixture
def client(db_app, language_grid):
    return db_app.test_client()


def test_the_grid_page_states_the_new_rules(client):
    page = text_of(parse(client.get("/fr/cotation/grille")).find(".//main"))
    assert "pendant 12 mois à compter de : Date de la séparation" in page
    assert "seulement si « Situation de logement actuelle » = « Hébergé par un tiers »" in page
    assert "dans les 12 derniers mois" in page
    assert (
        "Non cotées par cette grille : Les relogements du renouvellement urbain sont suivis à part." in page
    )
    assert "Toute demande a au moins 0 points." in page and "la demande la plus ancienne d'abord" in page


def test_the_simulator_asks_what_the_grid_reads_and_explains_each_line(client):
    url = "/fr/cotation/simulateur"
    form = parse(client.get(url))
    names = {field.get("name") for field in form.iter("input")} | {s.get("name") for s in form.iter("select")}
    assert {"filed_on", "income", "rent", "household_size", "children_under_14", "separated_on"} <= names
    assert {"housing_situation", "events_refusal"} <= names
    answers = {
        "csrf_token": csrf_token(client, url),
        "filed_on": "3",
        "income": "9600",
        "rent": "500",
        "household_size": "2",
        "children_under_14": "1",
        "separated_on": "2",
        "housing_situation": "with_third_party",
        "events_refusal": "3",
        "group_hebergement": "none",
    }
    result = parse(client.post(url, data=answers))
    lines = text_of(result.find(".//section[@id='result']"))
    # (800 - 500) / 1.3 = 230.8 a month: 15; separated 2 months ago: 30 until then + 12 months;
    # hosted by a third party: 8; three refusals, two counted: -20; 3 months: 3 points.
    ends = clock.today().replace(day=1)  # any day of the month: the date itself is checked in unit tests
    assert "Votre cotation estimée : 36 points" in lines
    assert "Reste à vivre par unité de consommation : 230.769" not in lines, "a reason reads as words"
    assert "ces points prennent fin le" in lines and str(ends.year + 1) in lines
    assert "votre situation remplit la condition" in lines
    assert "2 fois dans les 12 derniers mois" in lines


def look_up(client, number: str, birth: str):
    url = "/fr/ma-demande"
    return client.post(
        url, data={"csrf_token": csrf_token(client, url), "number": number, "birth_date": birth}
    )


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_situation_explains_points_that_end_and_a_demand_not_scored(client, db, locale):
    today = clock.today()
    birth = dt.date(1985, 4, 2)
    ending = create_demand(
        db,
        dt.date(2025, 12, 1),
        facts={"separated_on": dt.date(2026, 3, 31).isoformat(), "housing_situation": "with_third_party"},
        number="072122500000" + ("1F0101" if locale == "fr" else "2F0101"),
    )
    apart = create_demand(
        db, dt.date(2025, 12, 1), facts={"urban_renewal": True}, number=ending.number[:-6] + "3F0101"
    )
    for demand in (ending, apart):
        demand.lookup_hash = services.hash_lookup(demand.number, birth)
        rescore(demand, stored_grids(db), today, None)
    db.flush()
    assert apart.score_total is None and apart.score_lines[0]["excluded"]
    assert look_up(client, ending.number, birth.strftime("%d/%m/%Y")).status_code == 302
    page = text_of(parse(client.get(f"/{locale}/ma-demande/situation")).find(".//main"))
    if locale == "fr":
        assert "ces points prennent fin le 31 mars 2027" in page
        assert "votre situation remplit la condition" in page
    else:
        assert "2027" in page and "معيار separation" in page
    client.post(
        f"/{locale}/ma-demande/deconnexion", data={"csrf_token": csrf_token(client, f"/{locale}/ma-demande")}
    )
    assert look_up(client, apart.number, birth.strftime("%d/%m/%Y")).status_code == 302
    page = parse(client.get(f"/{locale}/ma-demande/situation")).find(".//main")
    words = text_of(page)
    reason = (
        "Les relogements du renouvellement urbain sont suivis à part." if locale == "fr" else "تتم متابعة"
    )
    assert reason in words
    assert page.find(".//*[@id='position-title']") is None, "no place in a queue it is not in"
