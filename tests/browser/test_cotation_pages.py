"""The score pages in Chromium: the grid and the simulator, in French and Arabic, phone and desktop, axe."""

from __future__ import annotations

import pytest

from tests.browser.support import check


@pytest.mark.parametrize("path", ["cotation", "cotation/grille"])
@pytest.mark.parametrize("locale", ["fr", "ar", "ru"])
def test_score_pages_have_no_accessibility_violation(live_server, page, watch, viewport, locale, path):
    assert page.goto(f"{live_server}/{locale}/{path}").status == 200
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_applicant_simulates_a_score(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/cotation/simulateur")
    check(page, watch, viewport)
    page.fill("#filed_on", "12")
    page.check("#dalo")
    page.check("#group_hebergement-3")  # hosted by a relative or a third party
    page.locator("main form button[type=submit]").click()
    result = page.locator("#result")
    result.wait_for()
    # 12 months (+ 20: the Sarthe's abnormal delay is reached), DALO 50, hosted 15.
    assert "97" in result.locator("h2").inner_text() or "٩٧" in result.locator("h2").inner_text()
    assert page.locator(".score-lines li").count() == 4
    assert page.locator("#dalo").is_checked(), "the answers stay in the form"
    check(page, watch, viewport)
