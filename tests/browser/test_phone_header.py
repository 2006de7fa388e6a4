"""The header on a phone: search and the menu fold behind a "Menu" button, so that each page's title
starts in the top half of the first screen (360 × 740); on a desktop the menu shows without a click."""

from __future__ import annotations

import pytest

from tests.browser.support import DESKTOP, PHONE, check

PAGES = [
    "",
    "informations",
    "informations/situations-prioritaires-et-dalo",
    "informations/vos-droits/facile",
    "eligibilite",
    "guichets",
    "cotation",
    "cotation/grille",
    "cotation/simulateur",
    "ma-demande",
    "chiffres",
    "communes",
    "guides",
    "recherche?q=DALO",
    "donnees-personnelles",
    "plan-du-site",
]


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_title_starts_in_the_top_half_of_a_phone_screen(live_server, page, watch, viewport, locale):
    for path in PAGES:
        response = page.goto(f"{live_server}/{locale}/{path}")
        assert response.status == 200, path
        top = page.evaluate("document.querySelector('main h1').getBoundingClientRect().top")
        assert top < PHONE["height"] / 2, f"/{locale}/{path}: the h1 starts at {top:.0f}px"
        assert not page.locator(".site-nav").is_visible(), f"/{locale}/{path}: the menu starts folded"
    watch.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_menu_opens_and_search_stays_reachable_on_a_phone(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/informations")
    toggle = page.locator(".site-menu__toggle")
    assert toggle.is_visible()
    toggle.click()
    assert page.locator(".site-nav").is_visible()
    assert page.locator(".site-nav a").count() >= 6
    check(page, watch, viewport)  # the open menu: axe, no sideways scroll
    page.fill("#site-search-q", "DALO")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/{locale}/recherche?q=DALO")
    assert page.locator("main h1").is_visible()
    watch.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_menu_opens_from_the_keyboard(live_server, page, watch, viewport):
    page.goto(f"{live_server}/fr/")
    page.locator(".site-menu__toggle").focus()
    page.keyboard.press("Enter")
    assert page.locator(".site-nav").is_visible()
    page.keyboard.press("Enter")
    assert not page.locator(".site-nav").is_visible()
    watch.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
def test_on_a_desktop_the_menu_and_search_show_without_a_click(live_server, page, watch, viewport):
    page.goto(f"{live_server}/fr/informations")
    assert not page.locator(".site-menu__toggle").is_visible()
    assert page.locator(".site-nav").is_visible() and page.locator("#site-search-q").is_visible()
    check(page, watch, viewport)
    watch.assert_clean()


def test_without_javascript_the_menu_still_opens(live_server, browser, watch):
    from tests.browser.support import open_page

    context, page = open_page(browser, PHONE, watch, javascript=False)
    page.goto(f"{live_server}/fr/")
    page.locator(".site-menu__toggle").click()
    assert page.locator(".site-nav").is_visible()
    context.close()
    watch.assert_clean()
