"""Loading content/pages/: a bad file is refused with its name and nothing changes; versions are kept."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from portal import cli
from portal.content import ContentError
from portal.information.loader import load_pages, read_page_files, stamp_translation
from portal.information.models import Page, PageVersion
from portal.information.services import page_view
from tests.pagecheck import parse
from tests.support import CONTENT_DIR, build_app, portal_routes

LOCALES = ("fr", "en", "ar")
HOSTS = {"www.service-public.fr"}
ROUTES = portal_routes()
PAGE = 'title: "T"\nsection: aide-et-droits\nposition: 97'
SOURCE = "https://www.service-public.fr/"  # links are checked against the app's routes
REFERENCES = (
    'updated: 2026-12-01\nreferences: [{title: "Article L.441-1", url: "https://www.service-public.fr/x"}]'
)


def write(path, front: str, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n{textwrap.dedent(body)}", encoding="utf-8")


@pytest.fixture
def pages_dir(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(CONTENT_DIR / "pages" / "sections.yaml", folder)
    write(
        folder / "fr" / "essai-loader.md",
        """
        title: "Page d'essai"
        summary: "Résumé"
        section: aide-et-droits
        position: 99
        updated: 2026-12-01
        references:
          - title: "Code de la construction et de l'habitation, article L.441-1"
            url: "https://www.service-public.fr/particuliers/vosdroits/F18005"
    """,
        "## Partie\n\nVoir [les guichets](/fr/guichets) et [[territory]].\n",
    )
    write(folder / "en" / "essai-loader.md", 'title: "Test page"\nsummary: "Summary"', "## Part\n\nText.\n")
    return folder


def count_versions(db) -> int:
    return db.scalar(select(func.count()).select_from(PageVersion))


def test_loading_publishes_new_pages_and_reloading_changes_nothing(db, pages_dir):
    report = load_pages(db, pages_dir, LOCALES, HOSTS, ROUTES)
    assert report.created == 2
    assert report.outdated == ["en/essai-loader.md"], "an unstamped translation lags behind"
    again = load_pages(db, pages_dir, LOCALES, HOSTS, ROUTES)
    assert (again.created, again.unchanged) == (0, 2)


def test_a_stamped_translation_is_up_to_date_until_the_french_changes(db, pages_dir):
    stamp_translation(pages_dir / "en" / "essai-loader.md", pages_dir)
    assert load_pages(db, pages_dir, LOCALES, HOSTS, ROUTES).outdated == []
    assert page_view(db, "essai-loader", "en").outdated is False
    french = pages_dir / "fr" / "essai-loader.md"
    french.write_text(french.read_text(encoding="utf-8") + "\nUn ajout.\n", encoding="utf-8")
    report = load_pages(db, pages_dir, LOCALES, HOSTS, ROUTES)
    assert report.created == 1 and report.outdated == ["en/essai-loader.md"]
    view = page_view(db, "essai-loader", "en")
    assert view.outdated is True and view.version.title == "Test page"
    assert (
        db.scalar(
            select(func.count())
            .select_from(PageVersion)
            .join(Page)
            .where(Page.slug == "essai-loader", PageVersion.locale == "fr", PageVersion.status == "archived")
        )
        == 1
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "raw HTML"),
        ("# Titre\n", "headings start at `##`"),
        ("[x](http://example.org)", "scheme that is not allowed"),
        ("[x](https://evil.example.org/)", "host that is not allowed"),
        ("[x](/fr/informations/n-existe-pas)", "unknown page"),
        ("[x](guichets)", "start with a language"),
        ("[x](javascript:alert(1))", "scheme that is not allowed"),
        ("[[inconnu]]", "unknown token"),
        ("![image](/static/x.png)", "images are not allowed"),
    ],
)
def test_a_bad_page_is_refused_naming_the_file_and_nothing_changes(db, pages_dir, body, message):
    write(pages_dir / "ar" / "essai-loader.md", 'title: "صفحة"', body)
    before = count_versions(db)
    with pytest.raises(ContentError, match=message) as error:
        load_pages(db, pages_dir, LOCALES, HOSTS, ROUTES)
    assert "ar/essai-loader.md" in str(error.value)
    assert count_versions(db) == before


def test_translation_of_an_unknown_page_and_missing_fields_are_refused(pages_dir):
    write(pages_dir / "en" / "orpheline.md", 'title: "Orphan"', "Text.\n")
    write(pages_dir / "fr" / "sans-section.md", 'title: "Sans section"', "Texte.\n")
    with pytest.raises(ContentError) as error:
        read_page_files(pages_dir, LOCALES, HOSTS, ROUTES)
    assert "no French page `orpheline`" in str(error.value)
    assert "sans-section.md: `section` must be one of" in str(error.value)


def test_allowed_links_pass(pages_dir):
    write(
        pages_dir / "fr" / "liens.md",
        'title: "Liens"\nsection: aide-et-droits\nposition: 98\n' + REFERENCES,
        "[a](/fr/informations/essai-loader) [b](https://www.service-public.fr) [c](mailto:a@example.org)\n",
    )
    assert {item.slug for item in read_page_files(pages_dir, LOCALES, HOSTS, ROUTES)} == {
        "essai-loader",
        "liens",
    }


def test_content_load_command_reports_and_refuses_a_bad_tree(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    environ = {
        "PORTAL_INSTANCE_DIR": str(tmp_path),
        "PORTAL_ENV": "testing",
        "PORTAL_SECRET_KEY": "k" * 40,
        "PORTAL_CONTENT_DIR": str(content),
    }
    runner = CliRunner()
    assert runner.invoke(cli.main, ["init"], env=environ).exit_code == 0
    (content / "pages" / "fr" / "cotation.md").write_text("pas de front matter", encoding="utf-8")
    result = runner.invoke(cli.main, ["content", "load"], env=environ)
    assert result.exit_code == 1
    assert "nothing changed" in result.output and "cotation.md" in result.output


def test_a_new_section_title_shows_at_once_on_the_served_pages(db_app, db, pages_dir):
    client = db_app.test_client()
    assert "Vos droits et de l" in client.get("/fr/informations").get_data(as_text=True)
    sections = (pages_dir / "sections.yaml").read_text(encoding="utf-8")
    (pages_dir / "sections.yaml").write_text(
        sections.replace('fr: "Vos droits et de l\'aide"', 'fr: "Droits et aide"'), encoding="utf-8"
    )
    load_pages(db, pages_dir, LOCALES, HOSTS, ROUTES)
    text = client.get("/fr/informations").get_data(as_text=True)
    assert "Droits et aide" in text and "Vos droits et de l" not in text


@pytest.mark.parametrize(
    "target",
    [
        "/fr/informations/essai-loader",
        "/ar/informations/essai-loader",
        "/fr/ma-demande",
        "/ar/cotation/grille",
        "/fr/guichets",
        "/fr/guichets/12-accueil-centre",  # a route with values: the desk itself is checked when shown
        "/en/informations/essai-loader/facile",
        "/fr",  # redirected to /fr/, the home page
        "/fr/chiffres?commune=72181#tableau",
    ],
)
def test_links_that_lead_to_a_route_pass(pages_dir, target):
    write(pages_dir / "en" / "essai-loader.md", 'title: "Test"', f"[x]({target})\n")
    assert read_page_files(pages_dir, LOCALES, HOSTS, ROUTES)


@pytest.mark.parametrize(
    "target",
    [
        "/fr/cotation/consulter",  # the look-up is /<lang>/ma-demande: five Romanian pages linked this
        "/ar/cotation/consulter",
        "/fr/informations/pas-de-page",
        "/fr/informations/pas-de-page/facile",
        "/fr/partenaires",
        "/fr/static/css/portal.css",
    ],
)
def test_links_that_lead_to_no_route_are_refused_in_every_locale(pages_dir, target):
    write(pages_dir / "ar" / "essai-loader.md", 'title: "صفحة"', f"[x]({target})\n")
    with pytest.raises(ContentError, match="unknown page") as error:
        read_page_files(pages_dir, LOCALES, HOSTS, ROUTES)
    assert "ar/essai-loader.md" in str(error.value) and target.split("#")[0] in str(error.value)


@pytest.mark.parametrize(
    ("front", "message"),
    [
        (f"{PAGE}\nupdated: 2026-12-01", "`references` must list"),
        (f'{PAGE}\nreferences: [{{title: "A", url: "{SOURCE}"}}]', "`updated`"),
        (
            f'{PAGE}\nupdated: 2026-12-01\nreferences: [{{url: "{SOURCE}"}}]',
            r"references\[0\] needs a `title`",
        ),
        (
            f'{PAGE}\nupdated: 2026-12-01\nreferences: [{{title: "A", url: "https://evil.example.org/"}}]',
            "allowed host",
        ),
    ],
)
def test_a_french_page_without_its_references_or_check_date_is_refused(pages_dir, front, message):
    write(pages_dir / "fr" / "sans-references.md", front, "Texte.\n")
    with pytest.raises(ContentError, match=message) as error:
        read_page_files(pages_dir, LOCALES, HOSTS, ROUTES)
    assert "fr/sans-references.md" in str(error.value)


def test_references_belong_to_the_french_page_only(pages_dir):
    write(pages_dir / "en" / "essai-loader.md", 'title: "Test"\n' + REFERENCES, "Text.\n")
    with pytest.raises(ContentError, match="`references` belong in the French page only"):
        read_page_files(pages_dir, LOCALES, HOSTS, ROUTES)


def test_every_page_ends_with_its_references_the_figures_sources_and_the_check_date(client):
    response = client.get("/fr/informations/situations-prioritaires-et-dalo")
    text, page = response.get_data(as_text=True), parse(response)
    section = page.find(".//section[@class='references']")
    assert section.find("h2").text == "Textes de référence"
    items = ["".join(item.itertext()) for item in section.findall(".//li")]
    assert any("article L.441-1" in item for item in items)
    # The page names [[abnormal_delay_months]] and [[dalo_offer_months]]: their sources follow, and the
    # abnormal delay, not yet copied from the prefectoral order, says so.
    delay = next(item for item in items if "délai anormalement long" in item)
    assert "Arrêté du préfet de la Sarthe" in delay and "à confirmer" in delay
    offer = next(item for item in items if "R.441-16-1" in item)
    assert "à confirmer" not in offer
    assert "Contenu vérifié le 7 décembre 2026." in "".join(section.find("p").itertext())
    assert "12 mois" in text and "24 mois" not in text
    arabic = parse(client.get("/ar/informations/situations-prioritaires-et-dalo"))
    assert arabic.find(".//section[@class='references']//ul").get("lang") == "fr"


def test_a_figure_s_source_without_an_address_is_named_without_a_link(tmp_path, db):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("pages", "examples"))
    shutil.copytree(CONTENT_DIR / "pages", content / "pages")
    territory = (content / "territory.yaml").read_text(encoding="utf-8")
    url = 'url: "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006074096/"'
    (content / "territory.yaml").write_text(territory.replace(url, 'url: ""', 1), encoding="utf-8")
    client = build_app(tmp_path, db.connection(), content_dir=content).test_client()
    page = parse(client.get("/fr/informations/situations-prioritaires-et-dalo"))
    item = next(
        item
        for item in page.findall(".//section[@class='references']//li")
        if "délai anormalement long" in "".join(item.itertext())
    )
    assert item.find("a") is None and "Arrêté du préfet de la Sarthe" in "".join(item.itertext())
