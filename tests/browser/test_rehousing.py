"""An urban-renewal operation in Chromium, from its creation to its last household rehoused: the EPCI's
editor creates it, sets a partner's commitment, imports the households (after a refused file), records
offers, a refusal, the answers and the moves; the dashboard then shows every household rehoused. In
French on a phone and in Arabic on a desktop, each ending with the dashboard and a household's page at the
other size; axe on every page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.browser.support import DESKTOP, PHONE, check, serving, sign_in
from tests.factories.partners import create_organisation, create_partner

HOUSEHOLDS = (
    "reference;persons;current_type;wished_type;wished_communes;rent_after_aid;survey_on\n"
    "B-1;2;T3;T2;72181;180;2026-03-02\n"
    "B-2;4;T4;T4;;240;2026-03-09\n"
)


@pytest.fixture(scope="module")
def rehousing_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rehousing")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            epci = create_organisation(session, "metropole-rh", "epci")
            create_organisation(session, "oph-rh", "landlord")
            create_organisation(session, "sa-rh", "landlord")
            create_partner(session, "editeur@metropole-rh.fr", {epci: ["editor"]})
        engine.dispose()
        yield base


def submit(page, action_end: str) -> None:
    page.locator(f"main form[action$='{action_end}'] button[type=submit]").first.click()
    page.wait_for_load_state()


def record_offer(page, partner: str, rent: str) -> None:
    page.select_option("#offer-partner", label=partner)
    page.fill("#offer-landlord_name", partner)
    page.select_option("#offer-commune", "72181")
    page.select_option("#offer-dwelling_type", "T2")
    page.fill("#offer-rent", rent)
    page.fill("#offer-rent_after_aid", "150")
    page.check("#offer-suitable")
    page.fill("#offer-offered_on", "2026-05-04")
    submit(page, "/offres")


def answer(page, accepted: bool, reason: str = "") -> None:
    page.check("#decision-decision-0" if accepted else "#decision-decision-1")
    if reason:
        page.select_option("#decision-reason", reason)
    page.fill("#decision-decided_on", "2026-05-12")
    submit(page, "/reponse")


@pytest.mark.parametrize(
    ("locale", "viewport"), [("fr", PHONE), ("ar", DESKTOP)], ids=["fr-phone", "ar-desktop"]
)
def test_an_operation_from_creation_to_the_last_household_rehoused(
    rehousing_server, page, watch, locale, viewport
):
    base = rehousing_server
    page.goto(f"{base}/partenaires/connexion")
    sign_in(page, "editeur@metropole-rh.fr")
    page.goto(f"{base}/partenaires/relogement/?lang={locale}")
    assert page.locator("html").get_attribute("lang") == locale
    check(page, watch, viewport)
    page.locator("main a[href$='/operations/nouvelle']").click()
    page.wait_for_load_state()
    page.fill("#name", f"Bellevue {locale}")
    page.fill("#neighbourhood", "Bellevue")
    page.select_option("#commune", "72181")
    page.select_option("#landlord", label="Organisation oph-rh")
    page.fill("#dwellings", "2")
    page.fill("#announced_on", "2026-01-05")
    page.fill("#rehousing_starts_on", "2026-03-01")
    page.fill("#demolition_on", "2026-02-01")  # before the start: refused, what was typed kept
    submit(page, "/operations/nouvelle")
    assert page.locator("#demolition_on[aria-invalid=true]").count() == 1
    assert page.input_value("#name") == f"Bellevue {locale}"
    check(page, watch, viewport)
    page.fill("#demolition_on", "2027-03-01")
    submit(page, "/operations/nouvelle")
    operation = page.url.split("?")[0]
    check(page, watch, viewport)

    page.goto(f"{operation}/engagements")
    page.select_option("#partner", label="Organisation sa-rh")
    page.select_option("#dwelling_type", "T2")
    page.fill("#offers", "2")
    submit(page, "/engagements")
    check(page, watch, viewport)

    page.goto(f"{operation}/menages")
    page.set_input_files(
        "#file", {"name": "m.csv", "mimeType": "text/csv", "buffer": b"reference;persons\nX;deux\n"}
    )
    submit(page, "/menages/fichier")
    assert page.locator("ul.import-problems li").count() == 2  # two required columns missing
    check(page, watch, viewport)
    page.set_input_files("#file", {"name": "m.csv", "mimeType": "text/csv", "buffer": HOUSEHOLDS.encode()})
    submit(page, "/menages/fichier")
    assert page.locator("main tbody tr").count() == 2
    check(page, watch, viewport)

    page.locator("main tbody a", has_text="B-1").click()
    page.wait_for_load_state()
    record_offer(page, "Organisation sa-rh", "390")
    answer(page, accepted=True)
    page.fill("#move-moved_on", "2026-06-01")
    submit(page, "/emmenagement")
    check(page, watch, viewport)
    if locale == "fr":
        assert "Le ménage est relogé." in page.locator("main").inner_text()

    page.goto(f"{operation}/menages")
    page.locator("main tbody a", has_text="B-2").click()
    page.wait_for_load_state()
    household = page.url
    page.fill("#offer-offered_on", "")
    submit(page, "/offres")  # nothing chosen: every error told, nothing recorded
    assert page.locator(".error-summary a").count() >= 3
    check(page, watch, viewport)
    record_offer(page, "Organisation oph-rh", "410")
    answer(page, accepted=False, reason="location")
    assert page.locator("main article.exchange-item").count() == 1
    record_offer(page, "Organisation sa-rh", "395")
    answer(page, accepted=True)
    page.fill("#move-moved_on", "2026-06-20")
    submit(page, "/emmenagement")
    assert page.locator("ol.timeline li").count() == 7  # added, survey, two offers and answers, the move

    page.goto(operation)
    progress = page.locator("main progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "2"
    if locale == "fr":
        text = page.locator("main").inner_text()
        assert "Organisation sa-rh" in text and "100 %" in text.replace("\u202f", " ").replace("\u00a0", " ")
    check(page, watch, viewport)
    other = DESKTOP if viewport is PHONE else PHONE
    page.set_viewport_size(other)
    page.reload()
    check(page, watch, other)
    page.goto(household)
    check(page, watch, other)
