"""Home, legal, site map and error pages in a real browser: axe finds nothing, on a phone and a desktop."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_violations

PAGES = ["", "mentions-legales", "donnees-personnelles", "accessibilite", "plan-du-site", "page-inconnue"]


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path or "home")
@pytest.mark.parametrize("locale", ["fr", "en", "ar", "ru"])
def test_page_has_no_accessibility_violation(live_server, page, watch, viewport, locale, path):
    response = page.goto(f"{live_server}/{locale}/{path}")
    assert response.status == (404 if path == "page-inconnue" else 200)
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    assert axe_violations(page) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {viewport['width']}px"
    watch.assert_clean()


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}], ids=["phone"], indirect=False)
def test_keyboard_user_skips_to_the_content(live_server, page, watch):
    page.goto(f"{live_server}/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu principal"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    watch.assert_clean()


def test_switching_language_keeps_the_page_and_turns_it_right_to_left(live_server, page, watch):
    page.goto(f"{live_server}/fr/donnees-personnelles")
    switcher = page.locator(".language-switcher summary")
    switcher.click()
    assert axe_violations(page) == [], "the open language list is accessible too"
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(f"{live_server}/ar/donnees-personnelles")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    start = page.evaluate("getComputedStyle(document.querySelector('main h1')).textAlign")
    assert start in ("start", "right")
    watch.assert_clean()


def test_root_sends_an_arabic_browser_to_the_arabic_home(live_server, browser, watch):
    from tests.browser.support import PHONE, open_page

    context, page = open_page(browser, PHONE, watch, locale="ar")
    page.goto(f"{live_server}/")
    assert page.url == f"{live_server}/ar/"
    context.close()
    watch.assert_clean()


def loaded_faces(page) -> list[str]:
    page.evaluate("document.fonts.ready")
    return page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded')"
        ".map(f => `${f.family} ${f.weight} ${f.style}`)"
    )


def test_vendored_fonts_are_used(live_server, page, watch):
    """Body text and headings use the vendored faces, Latin and Arabic (a broken @font-face is caught)."""
    page.goto(f"{live_server}/ar/")
    loaded = loaded_faces(page)
    for face in (
        "Atkinson Hyperlegible 400 normal",
        "Atkinson Hyperlegible 700 normal",
        "Noto Sans Arabic 400 normal",
        "Noto Sans Arabic 700 normal",
    ):
        assert face in loaded
    page.goto(f"{live_server}/uk/")
    loaded = loaded_faces(page)
    assert "Noto Sans 400 normal" in loaded, "Cyrillic text uses the vendored Noto Sans"
    watch.assert_clean()


def test_axe_reports_a_real_violation(live_server, page):
    """The accessibility check can fail: an image without text alternative is caught."""
    page.goto(f"{live_server}/fr/")
    page.evaluate("document.querySelector('.site-header__logo').removeAttribute('alt')")
    assert any(line.startswith("image-alt") for line in axe_violations(page))
