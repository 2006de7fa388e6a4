"""The publish workflow in Chromium, end to end: an editor of a commune changes a page (live preview, then
the no-JavaScript preview), submits it; a reviewer of the authority reads the comparison and publishes it;
the public page shows it. In French and Arabic, on a phone and a desktop; axe on every back-office page."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.browser.support import check, serving, sign_in, size_of
from tests.factories.partners import create_organisation, create_partner

SECRET = pyotp.random_base32()
PAGES = {  # one page per run, so the runs do not publish over each other
    ("fr", "phone"): "qui-peut-demander",
    ("fr", "desktop"): "mutations",
    ("ar", "phone"): "cotation",
    ("ar", "desktop"): "pieces-justificatives",
}


@pytest.fixture(scope="module")
def content_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("content")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            town = create_organisation(session, "ville-test")
            epci = create_organisation(session, "metropole-test", kind="epci")
            for locale, size in PAGES:
                create_partner(session, f"redaction-{locale}-{size}@ville.fr", {town: ["editor"]})
                create_partner(
                    session,
                    f"relecture-{locale}-{size}@metropole.fr",
                    {epci: ["reviewer"]},
                    totp_secret=SECRET,
                )
        engine.dispose()
        yield base


def click(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_page_goes_from_an_editor_to_the_public_through_review(
    content_server, page, watch, viewport, locale
):
    size = size_of(viewport)
    slug = PAGES[(locale, size)]
    marker = f"repere-{locale}-{size}"
    page.goto(f"{content_server}/partenaires/connexion?lang={locale}")
    sign_in(page, f"redaction-{locale}-{size}@ville.fr")
    click(page, "main a[href='/partenaires/contenus/']")
    assert page.locator(f"a[href='/partenaires/contenus/{slug}/fr/standard']").count() == 1
    check(page, watch, viewport)

    click(page, f"a[href='/partenaires/contenus/{slug}/fr/standard']")
    check(page, watch, viewport)
    body = page.locator("#body").input_value()
    page.fill("#body", f"{body}\n## Nouveau paragraphe\n\nUn texte **{marker}** ajouté.\n")
    page.locator("#preview strong", has_text=marker).wait_for(
        timeout=5000
    )  # the live preview, from the server

    click(page, "button[value=preview]")  # the same preview without JavaScript: a round trip
    assert page.locator("#preview strong", has_text=marker).count() == 1
    assert marker in page.locator("#body").input_value(), "the text stays in the form"
    check(page, watch, viewport)

    click(page, "button[value=submit]")
    assert "/partenaires/contenus/versions/" in page.url
    draft = page.url.split(content_server, 1)[1]
    assert page.locator("ins", has_text=marker).count() >= 1
    check(page, watch, viewport)
    page.goto(f"{content_server}/partenaires/")
    click(page, "form[action$='/partenaires/deconnexion'] button")

    sign_in(page, f"relecture-{locale}-{size}@metropole.fr")
    page.fill("#code", pyotp.TOTP(SECRET).now())
    click(page, "main form button[type=submit]")
    click(page, "main a[href='/partenaires/contenus/']")
    waiting = page.locator(f"main ul[aria-labelledby=review-title] a[href='{draft}']")
    assert waiting.count() == 1, "the draft waits for review"
    check(page, watch, viewport)
    waiting.click()
    page.wait_for_load_state()
    assert page.locator("ins", has_text=marker).count() >= 1, (
        "the reviewer sees the change beside the old text"
    )
    check(page, watch, viewport)
    click(page, "button[value=publish]")
    assert page.locator(".notice").count() >= 1
    check(page, watch, viewport)

    page.goto(f"{content_server}/fr/informations/{slug}")
    assert page.locator("main strong", has_text=marker).count() == 1, (
        "the public page shows the published text"
    )


def test_a_refused_text_keeps_what_the_editor_typed(content_server, page, watch, viewport):
    size = size_of(viewport)
    page.goto(f"{content_server}/partenaires/connexion")
    sign_in(page, f"redaction-fr-{size}@ville.fr")
    page.goto(f"{content_server}/partenaires/contenus/glossaire/fr/standard")
    page.fill("#body", "## Lexique\n\nVoir [ce site](https://ailleurs.example/) et <b>gras</b>.\n")
    click(page, "button[value=save]")
    assert page.locator("#error-summary").count() == 1
    assert "ailleurs.example" in page.locator("#body").input_value()
    assert page.locator("#body[aria-invalid=true]").count() == 1
    check(page, watch, viewport)
