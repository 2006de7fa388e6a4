"""Home page, legal pages and site map, in every locale."""

from __future__ import annotations

import pytest

from tests.pagecheck import parse

LOCALES = ("fr", "en", "ar", "es", "pt", "tr", "ro", "uk", "ru")
SITE_PAGES = ("mentions-legales", "donnees-personnelles", "accessibilite")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ar,fr;q=0.5", "/ar/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("de-DE", "/fr/"),
        (None, "/fr/"),
    ],
)
def test_root_redirects_to_the_browser_language_french_by_default(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("locale", LOCALES)
def test_home_introduces_the_portal_and_lists_the_communes(client, locale):
    response = client.get(f"/{locale}/")
    assert response.status_code == 200
    page = parse(response)
    assert page.get("lang") == locale
    assert page.get("dir") == ("rtl" if locale == "ar" else "ltr")
    communes = [
        " ".join("".join(li.itertext()).split()) for li in page.findall(".//ul[@class='commune-list']/li")
    ]
    assert len(communes) == 20
    assert any(item.startswith("Le Mans 72000") for item in communes)
    assert len(page.findall(".//ul[@class='card-grid']/li")) == 7
    assert page.find(f".//ul[@class='card-grid']//a[@href='/{locale}/echange-de-logement/']") is not None


def test_home_is_in_french_with_french_catalog(client):
    text = client.get("/fr/").get_data(as_text=True)
    assert "Demander un logement social" in text
    assert "Données de démonstration" in text or "démonstration" in text


def test_home_in_arabic_is_translated(client):
    text = client.get("/ar/").get_data(as_text=True)
    assert "السكن" in text


def test_demo_territory_is_marked_as_demonstration_on_every_page(client):
    for url in ("/fr/", "/fr/mentions-legales", "/fr/plan-du-site", "/fr/nulle-part"):
        page = parse(client.get(url))
        assert page.find(".//div[@class='demo-banner']") is not None, url


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("slug", SITE_PAGES)
def test_legal_pages_exist_in_every_locale(client, locale, slug):
    response = client.get(f"/{locale}/{slug}")
    assert response.status_code == 200
    page = parse(response)
    assert page.find(".//div[@class='prose']").get("lang") is None, (
        "a translated page is not marked as French"
    )
    assert page.findall(".//div[@class='prose']//h2"), "the page body has sections"


def test_accessibility_statement_gives_the_rgaa_status(client):
    text = client.get("/fr/accessibilite").get_data(as_text=True)
    assert "RGAA" in text and "non conforme" in text
    footer = parse(client.get("/fr/")).find(".//footer")
    assert "Accessibilité : non conforme" in " ".join("".join(footer.itertext()).split())


def test_missing_translation_falls_back_to_french_and_says_so(tmp_path, engines):
    import shutil

    from tests.support import CONTENT_DIR, build_app

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    (content / "site" / "ar" / "mentions-legales.md").unlink()
    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, content_dir=content)
    response = app.test_client().get("/ar/mentions-legales")
    connection.close()
    assert response.status_code == 200
    page = parse(response)
    prose = page.find(".//div[@class='prose']")
    assert prose.get("lang") == "fr" and prose.get("dir") == "ltr"
    assert page.find(".//div[@role='note']") is not None


def test_language_switcher_keeps_the_current_page(client):
    page = parse(client.get("/fr/donnees-personnelles"))
    links = {a.get("hreflang"): a.get("href") for a in page.findall(".//nav[@class='language-switcher']//a")}
    assert links == {code: f"/{code}/donnees-personnelles" for code in LOCALES}
    current = page.find(".//nav[@class='language-switcher']//a[@aria-current='true']")
    assert current.get("hreflang") == "fr"


def test_every_page_links_its_other_languages_with_hreflang(client):
    page = parse(client.get("/en/accessibilite"))
    alternates = {
        link.get("hreflang"): link.get("href") for link in page.findall(".//link[@rel='alternate']")
    }
    assert alternates == {code: f"http://127.0.0.1:5000/{code}/accessibilite" for code in LOCALES}


def test_site_map_lists_every_page(client):
    page = parse(client.get("/fr/plan-du-site"))
    hrefs = {a.get("href") for a in page.findall(".//main//a")}
    assert {"/fr/", "/fr/mentions-legales", "/fr/donnees-personnelles", "/fr/accessibilite"} <= hrefs


def test_unknown_locale_is_not_found(client):
    assert client.get("/xx/").status_code == 404
    assert client.get("/xx/mentions-legales").status_code == 404


def test_theme_css_comes_from_the_territory_file(client):
    response = client.get("/theme.css")
    assert response.mimetype == "text/css"
    assert "--color-primary: #1f4e8c;" in response.get_data(as_text=True)
    again = client.get("/theme.css", headers={"If-None-Match": response.headers["ETag"].strip('"')})
    assert again.status_code == 304


def test_health_check_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured"}


@pytest.mark.parametrize("query", ["lang_code=en", "slug=x", "_anchor=top", "_external=1", "q=a%26b"])
def test_query_strings_never_break_the_language_links(client, query):
    response = client.get(f"/fr/plan-du-site?{query}")
    assert response.status_code == 200
    links = {
        a.get("hreflang"): a.get("href")
        for a in parse(response).findall(".//nav[@class='language-switcher']//a")
    }
    assert links["en"] == f"/en/plan-du-site?{query}"


def test_the_menu_marks_the_current_page_once(client):
    page = parse(client.get("/fr/eligibilite"))
    marked = {
        a.get("href"): a.get("aria-current")
        for a in page.findall(".//nav[@class='site-nav']//a[@aria-current]")
    }
    assert marked == {"/fr/eligibilite": "page"}
    page = parse(client.get("/fr/informations/cotation"))
    marked = {
        a.get("href"): a.get("aria-current")
        for a in page.findall(".//nav[@class='site-nav']//a[@aria-current]")
    }
    assert marked == {"/fr/informations": "true"}


def test_only_trusted_hosts_are_answered_when_they_are_set(tmp_path, engines):
    from tests.support import build_app

    connection = engines("sqlite").connect()
    app = build_app(tmp_path, connection, trusted_hosts=("logement.example.org",))
    client = app.test_client()
    assert client.get("/fr/", base_url="https://logement.example.org").status_code == 200
    assert client.get("/fr/", base_url="https://evil.example.com").status_code == 400
    connection.close()


@pytest.mark.parametrize(
    ("locale", "face"),
    [
        ("fr", "atkinson-hyperlegible-latin-400"),
        ("tr", "latin-ext-400"),
        ("ar", "noto-sans-arabic"),
        ("uk", "cyrillic"),
    ],
)
def test_the_faces_of_the_first_screen_are_preloaded_and_served(client, locale, face):
    page = parse(client.get(f"/{locale}/"))
    preloads = [link for link in page.findall(".//head/link[@rel='preload']") if link.get("as") == "font"]
    assert any(face in link.get("href") for link in preloads), [link.get("href") for link in preloads]
    for link in preloads:
        assert link.get("crossorigin") is not None and link.get("type") == "font/woff2"
        assert client.get(link.get("href")).status_code == 200
