"""The shipped content is complete: every page in every language, easy-to-read French for every page,
translations faithful in structure, catalogs fully translated."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from portal.config import DEFAULT_LOCALES
from portal.content import link_targets, split_front_matter
from portal.information.loader import read_page_file, read_page_files
from portal.site.services import SITE_PAGES
from portal.territory.services import read_territory
from tests.content_set import EASY_SLUGS, PAGE_SLUGS
from tests.support import CONTENT_DIR, portal_routes

PAGES = CONTENT_DIR / "pages"
FRENCH = sorted(path.stem for path in (PAGES / "fr").glob("*.md") if not path.stem.endswith(".facile"))
TRANSLATIONS = CONTENT_DIR.parent / "translations"


def read(path):
    return split_front_matter(path.read_text(encoding="utf-8"), path)


def test_the_french_set_is_the_expected_one():
    assert sorted(PAGE_SLUGS) == FRENCH


@pytest.mark.parametrize("locale", DEFAULT_LOCALES)
def test_every_page_exists_in_every_locale(locale):
    present = {path.stem for path in (PAGES / locale).glob("*.md") if not path.stem.endswith(".facile")}
    assert sorted(set(FRENCH) - present) == []


@pytest.mark.parametrize("slug", EASY_SLUGS)
def test_every_page_has_an_easy_to_read_version(slug):
    meta, body = read(PAGES / "fr" / f"{slug}.facile.md")
    assert meta["title"] and len(body.split()) >= 150


@pytest.mark.parametrize("locale", [code for code in DEFAULT_LOCALES if code != "fr"])
def test_translations_keep_the_structure_links_and_tokens_of_the_french(locale):
    for slug in FRENCH:
        _, french = read(PAGES / "fr" / f"{slug}.md")
        meta, body = read(PAGES / locale / f"{slug}.md")
        where = f"{locale}/{slug}.md"
        assert meta.get("source_hash"), f"{where}: not stamped (portal content stamp)"
        assert [line.split(" ")[0] for line in body.splitlines() if line.startswith("#")] == [
            line.split(" ")[0] for line in french.splitlines() if line.startswith("#")
        ], f"{where}: headings differ from the French"
        assert link_targets(body) == link_targets(french), f"{where}: links differ from the French"
        assert sorted(re.findall(r"\[\[\w+\]\]", body)) == sorted(re.findall(r"\[\[\w+\]\]", french)), where


def current_french_hash(slug: str) -> str:
    return read_page_file(PAGES / "fr" / f"{slug}.md", "fr").hash


def test_easy_to_read_versions_were_reviewed_against_the_current_french():
    """A French edit must be carried into its easy-to-read version too, then stamped."""
    lagging = [
        slug
        for slug in EASY_SLUGS
        if read(PAGES / "fr" / f"{slug}.facile.md")[0].get("source_hash") != current_french_hash(slug)
    ]
    assert lagging == []


@pytest.mark.parametrize("locale", [code for code in DEFAULT_LOCALES if code != "fr"])
def test_shipped_translations_are_made_from_the_current_french(locale):
    """A French edit must go with its translations (or they show as out of date on the site)."""
    lagging = [
        slug
        for slug in FRENCH
        if read(PAGES / locale / f"{slug}.md")[0].get("source_hash") != current_french_hash(slug)
    ]
    assert lagging == []


def test_every_page_file_passes_the_loader_checks():
    territory = read_territory(CONTENT_DIR)
    files = read_page_files(PAGES, DEFAULT_LOCALES, set(territory.link_hosts), portal_routes())
    assert len(files) == 12 * len(DEFAULT_LOCALES) + len(EASY_SLUGS)


@pytest.mark.parametrize("locale", DEFAULT_LOCALES)
def test_site_pages_exist_in_every_locale(locale):
    for slug in SITE_PAGES:
        assert (CONTENT_DIR / "site" / locale / f"{slug}.md").is_file(), f"{locale}/{slug}"


@pytest.mark.parametrize("locale", [code for code in DEFAULT_LOCALES if code != "en"])
def test_catalog_has_no_untranslated_or_fuzzy_entry(locale):
    """English is the language of the msgids, so its catalog may stay empty."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else (message.string,))
        )
    ]
    assert missing == []
