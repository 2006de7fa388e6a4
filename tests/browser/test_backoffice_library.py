"""The network's common space in Chromium, on a phone and a desktop: an editor shares a document (a real
file input), posts a news item, sees both; the public page shows the public ones. axe on every page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from portal.db import make_engine
from tests.browser.support import check, serving, sign_in, size_of
from tests.factories.partners import create_organisation, create_partner

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def library_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("library")
    with serving(folder) as base:
        engine = make_engine(f"sqlite:///{folder / 'portal.db'}")
        with sessionmaker(engine).begin() as session:
            town = create_organisation(session, "ville-documents")
            for size in ("phone", "desktop"):
                create_partner(session, f"editeur-{size}@ville.fr", {town: ["editor"]})
        engine.dispose()
        yield base


def test_an_editor_shares_a_document_and_a_news_item(library_server, page, watch, viewport, tmp_path):
    size = size_of(viewport)
    page.goto(f"{library_server}/partenaires/connexion")
    sign_in(page, f"editeur-{size}@ville.fr")
    assert page.url.endswith("/partenaires/")
    page.locator("main a[href='/partenaires/documents/']").click()
    page.wait_for_load_state()
    check(page, watch, viewport)

    page.goto(f"{library_server}/partenaires/documents/organisations/ville-documents/nouveau")
    check(page, watch, viewport)
    page.locator("main form button[type=submit]").click()  # nothing filled in: every problem is said
    page.wait_for_load_state()
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#file[aria-invalid=true]").count() == 1
    check(page, watch, viewport)

    path = tmp_path / f"compte rendu {size}.pdf"
    path.write_bytes(PDF)
    page.set_input_files("#file", str(path))
    page.fill("#title", f"Compte rendu public {size}")
    page.fill("#tags", "comité, cotation")
    page.check("#visibility-1")  # public
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partenaires/documents/")
    row = page.locator("#documents tbody tr", has_text=f"Compte rendu public {size}")
    assert row.count() == 1 and "PDF" in row.inner_text()
    check(page, watch, viewport)
    with page.expect_download() as download:
        row.locator("th a").click()
    assert download.value.suggested_filename == f"compte rendu {size}.pdf"

    page.goto(f"{library_server}/partenaires/documents/organisations/ville-documents/actualites/nouveau")
    check(page, watch, viewport)
    page.fill("#title", f"Nouvelle grille {size}")
    page.fill("#body", "La grille change le **1er janvier**.\n\n<script>alert('x')</script>")
    page.check("#visibility-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/partenaires/documents/actualites")
    article = page.locator("article", has_text=f"Nouvelle grille {size}")
    assert article.locator("strong").inner_text() == "1er janvier"
    check(page, watch, viewport)

    page.goto(f"{library_server}/partenaires/documents/organisations/ville-documents/reunions/nouveau")
    check(page, watch, viewport)

    page.goto(f"{library_server}/fr/reseau/")
    assert page.locator("#documents", has_text=f"Compte rendu public {size}").count() == 1
    assert page.locator("#news", has_text=f"Nouvelle grille {size}").count() == 1
    check(page, watch, viewport)
