"""Catalogs: placeholders survive translation, every locale compiles, Arabic is right-to-left."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal.config import ConfigError
from portal.i18n import check_catalogs, locale_info

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
CATALOGS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def test_there_are_catalogs_for_french_english_and_arabic():
    assert {path.parts[-3] for path in CATALOGS} >= {"fr", "en", "ar"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.parts[-3])
def test_translations_keep_the_placeholders_of_their_msgid(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = placeholders(ids[-1])
        wrong += [(message.id, string) for string in strings if string and placeholders(string) != expected]
    assert wrong == []


def test_arabic_is_right_to_left_and_named_in_arabic():
    info = locale_info("ar")
    assert info.direction == "rtl" and info.rtl
    assert info.autonym == "العربية"
    assert locale_info("fr").direction == "ltr"
    assert locale_info("fr").autonym == "Français"


def test_a_locale_without_compiled_catalog_stops_the_start(tmp_path):
    (tmp_path / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "fr" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    with pytest.raises(ConfigError, match="no compiled catalog for de"):
        check_catalogs(("fr", "de"), tmp_path)
