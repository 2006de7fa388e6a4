"""Pages the security work added, in Chromium, French and Arabic, phone and desktop, with axe: a document
being prepared (no render inside the request), and the page of an e-mailed link whose code comes after
"#" (filled in by a script, typed without JavaScript) and never stays in the address."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from portal import clock
from portal.db import make_engine
from portal.partners import tokens
from tests.browser.support import check, serving, size_of
from tests.factories.partners import create_organisation, create_partner


@pytest.fixture(scope="module")
def queued_server(tmp_path_factory):
    """The portal with a real queue and no consumer: every guide not in the cache stays 'being prepared'."""
    with serving(tmp_path_factory.mktemp("queued"), jobs_immediate=False) as base:
        yield base


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_guide_not_printed_yet_is_announced_as_being_prepared(queued_server, page, watch, viewport, locale):
    url = f"{queued_server}/{locale}/guides?guide=commune&locale={locale}&commune=72003&format=pdf"
    response = page.goto(url)
    assert response.status == 503
    assert response.headers["retry-after"] == "5" and response.headers["refresh"] == "5"
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    status = page.locator("main [role=status]")
    assert status.count() == 1 and status.inner_text().strip()
    if locale == "fr":
        assert "en préparation" in page.locator("h1").inner_text()
    watch.broken_resources.clear()  # the page itself is the 503; its resources must load
    check(page, watch, viewport)


@pytest.fixture(scope="module")
def link_server(tmp_path_factory):
    """The portal with partners who were each sent a reset code (made here as the job makes it)."""
    folder = tmp_path_factory.mktemp("links")
    codes = {}
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            town = create_organisation(session, "ville-liens")
            for name in ("fr-phone", "fr-desktop", "ar-phone", "ar-desktop", "nojs"):
                user = create_partner(session, f"lien-{name}@ville.fr", {town: ["editor"]})
                codes[name] = tokens.make_code(session, "reset", user, clock.now())
        engine.dispose()
        yield base, codes


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_the_code_of_an_emailed_link_is_filled_in_and_leaves_the_address(
    link_server, page, watch, viewport, locale
):
    base, codes = link_server
    code = codes[f"{locale}-{size_of(viewport)}"]
    page.goto(f"{base}/partenaires/connexion?lang={locale}")
    assert page.goto(f"{base}/partenaires/mot-de-passe#code={code}").status == 200
    page.wait_for_function("document.getElementById('code').value !== ''")
    assert page.locator("#code").input_value() == code
    assert "#" not in page.url and code not in page.url, "the code leaves the address bar"
    check(page, watch, viewport)
    page.fill("#password", "trois tortues sur le toit")
    page.fill("#confirm", "trois tortues sur le toit")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/partenaires/connexion")
    check(page, watch, viewport)


def test_without_javascript_the_code_is_typed_from_the_email(link_server, browser):
    base, codes = link_server
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/partenaires/mot-de-passe#code={codes['nojs']}")
    assert page.locator("#code").input_value() == ""
    page.fill("#code", tokens.grouped(codes["nojs"]).lower())  # as people copy it, in groups
    page.fill("#password", "quatre chats dans la neige")
    page.fill("#confirm", "quatre chats dans la neige")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/partenaires/connexion")
    context.close()
