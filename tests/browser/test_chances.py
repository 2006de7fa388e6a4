"""What similar demands became, the what-if, the reminders and the documents checklist in Chromium, in
French and Arabic, phone and desktop, with axe."""

from __future__ import annotations

import pytest

from tests.browser.support import check
from tests.support import DEMO_LOOKUPS


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_situation_shows_the_curve_and_the_what_if(live_server, page, watch, viewport, locale):
    number, birth_date = DEMO_LOOKUPS[1]
    page.goto(f"{live_server}/{locale}/ma-demande")
    page.fill("#number", number)
    page.fill("#birth_date", birth_date.strftime("%d/%m/%Y"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ma-demande/situation")
    outcome = page.locator("section[aria-labelledby=outcome-title]")
    assert outcome.locator("svg.curve__chart circle").count() == 4
    assert outcome.locator("table tbody tr").count() == 7, "the curve's data also stand as a table"
    chart = outcome.locator("svg.curve__chart").bounding_box()
    assert chart["width"] <= viewport["width"], "the chart fits the screen"
    points = outcome.locator("svg.curve__chart circle")
    first, last = points.nth(0).bounding_box()["x"], points.nth(3).bounding_box()["x"]
    assert (first > last) if locale == "ar" else (first < last), "the curve runs with the reading direction"
    what_if = page.locator("section[aria-labelledby=what-if-title] table tbody tr")
    assert what_if.count() >= 2
    assert page.locator("a[href$='/ma-demande/renouvellement.ics']").is_visible()
    assert page.locator("input[name=email]").is_visible()
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_chances_of_a_profile_from_the_simulator(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/mes-chances?kind=new")
    check(page, watch, viewport)
    page.select_option("select[name=dwelling_type]", "T3")
    page.select_option("select[name=commune]", "72181")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("section[aria-labelledby=outcome-title]")
    assert page.locator("section[aria-labelledby=outcome-title] table tbody tr").count() == 7
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_documents_checklist_is_ticked_and_printed(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/pieces-a-fournir")
    check(page, watch, viewport)
    page.locator("#situation-retired").check()
    page.locator("#situation-separated").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**situation=separated")
    assert page.locator("main h3").count() == 2
    check(page, watch, viewport)
    page.emulate_media(media="print")
    assert not page.locator("main form").is_visible(), "the form is not printed"
    assert page.locator(".checklist__items li").first.is_visible()
