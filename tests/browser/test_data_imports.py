"""An EPCI administrator imports the social housing stock in Chromium: upload, validation report,
confirmation, history; axe on every page, on a phone and a desktop."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.allocation_files import SAMPLES
from tests.browser.support import check, serving, sign_in, size_of, through_job
from tests.factories.partners import create_organisation, create_partner

SECRETS = {size: pyotp.random_base32() for size in ("phone", "desktop")}


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imports")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            epci = create_organisation(session, "metropole-imports", kind="epci")
            for size, secret in SECRETS.items():
                create_partner(session, f"admin-{size}@metropole.fr", {epci: ["admin"]}, totp_secret=secret)
        engine.dispose()
        yield base


def test_an_epci_admin_imports_the_stock_after_reading_the_report(import_server, page, watch, viewport):
    size = size_of(viewport)
    page.goto(f"{import_server}/partenaires/connexion")
    sign_in(page, f"admin-{size}@metropole.fr", secret=SECRETS[size])
    page.locator("main a[href='/partenaires/donnees/']").click()
    page.wait_for_load_state()
    check(page, watch, viewport)

    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()  # nothing chosen
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 1
    check(page, watch, viewport)

    page.check("input[name=kind][value=stock]")
    page.set_input_files("#upload", str(SAMPLES / "stock.csv"))
    page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()
    through_job(page, watch, viewport)
    assert page.locator("#import-rows").inner_text() == "10"
    assert page.locator("#import-confirm").count() == 1
    check(page, watch, viewport)

    page.locator("#import-confirm button[type=submit]").click()
    page.wait_for_load_state()
    through_job(page, watch, viewport)
    assert page.url.endswith("/partenaires/donnees/historique")
    first = page.locator("#import-history tbody tr").first
    assert first.get_attribute("data-outcome") == "applied"
    assert "stock.csv" in first.inner_text() and f"admin-{size}@metropole.fr" in first.inner_text()
    check(page, watch, viewport)
