"""The easy-to-read French pages (FALC, « facile à lire et à comprendre ») follow their writing rules,
checked mechanically: short sentences, no semicolon at the end of a line, no percentage sign, and the
same words for the same things on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.content import split_front_matter
from tests.support import CONTENT_DIR

FRENCH = CONTENT_DIR / "pages" / "fr"
EASY_FILES = sorted(FRENCH.glob("*.facile.md"))
MAX_WORDS = 15  # a sentence must stay under this number of words
FORBIDDEN_TERMS = ("attestation de demande",)  # say « attestation d'enregistrement » everywhere

LINK_TARGET = re.compile(r"\]\([^)]*\)")  # the (…) address of a Markdown link: not read aloud
LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
EMPHASIS = re.compile(r"\*\*|__")  # bold markers: "**Oui.** Non" is two sentences
SENTENCE_END = re.compile(r"[.?!:](?:\s+|$)")
WORD = re.compile(r"\w")  # a space-separated token is a word when it holds a letter or a digit


def body_of(path: Path) -> str:
    return split_front_matter(path.read_text(encoding="utf-8"), path)[1]


def prose_lines(body: str) -> list[str]:
    """The lines read as text: headings (`#`), table rows (`|`) and blank lines left out."""
    return [line for line in body.splitlines() if line.strip() and not line.lstrip().startswith(("#", "|"))]


def sentences(body: str) -> list[str]:
    """Every sentence of the text: a line end always ends one; `.`, `?`, `!` and `:` followed by a space
    or by the end of the line end one too. Link addresses, list markers and bold markers are left out."""
    found = []
    for line in prose_lines(body):
        text = EMPHASIS.sub("", LIST_MARKER.sub("", LINK_TARGET.sub("]", line)))
        found += [part.strip() for part in SENTENCE_END.split(text) if part.strip()]
    return found


def word_count(sentence: str) -> int:
    return sum(1 for token in sentence.split() if WORD.search(token))


def test_the_rules_split_and_count_as_documented():
    body = (
        "## Un titre très long qui ne compte pas du tout dans les phrases de la page\n"
        "| une | ligne | de | tableau |\n"
        "- Voir la page [les papiers à donner](/fr/informations/pieces-justificatives).\n"
        "Attention : dire non peut coûter des points ? Oui. « Non » !\n"
        "1. **Vous dites oui.** Vous signez le bail.\n"
    )
    assert sentences(body) == [
        "Voir la page [les papiers à donner]",
        "Attention",
        "dire non peut coûter des points",
        "Oui",
        "« Non »",
        "Vous dites oui",
        "Vous signez le bail",
    ]
    assert [word_count(sentence) for sentence in sentences(body)] == [7, 1, 6, 1, 1, 3, 4]


def test_there_are_easy_to_read_pages_to_check():
    assert len(EASY_FILES) >= 12


@pytest.mark.parametrize("slug", ["vos-droits", "questions-reponses", "glossaire"])
def test_help_and_rights_pages_have_an_easy_to_read_version(slug):
    path = FRENCH / f"{slug}.facile.md"
    assert path.is_file(), f"{slug}: no easy-to-read version ({path.name} is missing)"
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    assert meta.get("title") and meta.get("summary"), f"{path.name}: needs a title and a summary"
    assert meta.get("source_hash"), f"{path.name}: not stamped (portal content stamp)"
    assert not {"section", "position", "references"} & set(meta), (
        f"{path.name}: `section`, `position` and `references` belong in the French page only"
    )
    assert len(body.split()) >= 150, f"{path.name}: too short to stand for the French page"


@pytest.mark.parametrize("path", EASY_FILES, ids=lambda path: path.name)
def test_sentences_are_short(path):
    long = [
        f"{word_count(sentence)} words: {sentence}"
        for sentence in sentences(body_of(path))
        if word_count(sentence) >= MAX_WORDS
    ]
    assert long == [], f"{path.name}: sentences of {MAX_WORDS} words or more:\n" + "\n".join(long)


@pytest.mark.parametrize("path", EASY_FILES, ids=lambda path: path.name)
def test_no_line_ends_with_a_semicolon(path):
    lines = [line for line in body_of(path).splitlines() if line.rstrip().endswith(";")]
    assert lines == [], f"{path.name}: lines ending with « ; »:\n" + "\n".join(lines)


@pytest.mark.parametrize("path", EASY_FILES, ids=lambda path: path.name)
def test_no_percentages(path):
    """A concrete example (« un dixième », an amount in euros) is easier than a percentage."""
    lines = [line for line in body_of(path).splitlines() if "%" in line]
    assert lines == [], f"{path.name}: « % » found, give an example instead:\n" + "\n".join(lines)


@pytest.mark.parametrize("path", EASY_FILES, ids=lambda path: path.name)
def test_the_same_words_for_the_same_things(path):
    text = path.read_text(encoding="utf-8").lower()
    found = [term for term in FORBIDDEN_TERMS if term in text]
    assert found == [], f"{path.name}: write « attestation d'enregistrement », not {found}"
