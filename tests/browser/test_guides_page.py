"""The desk agent's guides page in Chromium: choose a guide, see the error, preview, download; axe."""

from __future__ import annotations

import pytest

from tests.browser.support import check


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_an_agent_chooses_a_guide_sees_the_error_then_downloads_it(
    live_server, page, watch, viewport, locale
):
    assert page.goto(f"{live_server}/{locale}/guides").status == 200
    check(page, watch, viewport)
    page.select_option("#guide", "commune")
    page.select_option("#locale", "ar")
    page.locator("main form button[value=pdf]").click()
    page.locator(".error-summary, [role=alert]").first.wait_for()
    assert page.locator("#commune[aria-invalid=true]").count() == 1
    assert page.locator("#guide").input_value() == "commune", "the choice is kept"
    check(page, watch, viewport)
    page.select_option("#commune", "72003")
    with page.expect_download() as download_info:
        page.locator("main form button[value=pdf]").click()
    download = download_info.value
    assert download.suggested_filename == "commune-ar-72003.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_preview_is_readable_on_a_phone(live_server, page, watch, viewport, locale):
    assert page.goto(f"{live_server}/fr/guides?guide=grid&locale={locale}&format=html").status == 200
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    check(page, watch, viewport)
