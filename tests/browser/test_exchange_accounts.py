"""A tenant joins the swap exchange in Chromium, in French and Arabic, on a phone (the swap journey signs
tenants up on a desktop too, and checks their listing page there): the exchange's page, the sign-up form
(its errors first), the e-mailed link (received by a local SMTP server) and its button, signed in; the
listing form (its errors first, then filled in), the listing waiting for the landlord, a photo, the
wishes changed, two-step sign-in turned on (its QR code, its spare code); signed out. axe on
every page."""

from __future__ import annotations

import re

import pyotp
import pytest
from PIL import Image
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.browser.support import PHONE, check, serving, size_of
from tests.factories.partners import create_organisation

PASSWORD = "trois mots bien choisis"


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])  # on a desktop: the swap journey's pages
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_tenant_signs_up_and_confirms_the_address(tmp_path, inbox, page, watch, viewport, locale):
    email = f"locataire-{locale}-{size_of(viewport)}@example.org"
    with serving(tmp_path, smtp_host="127.0.0.1", smtp_port=inbox.port, smtp_starttls=False) as base:
        home = f"{base}/{locale}/echange-de-logement/"
        engine = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            create_organisation(session, "bailleur", "landlord")
        engine.dispose()
        page.goto(home)
        assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        check(page, watch, viewport)
        page.locator("main a[href$='/echange-de-logement/inscription']").first.click()
        page.wait_for_load_state()
        check(page, watch, viewport)
        page.locator("main form button[type=submit]").click()  # nothing filled in: every problem is said
        page.wait_for_load_state()
        assert page.locator("#error-summary").count() == 1
        assert page.locator("#email[aria-invalid=true]").count() == 1
        check(page, watch, viewport)
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert email in page.locator("main").inner_text()
        check(page, watch, viewport)

        [(to, body)] = inbox.messages
        assert to == [email]
        link = re.search(r"http://\S+", body)[0].replace("http://127.0.0.1:5000", base)
        page.goto(link)
        check(page, watch, viewport)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(home)
        assert email in page.locator("main").inner_text()
        check(page, watch, viewport)

        page.locator("main a[href$='/echange-de-logement/mon-annonce']").click()
        page.wait_for_load_state()
        check(page, watch, viewport)
        page.locator("main form button[type=submit]").click()  # nothing filled in
        page.wait_for_load_state()
        assert page.locator("#error-summary li").count() >= 10
        check(page, watch, viewport)
        page.select_option("#landlord", label="Organisation bailleur")
        page.fill("#tenant_reference", "AB-1234")
        page.fill("#adults", "1")
        page.fill("#dependants", "1")
        page.fill("#income", "15000")
        page.select_option("#commune", "72181")
        page.select_option("#dwelling_type", "T2")
        page.fill("#surface", "45")
        page.fill("#floor", "2")
        page.check("#step_free")
        page.fill("#rent", "390")
        page.select_option("#financing", "PLUS")
        page.check("input[name=wish_types][value=T3]")
        page.check("input[name=wish_communes][value='72003']")
        page.fill("#wish_max_rent", "520")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/echange-de-logement/mon-annonce")
        assert page.locator("form[action$='/mon-annonce/retrait']").count() == 1
        check(page, watch, viewport)
        photo = tmp_path / "salon.png"
        Image.new("RGB", (800, 600), (40, 140, 90)).save(photo)
        page.set_input_files("#photo", str(photo))
        page.locator("form[action$='/mon-annonce/photos'] button[type=submit]").click()
        page.wait_for_load_state()
        shown = page.locator("ul.photos img")
        assert shown.count() == 1
        shown.scroll_into_view_if_needed()  # loading="lazy": fetched once near the viewport
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=shown.element_handle())
        assert page.evaluate("(img) => img.naturalWidth", shown.element_handle()) == 800
        check(page, watch, viewport)

        page.locator("main a[href$='/mon-annonce/souhaits']").click()
        page.wait_for_load_state()
        page.check("input[name=wish_communes][value='72181']")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/echange-de-logement/mon-annonce")
        assert "Le Mans" in page.locator("main dl dd").nth(1).inner_text()  # what the tenant looks for

        page.goto(f"{home}mon-compte/double-authentification")
        page.wait_for_function("() => document.querySelector('figure img').naturalWidth > 0")
        check(page, watch, viewport)
        key = page.locator("code.secret-key").inner_text().replace(" ", "")
        page.fill("#code", pyotp.TOTP(key).now())
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#spare-code").count() == 1
        check(page, watch, viewport)

        page.goto(f"{home}mon-compte/suppression")
        check(page, watch, viewport)
        page.goto(home)
        page.locator(f"main form[action$='/{locale}/echange-de-logement/deconnexion'] button").click()
        page.wait_for_url(home)
        assert email not in page.locator("main").inner_text()
        assert page.locator("main a[href$='/echange-de-logement/connexion']").count() == 1
