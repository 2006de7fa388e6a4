"""Markdown written by partners becomes safe HTML."""

from __future__ import annotations

import html5lib
import pytest

from portal.markdown import render_markdown


def test_markdown_renders_headings_lists_tables_and_links():
    html = render_markdown(
        "## Pièces\n\n- identité\n- titre de séjour\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "[Guichets](/fr/guichets)"
    )
    assert "<h2>Pièces</h2>" in html
    assert "<li>identité</li>" in html
    assert "<table>" in html and "<td>2</td>" in html
    assert '<a href="/fr/guichets" rel="noopener noreferrer">Guichets</a>' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[clic](javascript:alert(1))",
        "<a href='https://example.org' onclick='alert(1)'>x</a>",
        "<iframe src='https://example.org'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_scripts_raw_html_and_dangerous_links_never_pass(source):
    fragment = html5lib.parseFragment(render_markdown(source), namespaceHTMLElements=False)
    elements = list(fragment.iter())
    assert {element.tag for element in elements} <= {"DOCUMENT_FRAGMENT", "p", "a"}
    for element in elements:
        assert not [name for name in element.attrib if name.startswith("on")]
        assert not element.get("href", "").startswith(("javascript", "data"))


def test_raw_html_is_shown_as_text_not_interpreted():
    assert render_markdown("<b>gras</b>").strip() == "<p>&lt;b&gt;gras&lt;/b&gt;</p>"
