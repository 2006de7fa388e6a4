"""Information pages as readers get them: translations, fallbacks, easy-to-read French, communes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.information.loader import publish_version
from portal.information.models import ARCHIVED, EASY, PUBLISHED, Page, PageVersion
from portal.revision import bump_revision
from tests.content_set import EASY_SLUGS, PAGE_SLUGS
from tests.pagecheck import parse, text_of


def test_index_lists_every_page_by_section(client):
    page = parse(client.get("/fr/informations"))
    links = [a.get("href") for a in page.findall(".//ul[@class='card-grid']//a")]
    assert links == [f"/fr/informations/{slug}" for slug in PAGE_SLUGS]
    assert [text_of(h2) for h2 in page.findall(".//main//h2")] == [
        "Faire une demande",
        "Cotation et attribution",
        "Vos droits et de l'aide",
    ]


@pytest.mark.parametrize("slug", PAGE_SLUGS)
def test_every_page_is_published_in_french_with_its_tokens_filled(client, slug):
    response = client.get(f"/fr/informations/{slug}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "[[" not in text
    assert parse(response).find(".//div[@class='prose']//h2") is not None


@pytest.mark.parametrize("slug", EASY_SLUGS)
def test_every_page_links_its_easy_to_read_version(client, slug):
    page = parse(client.get(f"/fr/informations/{slug}"))
    link = page.find(".//p[@class='easy-link']/a")
    assert link.get("href") == f"/fr/informations/{slug}/facile"
    easy = client.get(link.get("href"))
    assert easy.status_code == 200
    assert "facile à lire" in text_of(parse(easy).find(".//h1"))


def test_a_page_whose_easy_version_is_withdrawn_has_no_link_and_no_page(db_app, db):
    easy = db.scalar(
        select(PageVersion)
        .join(Page)
        .where(Page.slug == "glossaire", PageVersion.variant == EASY, PageVersion.status == PUBLISHED)
    )
    easy.status = ARCHIVED
    bump_revision(db)
    db.flush()
    client = db_app.test_client()
    assert parse(client.get("/fr/informations/glossaire")).find(".//p[@class='easy-link']") is None
    assert client.get("/fr/informations/glossaire/facile").status_code == 404
    assert client.get("/fr/informations/pas-de-page/facile").status_code == 404


def test_easy_version_read_from_another_language_says_it_is_french(client):
    page = parse(client.get("/ar/informations/cotation/facile"))
    assert page.find(".//div[@role='note']") is not None
    content = page.find(".//main/div[@lang='fr']")
    assert content is not None and content.get("dir") == "ltr"


def test_internal_links_follow_the_reader_language(client):
    page = parse(client.get("/en/informations/qui-peut-demander"))
    hrefs = [a.get("href") for a in page.findall(".//div[@class='prose']//a")]
    internal = [href for href in hrefs if href.startswith("/")]
    assert internal and all(href.startswith("/en/") for href in internal)


def test_unknown_page_is_not_found(client):
    assert client.get("/fr/informations/n-existe-pas").status_code == 404


def latest(db, slug: str, locale: str) -> PageVersion:
    page = db.scalars(select(Page).where(Page.slug == slug)).one()
    return db.scalars(
        select(PageVersion).where(
            PageVersion.page_id == page.id,
            PageVersion.locale == locale,
            PageVersion.variant == "standard",
            PageVersion.status == "published",
        )
    ).one()


def test_translation_behind_its_french_source_says_so_and_links_the_french(db_app, db):
    french = latest(db, "cotation", "fr")
    publish_version(
        db,
        french.page,
        "fr",
        "standard",
        title=french.title,
        summary=french.summary,
        body=french.body + "\nUne phrase ajoutée.\n",
        author="Test",
    )
    db.flush()
    page = parse(db_app.test_client().get("/en/informations/cotation"))
    note = page.find(".//main//div[@role='note']")
    assert note is not None
    assert note.find(".//a").get("href") == "/fr/informations/cotation"
    assert note.find(".//a").get("hreflang") == "fr"


def test_up_to_date_translation_has_no_notice(client):
    page = parse(client.get("/en/informations/cotation"))
    assert page.find(".//main//div[@role='note']") is None


def test_missing_translation_shows_the_french_marked_as_french(db_app, db):
    version = latest(db, "mutations", "ro")
    version.status = "archived"
    db.flush()
    page = parse(db_app.test_client().get("/ro/informations/mutations"))
    assert page.find(".//main/div[@lang='fr']") is not None
    assert page.find(".//main/h1").get("lang") == "fr", "the French title is marked as French"
    assert page.find(".//main//div[@role='note']") is not None


def test_communes_list_and_page(client):
    page = parse(client.get("/fr/communes"))
    links = [a.get("href") for a in page.findall(".//ul[@class='commune-list']//a")]
    assert len(links) == 20
    assert "/fr/communes/72386-yvre-l-eveque" in links
    commune = parse(client.get("/fr/communes/72181-le-mans"))
    assert "Le Mans" in text_of(commune.find(".//h1"))
    facts = text_of(commune.find(".//dl"))
    assert "72000" in facts and "Autres régions" in facts
    assert commune.find(".//section[@id='figures']//table[@id='commune-figures-table']") is not None


def test_commune_page_with_a_wrong_slug_redirects_to_the_right_one(client):
    response = client.get("/fr/communes/72181-lemans")
    assert response.status_code == 301
    assert response.headers["Location"] == "/fr/communes/72181-le-mans"
    assert client.get("/fr/communes/99999-nulle-part").status_code == 404
