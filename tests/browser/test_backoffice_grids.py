"""The grid editor in Chromium: a reviewer drafts a new version, changes a criterion's points (after a
refused value), opens the draft's impact and activates it today; axe on every page, phone and desktop."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy.orm import sessionmaker

from portal import clock
from portal.db import make_engine
from tests.browser.support import check, serving, sign_in, size_of, through_job
from tests.factories.partners import create_organisation, create_partner

SECRET = pyotp.random_base32()
# Each viewport works on its own grid: the server is shared by both runs.
GRIDS = {"phone": ("general", "dalo"), "desktop": ("mutation", "violences")}
DRAFTS = {"general": "v3", "mutation": "v2"}  # the version a new draft takes


@pytest.fixture(scope="module")
def grid_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("grids")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            epci = create_organisation(session, "metropole-grilles", kind="epci")
            for size in GRIDS:
                create_partner(
                    session, f"relecteur-{size}@metropole.fr", {epci: ["reviewer"]}, totp_secret=SECRET
                )
        engine.dispose()
        yield base


def submit(page, selector: str = "main form button[type=submit]") -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state()


def test_a_reviewer_drafts_changes_sees_the_impact_and_activates(grid_server, page, watch, viewport):
    size = size_of(viewport)
    code, criterion = GRIDS[size]
    page.goto(f"{grid_server}/partenaires/connexion")
    sign_in(page, f"relecteur-{size}@metropole.fr", secret=SECRET)
    page.locator("main a[href$='/partenaires/grilles/']").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    submit(page, f"form[action$='/grilles/{code}/nouvelle-version'] button")
    assert page.url.endswith(f"/grilles/{code}/{DRAFTS[code]}")
    assert page.locator("#grid-status").get_attribute("data-status") == "draft"
    check(page, watch, viewport)
    page.locator(f"#criterion-{criterion} a").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    page.fill("#points", "beaucoup")
    submit(page)
    assert page.locator("#points[aria-invalid=true]").count() == 1
    assert page.locator("#points").input_value() == "beaucoup", "what was typed stays"
    assert page.locator(".error-summary[role=alert]").count() == 1
    check(page, watch, viewport)
    page.fill("#points", "75")
    submit(page)
    assert page.url.endswith(f"/grilles/{code}/{DRAFTS[code]}")
    assert "75" in page.locator(f"#criterion-{criterion}").inner_text()
    page.locator("#rules-link").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    rules = page.locator("#computed").input_value()
    page.fill("#computed", rules + "\nnot a rule")
    submit(page)
    assert page.locator("#computed[aria-invalid=true]").count() == 1
    assert page.locator(".error-summary[role=alert]").count() == 1
    assert page.locator("#computed").input_value().endswith("not a rule"), "what was typed stays"
    check(page, watch, viewport)
    page.fill("#computed", rules)
    page.fill("#floor", "0")
    submit(page)
    assert page.url.endswith(f"/grilles/{code}/{DRAFTS[code]}")
    assert page.locator(".grid-rules").count() == 1
    page.locator("#impact-link").click()
    page.wait_for_load_state()
    check(page, watch, viewport)
    submit(page, "#impact-start button")
    through_job(page, watch, viewport)
    assert int(page.locator("#impact-demands").inner_text()) > 0
    assert page.locator("figure svg[role=img]").count() == 1
    assert page.locator("#impact-bands tbody tr").count() >= 1
    check(page, watch, viewport)
    page.goto(page.url.rsplit("/impact", 1)[0])
    page.fill("#effective_from", clock.today().isoformat())  # Paris, as the portal reads it
    submit(page, "form[action$='/activer'] button")
    through_job(page, watch, viewport)
    assert page.locator("#grid-status").get_attribute("data-status") == "active"
    check(page, watch, viewport)
