"""A grid written in the grid language, in Chromium: the grid page, the simulator that asks what the grid
reads, and an applicant's situation with points that end and a demand the grid does not score; French and
Arabic, phone and desktop, axe at zero."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from portal import clock, db
from portal.cotation.services import load_grids, stored_grids
from portal.demands import services
from portal.demands.models import Demand, DemandEvent
from portal.demands.scoring import rescore
from tests.browser.support import check, serving_app
from tests.support import CONTENT_DIR, write_language_grid

BIRTH = dt.date(1984, 5, 6)
NUMBERS = {"ending": "0721225000071F0101", "apart": "0721225000072F0101"}


def _content(folder):
    """The project's content with the next version of the general grid written in the language."""
    content = folder / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("examples"))
    write_language_grid(content / "cotation")
    return content


@pytest.fixture(scope="module")
def language_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("language")
    content = _content(folder)
    with serving_app(folder, content_dir=content) as (base, app):
        with app.app_context():
            session = db.session()
            load_grids(session, content)
            session.commit()
            for key, facts in (
                ("ending", {"separated_on": "2026-03-31", "housing_situation": "with_third_party"}),
                ("apart", {"urban_renewal": True}),
            ):
                filed = dt.date(2025, 12, 1)
                demand = Demand(
                    number=NUMBERS[key],
                    lookup_hash=services.hash_lookup(NUMBERS[key], BIRTH),
                    filed_on=filed,
                    expires_on=filed + dt.timedelta(days=365),
                    status="active",
                    dwelling_type="T2",
                    first_commune_insee="72181",
                    household_size=2,
                    facts=facts,
                    checked=[],
                )
                demand.events = [DemandEvent(kind="filed", occurred_on=filed)]
                session.add(demand)
                rescore(demand, stored_grids(session), clock.today(), None)
            session.commit()
        yield base


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_grid_page_states_its_rules(language_server, page, watch, viewport, locale):
    assert page.goto(f"{language_server}/{locale}/cotation/grille").status == 200
    assert page.locator(".grid-rules li").count() >= 2
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_an_applicant_simulates_with_the_facts_the_grid_reads(language_server, page, watch, viewport, locale):
    page.goto(f"{language_server}/{locale}/cotation/simulateur")
    check(page, watch, viewport)
    page.fill("#filed_on", "3")
    page.fill("#income", "9600")
    page.fill("#rent", "500")
    page.fill("#household_size", "2")
    page.fill("#children_under_14", "1")
    page.fill("#separated_on", "2")
    page.locator("input[name=housing_situation][value=with_third_party]").check()
    page.fill("#events_refusal", "3")
    page.locator("main form button[type=submit]").click()
    result = page.locator("#result")
    result.wait_for()
    heading = result.locator("h2").inner_text()
    assert "36" in heading or "٣٦" in heading
    assert page.locator(".score-lines li").count() == 5
    assert page.locator("#income").input_value() == "9600", "the answers stay in the form"
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_situation_with_points_that_end_and_one_not_scored(language_server, page, watch, viewport, locale):
    for key in ("ending", "apart"):
        page.goto(f"{language_server}/{locale}/ma-demande")
        page.fill("#number", NUMBERS[key])
        page.fill("#birth_date", BIRTH.strftime("%d/%m/%Y"))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/ma-demande/situation")
        main = page.locator("main").inner_text()
        if key == "ending":
            assert "2027" in main or "٢٠٢٧" in main
            assert page.locator(".histogram svg rect").count() >= 1
        else:
            assert ("suivis à part" in main) if locale == "fr" else ("على حدة" in main)
            assert page.locator("#position-title").count() == 0
        check(page, watch, viewport)
        page.locator("form.leave-form button").click()
        page.wait_for_url(f"**/{locale}/ma-demande")
