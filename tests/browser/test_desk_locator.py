"""The desk locator in Chromium: by postcode, by commune, near me; a desk page; French and Arabic; axe."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_violations, check, open_page


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_applicant_finds_a_desk_by_postcode_and_opens_it(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/guichets")
    check(page, watch, viewport)
    page.fill("#q", "72700")
    page.locator("#desk-search button[type=submit]").click()
    page.wait_for_url("**/guichets?q=72700*")
    first = page.locator(".desk-results .desk-result").first
    assert "72700" in first.inner_text()
    check(page, watch, viewport)
    first.locator("h3 a").click()
    page.wait_for_selector("table.hours")
    assert page.locator("table.hours tbody tr").count() == 7
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_applicant_finds_a_desk_by_commune_with_a_typo(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/guichets")
    page.fill("#q", "Coulaine")
    page.locator("#desk-search summary").click()
    page.select_option("#level", "2")
    page.locator("#desk-search button[type=submit]").click()
    page.wait_for_selector(".desk-results .desk-result")
    assert "Coulaines" in page.locator(".desk-results .desk-result").first.inner_text()
    check(page, watch, viewport)


def test_near_me_uses_the_browser_position(live_server, browser, watch):
    from tests.browser.support import PHONE

    context, page = open_page(browser, PHONE, watch)
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 48.0415, "longitude": 0.2125})  # Coulaines
    page.goto(f"{live_server}/fr/guichets")
    page.locator("#near-me").click()
    page.wait_for_url("**lat=48.041*")
    assert "Coulaines" in page.locator(".desk-results .desk-result").first.inner_text()
    assert axe_violations(page) == []
    context.close()
    watch.assert_clean()


def test_near_me_button_is_hidden_without_javascript(live_server, browser, watch):
    from tests.browser.support import DESKTOP

    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/fr/guichets?q=72000")
    assert not page.locator("#near-me").is_visible()
    assert page.locator(".desk-results .desk-result").count() > 0
    context.close()


def test_map_markers_follow_the_list(map_server, page, watch, viewport):
    page.goto(f"{map_server}/fr/guichets?q=72000&level=3")
    page.wait_for_selector(".leaflet-marker-icon")
    items = page.locator(".desk-results .desk-result")
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == items.count() == 2
    markers.first.click(force=True)
    assert page.locator(".desk-result--selected").count() == 1
    assert axe_violations(page) == []
    watch.assert_clean()
