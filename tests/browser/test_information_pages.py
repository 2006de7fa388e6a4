"""Information pages, eligibility checker, search and communes in Chromium, with axe, phone and desktop."""

from __future__ import annotations

import pytest

from tests.browser.support import check
from tests.content_set import PAGE_SLUGS

PATHS = (
    ["informations", "eligibilite", "communes", "communes/72181-le-mans", "recherche?q=logement"]
    + [f"informations/{slug}" for slug in PAGE_SLUGS]
    + [f"informations/{slug}/facile" for slug in ("cotation", "plafonds-de-ressources", "vos-droits")]
    + [f"informations/{slug}/facile" for slug in ("glossaire", "questions-reponses")]
)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("locale", ["fr", "ar", "uk"])
def test_information_page_has_no_accessibility_violation(live_server, page, watch, viewport, locale, path):
    response = page.goto(f"{live_server}/{locale}/{path}")
    assert response.status == 200
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_applicant_checks_eligibility_and_reads_the_answer(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/eligibilite")
    page.select_option("#commune", "72003")
    page.fill("#adults", "1")
    page.fill("#dependants", "2")
    page.fill("#income", "25000")
    page.locator("main form button[type=submit]").click()
    result = page.locator("#result")
    result.wait_for()
    assert "45" in result.inner_text() or "٤٥" in result.inner_text()  # category 4, other regions: 45 374
    assert page.locator("#adults").input_value() == "1", "the answers stay in the form"
    check(page, watch, viewport)


def test_errors_are_announced_and_lead_to_the_field(live_server, page, watch, viewport):
    page.goto(f"{live_server}/fr/eligibilite")
    page.fill("#adults", "beaucoup")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert page.title().startswith("Erreur")
    summary.locator("a[href='#adults']").click()
    assert page.evaluate("document.activeElement.id") in ("adults", "")
    assert page.locator("#adults").input_value() == "beaucoup"
    check(page, watch, viewport)


def test_search_from_the_header_finds_a_page(live_server, page, watch, viewport):
    page.goto(f"{live_server}/fr/")
    if page.locator(".site-menu__toggle").is_visible():  # on a phone, search is behind the menu button
        page.locator(".site-menu__toggle").click()
    page.fill("#site-search-q", "médiation DALO")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/recherche?q=*")
    first = page.locator(".search-results li").first
    assert "mark" in first.inner_html()
    first.locator("a").click()
    page.wait_for_url("**/fr/informations/**")  # under load, the click returns before the page changes
    check(page, watch, viewport)
