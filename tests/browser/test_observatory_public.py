"""The public figures in Chromium, French and Arabic, phone and desktop, with axe: the territory page, a
commune page's figures and the comparison page, chosen with the form (no JavaScript needed)."""

from __future__ import annotations

import pytest

from tests.browser.support import check


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_territory_and_commune_figures_have_no_accessibility_violation(
    live_server, page, watch, viewport, locale
):
    response = page.goto(f"{live_server}/{locale}/chiffres")
    assert response.status == 200
    assert page.locator("#territory-figures-table tbody tr").count() == 6
    check(page, watch, viewport)
    page.locator("#communes-table a", has_text="Le Mans").click()
    page.wait_for_url(f"**/{locale}/communes/72181-le-mans")
    assert page.locator("#commune-figures-table tbody tr").count() == 6
    assert page.locator("#commune-figures-definitions dt").count() == 5
    check(page, watch, viewport)


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_applicant_compares_communes(live_server, page, watch, viewport, locale):
    page.goto(f"{live_server}/{locale}/chiffres/comparer")
    check(page, watch, viewport)
    page.check("#communes-72181")
    page.check("#communes-72003")
    page.select_option("#type", "T3")
    page.locator("main form button[type=submit]").click()
    page.locator("#comparison-table").wait_for()
    headers = page.locator("#comparison-table thead th[data-insee]")
    assert [headers.nth(i).get_attribute("data-insee") for i in range(headers.count())] == [
        "72003",
        "72181",
    ]  # in the list's order
    assert page.locator("#communes-72181").is_checked()
    check(page, watch, viewport)


def test_a_refused_choice_is_announced_and_kept(live_server, page, watch, viewport):
    page.goto(f"{live_server}/fr/chiffres/comparer")
    for insee in ("72181", "72003", "72001", "72008", "72054", "72073"):
        page.check(f"#communes-{insee}")
    page.locator("main form button[type=submit]").click()
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.title().startswith("Erreur")
    assert page.locator("input[name=communes]:checked").count() == 6
    summary.locator("a[href='#communes']").click()
    check(page, watch, viewport)
