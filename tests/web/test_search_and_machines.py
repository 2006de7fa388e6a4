"""Search on both backends, sitemap.xml and the JSON export of the pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portal.information import services
from tests.pagecheck import parse


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plafonds", "plafonds-de-ressources"),
        ("PLAFONDS", "plafonds-de-ressources"),
        ("eligibilite", None),  # accents do not matter: "éligibilité" matches
        ("médiation", "situations-prioritaires-et-dalo"),
        ("mediation", "situations-prioritaires-et-dalo"),
        ("mutation", "mutations"),
    ],
)
def test_search_is_accent_and_case_insensitive_on_each_backend(db, query, expected):
    hits = services.search(db, "fr", query)
    assert hits, query
    if expected:
        assert expected in [hit.key for hit in hits[:5]]


def test_search_stays_in_the_reader_language(db):
    french = {hit.key for hit in services.search(db, "fr", "DALO")}
    arabic = services.search(db, "ar", "DALO")
    assert french and arabic
    assert all(hit.kind in ("page", "commune") for hit in arabic)
    assert not services.search(db, "ar", "médiation et plafonds de ressources en français")


def test_search_finds_communes_and_easy_to_read_pages(db):
    assert [hit.key for hit in services.search(db, "fr", "Yvré")] == ["72386"]
    assert "page-easy" in {hit.kind for hit in services.search(db, "fr", "guichet")}


def test_search_query_cannot_inject_match_syntax(db):
    for query in ['" OR 1=1 --', "plafonds*)", "NEAR(a b)", "a:b", "''", "!&|:*"]:
        services.search(db, "fr", query)  # no exception: words only reach the index


def test_search_page_highlights_the_words(client):
    page = parse(client.get("/fr/recherche?q=plafonds+ressources"))
    results = page.findall(".//ol[@class='search-results']/li")
    assert results
    assert page.find(".//ol[@class='search-results']//mark") is not None
    assert page.find(".//p[@role='status']") is not None


def test_search_page_without_results_says_so(client):
    page = parse(client.get("/fr/recherche?q=zzzzqqq"))
    assert page.find(".//ol[@class='search-results']") is None
    assert "0" in "".join(page.find(".//p[@role='status']").itertext())


def test_every_page_has_a_search_box(client):
    for url in ("/fr/", "/ar/informations/cotation", "/en/mentions-legales"):
        form = parse(client.get(url)).find(".//form[@role='search']")
        assert form.get("method") == "get"
        assert form.get("action") == f"/{url.split('/')[1]}/recherche"


def test_snippet_marks_matches_and_escapes_text():
    snippet = services.snippet("Les <b>plafonds</b> de ressources changent. Plafond élevé.", ["plafond"])
    assert "&lt;b&gt;<mark>plafonds</mark>&lt;/b&gt;" in str(snippet)
    assert "<mark>Plafond</mark>" in str(snippet)


def test_sitemap_lists_every_page_in_every_language(client, app):
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    tree = ET.fromstring(response.get_data())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    locales = app.config["PORTAL_SETTINGS"].locales
    for code in locales:
        assert f"http://127.0.0.1:5000/{code}/informations/cotation" in locs
        assert f"http://127.0.0.1:5000/{code}/communes/72181-le-mans" in locs
    assert "http://127.0.0.1:5000/fr/informations/cotation/facile" in locs
    first = tree.find("s:url", ns)
    assert len(first.findall("x:link", ns)) == len(locales)


def test_json_export_of_the_published_pages(client):
    data = client.get("/api/v1/pages?lang=en").get_json()
    assert data["language"] == "en"
    slugs = [page["slug"] for page in data["pages"]]
    assert len(slugs) == 12 and "cotation" in slugs
    page = next(page for page in data["pages"] if page["slug"] == "situations-prioritaires-et-dalo")
    assert "[[" not in page["body_markdown"] and "<script" not in page["body_html"]
    assert page["url"] == "http://127.0.0.1:5000/en/informations/situations-prioritaires-et-dalo"
    assert client.get("/api/v1/pages?lang=xx").status_code == 400
    assert client.get("/api/v1/pages").get_json()["language"] == "fr"
