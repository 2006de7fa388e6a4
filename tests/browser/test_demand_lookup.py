"""Looking a demand up in Chromium, in French and Arabic, phone and desktop, with axe."""

from __future__ import annotations

import pytest

from tests.browser.support import check
from tests.support import DEMO_LOOKUPS


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_applicant_looks_up_the_demand_and_leaves(live_server, page, watch, viewport, locale):
    number, birth_date = DEMO_LOOKUPS[1]
    page.goto(f"{live_server}/{locale}/ma-demande")
    check(page, watch, viewport)
    page.fill("#number", number)
    page.fill("#birth_date", birth_date.strftime("%d/%m/%Y"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ma-demande/situation")
    assert page.locator(".histogram svg rect").count() >= 1
    assert page.locator("table.table tbody tr").count() >= 1, "the histogram's data also stand as a table"
    check(page, watch, viewport)
    page.locator("form.leave-form button").click()
    page.wait_for_url(f"**/{locale}/ma-demande")
    page.goto(f"{live_server}/{locale}/ma-demande/situation")
    assert page.url.endswith(f"/{locale}/ma-demande")


def test_a_wrong_date_is_announced(live_server, page, watch, viewport):
    number, _ = DEMO_LOOKUPS[1]
    page.goto(f"{live_server}/fr/ma-demande")
    page.fill("#number", number)
    page.fill("#birth_date", "01/01/1901")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert page.title().startswith("Erreur")
    check(page, watch, viewport)
