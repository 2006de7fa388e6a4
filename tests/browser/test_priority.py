"""A priority household in Chromium, from its referral to a candidate list: a social worker refers it, the
committee plans a session, puts it on the agenda and labels it, oriented to a landlord; the landlord then
lists the candidates for a vacant dwelling and finds it first, with its label. In French on a phone and in
Arabic on a desktop, each ending with the candidates' page at the other size; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import sessionmaker

from portal import clock
from portal.db import make_engine
from portal.priority.models import CRITERIA
from tests.browser.support import DESKTOP, PHONE, check, serving, sign_in
from tests.factories.demands import create_demand
from tests.factories.partners import create_organisation, create_partner

NUMBERS = {"fr": "0721224000777G0101", "ar": "0721224000778G0101"}


@pytest.fixture(scope="module")
def priority_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("priority")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            epci = create_organisation(session, "metropole-pr", "epci")
            association = create_organisation(session, "asso-pr", "association")
            landlord = create_organisation(session, "oph-pr", "landlord")
            create_partner(session, "travailleur@asso-pr.fr", {association: ["editor"]})
            create_partner(session, "editeur@metropole-pr.fr", {epci: ["editor"]})
            create_partner(session, "editeur@oph-pr.fr", {landlord: ["editor"]})
            for offset, number in enumerate(NUMBERS.values()):
                demand = create_demand(
                    session, dt.date(2024, 3, 1), "72181", "T3", number=number, facts={"income": 15000}
                )
                demand.household_size, demand.score_total = 3, 99999 - offset
        engine.dispose()
        yield base


def submit(page, action_end: str) -> None:
    page.locator(f"main form[action*='{action_end}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def as_partner(page, base: str, email: str, locale: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/partenaires/connexion")
    sign_in(page, email)
    page.goto(f"{base}/partenaires/prioritaires/?lang={locale}")
    assert page.locator("html").get_attribute("lang") == locale


@pytest.mark.parametrize(
    ("locale", "viewport"), [("fr", PHONE), ("ar", DESKTOP)], ids=["fr-phone", "ar-desktop"]
)
def test_from_referral_to_label_to_a_candidate_list(priority_server, page, watch, locale, viewport):
    base, number = priority_server, NUMBERS[locale]
    as_partner(page, base, "travailleur@asso-pr.fr", locale)
    check(page, watch, viewport)
    page.locator("main a[href$='/orientations/nouvelle']").click()
    page.wait_for_load_state()
    page.fill("#demand_number", number[:5])  # too short: refused, what was typed kept
    page.check(f"#criteria-{CRITERIA.index('violence')}")
    page.fill("#support_organisation", "CIDFF")
    submit(page, "/orientations/nouvelle")
    assert page.locator("#demand_number[aria-invalid=true]").count() == 1
    assert page.input_value("#support_organisation") == "CIDFF"
    check(page, watch, viewport)
    page.fill("#demand_number", number)
    submit(page, "/orientations/nouvelle")
    referral = page.url
    check(page, watch, viewport)

    as_partner(page, base, "editeur@metropole-pr.fr", locale)
    page.goto(f"{base}/partenaires/prioritaires/commissions")
    page.fill("#held_on", (clock.today() + dt.timedelta(days=7)).isoformat())
    page.fill("#place", "Salle du conseil")
    submit(page, "/commissions")
    check(page, watch, viewport)
    page.goto(referral)
    submit(page, "/ordre-du-jour")
    page.check("#decision-0")
    page.select_option("#criterion", "violence")
    page.select_option("#holder", label="Organisation oph-pr")
    page.fill("#reasons", "Situation établie par l'association")
    submit(page, "/decision")
    assert page.locator("main .tag--success").count() == 1  # labelled
    check(page, watch, viewport)

    as_partner(page, base, "editeur@oph-pr.fr", locale)
    assert number in page.locator("main").inner_text()  # oriented to the landlord
    page.goto(f"{base}/partenaires/prioritaires/candidats")
    page.select_option("#commune", "72181")
    page.select_option("#dwelling_type", "T3")
    page.select_option("#financing", "PLUS")
    page.fill("#rent", "450")
    submit(page, "/candidats")
    row = page.locator("main tbody tr", has_text=number)
    assert row.locator(".tag--info").count() == 1  # its label
    assert row.locator("td").first.inner_text().strip()[:1] in ("1", "2")  # first or second (the other run's)
    check(page, watch, viewport)
    other = DESKTOP if viewport is PHONE else PHONE
    page.set_viewport_size(other)
    page.reload()
    check(page, watch, other)
    page.goto(referral)
    check(page, watch, other)
