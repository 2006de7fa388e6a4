"""Markdown to safe HTML: markdown-it-py without raw HTML, then nh3 as a second wall."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto", "tel"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """HTML for a Markdown text written by partners: no raw HTML, no script, no event attribute."""
    html = _parser.render(text)
    return Markup(  # noqa: S704 - cleaned by nh3 just above
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
            strip_comments=True,
        )
    )


_LOCALE_LINK = re.compile(r'href="/([a-z]{2})/')


def localize_links(html: Markup, locale: str, locales: tuple[str, ...]) -> Markup:
    """Point internal links written as /fr/… (or any locale) to the reader's locale."""

    def localize(match: re.Match) -> str:
        return f'href="/{locale}/' if match.group(1) in locales else match.group(0)

    return Markup(_LOCALE_LINK.sub(localize, str(html)))  # noqa: S704 - only href prefixes change
