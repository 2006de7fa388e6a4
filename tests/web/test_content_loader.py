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
from tests.support import CONTENT_DIR

LOCALES = ("fr", "en", "ar")
HOSTS = {"www.service-public.fr"}


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
    """,
        "## Partie\n\nVoir [les guichets](/fr/guichets) et [[territory]].\n",
    )
    write(folder / "en" / "essai-loader.md", 'title: "Test page"\nsummary: "Summary"', "## Part\n\nText.\n")
    return folder


def count_versions(db) -> int:
    return db.scalar(select(func.count()).select_from(PageVersion))


def test_loading_publishes_new_pages_and_reloading_changes_nothing(db, pages_dir):
    report = load_pages(db, pages_dir, LOCALES, HOSTS)
    assert report.created == 2
    assert report.outdated == ["en/essai-loader.md"], "an unstamped translation lags behind"
    again = load_pages(db, pages_dir, LOCALES, HOSTS)
    assert (again.created, again.unchanged) == (0, 2)


def test_a_stamped_translation_is_up_to_date_until_the_french_changes(db, pages_dir):
    stamp_translation(pages_dir / "en" / "essai-loader.md", pages_dir)
    assert load_pages(db, pages_dir, LOCALES, HOSTS).outdated == []
    assert page_view(db, "essai-loader", "en").outdated is False
    french = pages_dir / "fr" / "essai-loader.md"
    french.write_text(french.read_text(encoding="utf-8") + "\nUn ajout.\n", encoding="utf-8")
    report = load_pages(db, pages_dir, LOCALES, HOSTS)
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
        load_pages(db, pages_dir, LOCALES, HOSTS)
    assert "ar/essai-loader.md" in str(error.value)
    assert count_versions(db) == before


def test_translation_of_an_unknown_page_and_missing_fields_are_refused(pages_dir):
    write(pages_dir / "en" / "orpheline.md", 'title: "Orphan"', "Text.\n")
    write(pages_dir / "fr" / "sans-section.md", 'title: "Sans section"', "Texte.\n")
    with pytest.raises(ContentError) as error:
        read_page_files(pages_dir, LOCALES, HOSTS)
    assert "no French page `orpheline`" in str(error.value)
    assert "sans-section.md: `section` must be one of" in str(error.value)


def test_allowed_links_pass(pages_dir):
    write(
        pages_dir / "fr" / "liens.md",
        'title: "Liens"\nsection: aide-et-droits\nposition: 98',
        "[a](/fr/informations/essai-loader) [b](https://www.service-public.fr) [c](mailto:a@example.org)\n",
    )
    assert {item.slug for item in read_page_files(pages_dir, LOCALES, HOSTS)} == {"essai-loader", "liens"}


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
    load_pages(db, pages_dir, LOCALES, HOSTS)
    text = client.get("/fr/informations").get_data(as_text=True)
    assert "Droits et aide" in text and "Vos droits et de l" not in text
