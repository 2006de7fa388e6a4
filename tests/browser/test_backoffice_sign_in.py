"""The partners' sign-in in Chromium, in French and Arabic: wrong password, an editor's dashboard, an
admin's two-step sign-in set up with the QR code's key; axe on every page."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from portal.partners.models import Organisation
from tests.browser.support import check, serving, sign_in, size_of
from tests.factories.partners import create_organisation, create_partner
from tests.support import DEMO_LOOKUPS


@pytest.fixture(scope="module")
def partner_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("partners")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            town = create_organisation(session, "ville-test")
            epci = create_organisation(session, "metropole-test", kind="epci")
            owner = session.scalar(select(Organisation).where(Organisation.slug == "le-mans-metropole"))
            for locale in ("fr", "ar"):
                for size in ("phone", "desktop"):
                    create_partner(session, f"editeur-{locale}-{size}@ville.fr", {town: ["editor"]})
                    create_partner(session, f"admin-{locale}-{size}@ville.fr", {town: ["admin"]})
                    create_partner(session, f"accueil-{locale}-{size}@ville.fr", {town: ["desk_agent"]})
                    create_partner(session, f"guichets-{locale}-{size}@metropole.fr", {owner: ["editor"]})
                    create_partner(
                        session,
                        f"relecteur-{locale}-{size}@metropole.fr",
                        {epci: ["reviewer"]},
                        totp_secret=REVIEWER_SECRET,
                    )
        engine.dispose()
        yield base


REVIEWER_SECRET = pyotp.random_base32()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_an_editor_signs_in_after_a_wrong_password(partner_server, page, watch, viewport, locale):
    assert page.goto(f"{partner_server}/partenaires/connexion?lang={locale}").status == 200
    assert page.locator("html").get_attribute("lang") == locale
    check(page, watch, viewport)
    email = f"editeur-{locale}-{size_of(viewport)}@ville.fr"
    sign_in(page, email, "pas le bon mot de passe")
    assert page.locator(".notice").count() >= 1
    assert page.locator("#email").input_value() == email, "the address stays in the form"
    check(page, watch, viewport)
    sign_in(page, email)
    assert page.url.endswith("/partenaires/")
    assert "ville-test" in page.locator("main").inner_text()
    check(page, watch, viewport)
    page.locator("form[action$='/partenaires/deconnexion'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partenaires/connexion")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_an_admin_sets_up_two_step_sign_in(partner_server, page, watch, viewport, locale):
    page.goto(f"{partner_server}/partenaires/connexion?lang={locale}")
    sign_in(page, f"admin-{locale}-{size_of(viewport)}@ville.fr")
    assert page.url.endswith("/partenaires/connexion/code")
    image = page.locator(".qr-figure img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code is drawn"
    check(page, watch, viewport)
    secret = page.locator(".secret-key").inner_text().replace(" ", "")
    page.fill("#code", "000000")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".notice").count() >= 1
    check(page, watch, viewport)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/partenaires/")
    check(page, watch, viewport)
    # The members page and its invitation form: a missing name is explained, the address kept.
    page.goto(f"{partner_server}/partenaires/organisations/ville-test/membres")
    check(page, watch, viewport)
    page.fill("#email", "nouvelle@ville.fr")
    page.locator("form[aria-labelledby=invite-title] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#name[aria-invalid=true]").count() == 1
    assert page.locator("#email").input_value() == "nouvelle@ville.fr"
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_reviewer_filters_the_audit_log(partner_server, page, watch, viewport, locale):
    page.goto(f"{partner_server}/partenaires/connexion?lang={locale}")
    sign_in(page, f"relecteur-{locale}-{size_of(viewport)}@metropole.fr")
    page.fill("#code", pyotp.TOTP(REVIEWER_SECRET).now())  # one account per run: each code once
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/partenaires/")
    page.goto(f"{partner_server}/partenaires/journal")
    assert page.locator("table tbody tr").count() >= 1
    check(page, watch, viewport)
    page.fill("#since", "2001-01-01")
    page.select_option("#action", "account.signed_in")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "action=account.signed_in" in page.url
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_desk_agent_looks_up_a_demand_with_the_applicant(partner_server, page, watch, viewport, locale):
    page.goto(f"{partner_server}/partenaires/connexion?lang={locale}")
    sign_in(page, f"accueil-{locale}-{size_of(viewport)}@ville.fr")
    page.goto(f"{partner_server}/partenaires/accueil")
    check(page, watch, viewport)
    number, birth = DEMO_LOOKUPS[1]
    page.fill("#number", number)
    page.fill("#birth_date", birth.strftime("%d/%m/%Y"))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert number in page.locator(".desk-situation h2").first.inner_text()
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_an_editor_keeps_a_desk_current(partner_server, page, watch, viewport, locale):
    page.goto(f"{partner_server}/partenaires/connexion?lang={locale}")
    sign_in(page, f"guichets-{locale}-{size_of(viewport)}@metropole.fr")
    page.goto(f"{partner_server}/partenaires/organisations/le-mans-metropole/guichets")
    assert page.locator("tbody tr").count() >= 1
    check(page, watch, viewport)
    page.locator("tbody th a").first.click()
    page.wait_for_load_state()
    page.fill("#languages", "fr 123")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("#languages[aria-invalid=true]").count() == 1
    assert page.locator("#languages").input_value() == "fr 123", "what was typed stays"
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_forgotten_password_form_announces_its_error(partner_server, page, watch, viewport, locale):
    page.goto(f"{partner_server}/partenaires/connexion?lang={locale}")
    page.locator("main a[href$='/partenaires/mot-de-passe-oublie']").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    page.fill("#email", "pas une adresse")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary[role=alert]").count() == 1
    assert page.locator("#email[aria-invalid=true]").count() == 1
    assert page.locator("#email").input_value() == "pas une adresse"
    check(page, watch, viewport)
