"""The landlords' side of the exchange in Chromium, on a phone and a desktop: a landlord confirms a
tenant's listing (after a file of answers refused, line by line), then two landlords' commissions approve
a three-way swap the tenants agreed on, and one of them records the moves. axe on every page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from portal.exchange import services
from tests.browser.support import check, serving, sign_in, size_of
from tests.factories.exchange import NOW, create_listing, listing_input, three_way
from tests.factories.partners import create_organisation, create_partner


@pytest.fixture(scope="module")
def exchange_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exchange")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            for size in ("phone", "desktop"):
                oph = create_organisation(session, f"oph-{size}", "landlord")
                sa = create_organisation(session, f"sa-{size}", "landlord")
                create_partner(session, f"editeur@oph-{size}.fr", {oph: ["editor"]})
                create_partner(session, f"editeur@sa-{size}.fr", {sa: ["editor"]})
                a, b, c = three_way(session, oph.id, sa.id, f"{size}-")
                swap = services.propose(session, a, (a.id, b.id, c.id), NOW)
                services.answer(session, swap, b.id, True, NOW)
                services.answer(session, swap, c.id, True, NOW)
                create_listing(session, f"d-{size}@example.org", oph.id, listing_input(), public=False)
        engine.dispose()
        yield base


def test_two_landlords_approve_a_swap(exchange_server, page, watch, viewport):
    size = size_of(viewport)
    page.goto(f"{exchange_server}/partenaires/connexion")
    sign_in(page, f"editeur@sa-{size}.fr")
    page.locator(f"main a[href='/partenaires/echanges/organisations/sa-{size}']").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    swap = page.locator("article.exchange-item")
    assert "En attente des bailleurs" in swap.inner_text()
    swap.get_by_role("button", name="La commission accepte").click()
    page.wait_for_load_state()
    assert "les autres bailleurs doivent encore décider" in page.locator("main").inner_text()
    assert "Vous avez accepté" in page.locator("article.exchange-item").inner_text()
    check(page, watch, viewport)

    page.context.clear_cookies()
    page.goto(f"{exchange_server}/partenaires/connexion")
    sign_in(page, f"editeur@oph-{size}.fr")
    page.goto(f"{exchange_server}/partenaires/echanges/organisations/oph-{size}")
    check(page, watch, viewport)
    wrong = {
        "name": "reponses.csv",
        "mimeType": "text/csv",
        "buffer": b"reference;decision\nINCONNUE;confirmer\n",
    }
    page.set_input_files("#file", wrong)
    page.get_by_role("button", name="Envoyer le fichier").click()
    page.wait_for_load_state()
    assert (
        "Ligne 2 : Aucune annonce en attente ne donne la référence INCONNUE"
        in page.locator("main").inner_text()
    )
    assert page.locator("#file[aria-invalid=true]").count() == 1
    check(page, watch, viewport)
    page.get_by_role("button", name="Confirmer : c'est notre locataire").click()
    page.wait_for_load_state()
    assert "L'annonce est publique." in page.locator("main").inner_text()
    assert "Aucune annonce n'attend votre confirmation." in page.locator("main").inner_text()
    for _move in range(2):
        swap = page.locator("article.exchange-item")
        swap.get_by_role("button", name="La commission accepte").first.click()
        page.wait_for_load_state()
    assert "la permutation est approuvée" in page.locator("main").inner_text()
    check(page, watch, viewport)
    page.get_by_role("button", name="Les déménagements sont faits").click()
    page.wait_for_load_state()
    assert "Réalisée" in page.locator("article.exchange-item").inner_text()
    check(page, watch, viewport)
