"""What other areas and the views ask of the information pages: published texts, rendering, search."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import nh3
from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from portal.content import fill_tokens
from portal.information.eligibility import Ceilings, ceilings_on
from portal.information.models import (
    EASY,
    PUBLISHED,
    SOURCE_LOCALE,
    STANDARD,
    Page,
    PageVersion,
    SearchEntry,
    Section,
)
from portal.markdown import localize_links, render_markdown
from portal.revision import kept_per_revision, published_stamp
from portal.territory.models import Commune
from portal.territory.services import current_territory
from portal.text import folded


@dataclass(frozen=True)
class PublishedText:
    """A published version, detached from the database: what pages, lists and exports show."""

    id: int
    slug: str
    section: str
    position: int
    locale: str
    variant: str
    number: int
    title: str
    summary: str
    body: str
    source_version_id: int | None
    updated_on: dt.date
    references: tuple[tuple[str, str], ...] = ()  # the page's texts: (title, url)


@dataclass(frozen=True)
class Published:
    """Every published text and section, read once and kept until something is published."""

    stamp: tuple
    sections: tuple[tuple[str, dict], ...]  # (slug, titles), in order
    texts: dict[tuple[str, str, str], PublishedText]  # (slug, locale, variant)
    slugs: tuple[str, ...]  # every page, in section then page order


def published(session: Session) -> Published:
    """The published content, read once and kept until its stamp changes."""
    return kept_per_revision(session, "published", _read_published)


def _read_published(session: Session) -> Published:
    stamp = published_stamp(session)
    rows = session.execute(select(PageVersion, Page).join(Page).where(PageVersion.status == PUBLISHED)).all()
    section_rows = session.scalars(select(Section).order_by(Section.position)).all()
    section_order = {section.slug: index for index, section in enumerate(section_rows)}
    texts = {
        (page.slug, version.locale, version.variant): PublishedText(
            id=version.id,
            slug=page.slug,
            section=page.section_slug,
            position=page.position,
            locale=version.locale,
            variant=version.variant,
            number=version.number,
            title=version.title,
            summary=version.summary,
            body=version.body,
            source_version_id=version.source_version_id,
            updated_on=version.updated_on or version.created_at.date(),
            references=tuple((item["title"], item["url"]) for item in page.legal_references or ()),
        )
        for version, page in rows
    }
    slugs = sorted(
        {text.slug for text in texts.values()},
        key=lambda slug: min(
            (section_order.get(t.section, 99), t.position) for t in texts.values() if t.slug == slug
        ),
    )
    return Published(
        stamp, tuple((section.slug, dict(section.titles)) for section in section_rows), texts, tuple(slugs)
    )


@dataclass(frozen=True)
class PageView:
    """A published page as a reader gets it: in their locale if translated, else in French."""

    version: PublishedText
    french: PublishedText
    outdated: bool  # a translation made from an older French text
    has_easy: bool

    @property
    def slug(self) -> str:
        return self.french.slug

    def references(self, territory) -> list[tuple[str, str, bool]]:
        """(title, url, checked) of the texts the page rests on, then the source of each territory figure
        its text names as a [[token]] (checked: False until someone has copied the figure's text)."""
        named = [territory.sources[name] for name in territory.figures if f"[[{name}]]" in self.version.body]
        return [
            *((title, url, True) for title, url in self.french.references),
            *((source.title, source.url, source.verified) for source in named),
        ]


def page_view(session: Session, slug: str, locale: str, variant: str = STANDARD) -> PageView | None:
    """The page to show, or None when it does not exist (or has no such variant)."""
    texts = published(session).texts
    french = texts.get((slug, SOURCE_LOCALE, STANDARD))
    if french is None:
        return None
    if variant == EASY:
        version = texts.get((slug, SOURCE_LOCALE, EASY))
        if version is None:
            return None
    else:
        version = texts.get((slug, locale, STANDARD), french)
    # Only translations are said to lag; the easy-to-read version is written from the page, not translated.
    outdated = variant == STANDARD and version.id != french.id and version.source_version_id != french.id
    return PageView(version, french, outdated, (slug, SOURCE_LOCALE, EASY) in texts)


def easy_slugs(session: Session) -> list[str]:
    """Slugs of the pages that have a published easy-to-read version."""
    content = published(session)
    return [slug for slug in content.slugs if (slug, SOURCE_LOCALE, EASY) in content.texts]


@dataclass(frozen=True)
class SectionListing:
    slug: str
    title: str
    pages: list[PublishedText]


def sections(session: Session, locale: str) -> list[SectionListing]:
    """Every section with its published pages in this locale (French where not translated), in order."""
    content = published(session)
    listing = []
    for slug, titles in content.sections:
        pages = [
            content.texts.get((page, locale, STANDARD)) or content.texts[(page, SOURCE_LOCALE, STANDARD)]
            for page in content.slugs
            if (page, SOURCE_LOCALE, STANDARD) in content.texts
            and content.texts[(page, SOURCE_LOCALE, STANDARD)].section == slug
        ]
        listing.append(SectionListing(slug, titles.get(locale) or titles[SOURCE_LOCALE], pages))
    return listing


@lru_cache(maxsize=2048)
def _render(body: str, locale: str, tokens: tuple[tuple[str, str], ...], locales: tuple[str, ...]) -> Markup:
    return localize_links(render_markdown(fill_tokens(body, dict(tokens))), locale, locales)


def render_body(body: str, locale: str, tokens: dict[str, str], locales: tuple[str, ...]) -> Markup:
    """Safe HTML of a page body: territory tokens filled, internal links in the reader's language."""
    return _render(body, locale, tuple(sorted(tokens.items())), tuple(locales))


def plain_text(body: str, tokens: dict[str, str]) -> str:
    """The readable text of a Markdown body, without markup (for search and snippets)."""
    stripped = nh3.clean(str(render_markdown(fill_tokens(body, tokens))), tags=set())
    return " ".join(html.unescape(stripped).split())


# --- search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    key: str
    title: str
    snippet: Markup


def reindex(session: Session, locales: tuple[str, ...], tokens: dict[str, str]) -> int:
    """Rebuild the search index from the published pages and the communes; returns the entry count."""
    session.execute(delete(SearchEntry))
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM search_fts"))
    entries = []
    published = session.scalars(select(PageVersion).where(PageVersion.status == PUBLISHED)).all()
    for version in published:
        if version.locale not in locales:
            continue
        body = plain_text(version.body, tokens)
        title = fill_tokens(version.title, tokens)
        summary = fill_tokens(version.summary, tokens)
        kind = "page-easy" if version.variant == EASY else "page"
        entries.append(
            SearchEntry(
                kind=kind,
                key=version.page.slug,
                locale=version.locale,
                title=title,
                text=f"{summary} {body}",
                folded=folded(f"{title} {summary} {body}"),
            )
        )
    for commune in session.scalars(select(Commune)):
        for locale in locales:
            entries.append(
                SearchEntry(
                    kind="commune",
                    key=commune.insee,
                    locale=locale,
                    title=commune.name,
                    text=commune.postcodes,
                    folded=folded(f"{commune.name} {commune.postcodes}"),
                )
            )
    session.add_all(entries)
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO search_fts(rowid, folded) SELECT id, folded FROM search_entry"))
    return len(entries)


def query_words(query: str) -> list[str]:
    """The folded words of a query, at most eight (more adds nothing but cost)."""
    return re.findall(r"\w+", folded(query))[:8]


def search(session: Session, locale: str, query: str, limit: int = 20) -> list[SearchHit]:
    """Pages and communes matching every word of the query (each as a prefix), best first."""
    words = query_words(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        match = " AND ".join(f'"{word}"*' for word in words)
        statement = text(
            "SELECT search_entry.id FROM search_fts JOIN search_entry ON search_entry.id = search_fts.rowid "
            "WHERE search_fts MATCH :match AND search_entry.locale = :locale "
            "ORDER BY bm25(search_fts), search_entry.kind DESC LIMIT :limit"
        ).bindparams(match=match)
    else:
        tsquery = " & ".join(f"{word}:*" for word in words)
        statement = text(
            "SELECT id FROM search_entry WHERE to_tsvector('simple', folded) @@ to_tsquery('simple', :match) "
            "AND locale = :locale "
            "ORDER BY ts_rank(to_tsvector('simple', folded), to_tsquery('simple', :match)) DESC, kind DESC "
            "LIMIT :limit"
        ).bindparams(match=tsquery)
    ids = list(session.scalars(statement.bindparams(locale=locale, limit=limit)))
    entries = {
        entry.id: entry for entry in session.scalars(select(SearchEntry).where(SearchEntry.id.in_(ids)))
    }
    return [
        SearchHit(entries[id_].kind, entries[id_].key, entries[id_].title, snippet(entries[id_].text, words))
        for id_ in ids
    ]


def _folded_with_positions(value: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character."""
    chars, positions = [], []
    for index, char in enumerate(value):
        for folded_char in folded(char):
            chars.append(folded_char)
            positions.append(index)
    return "".join(chars), positions


def snippet(value: str, words: list[str], width: int = 220) -> Markup:
    """About `width` characters of text around the first match, every match wrapped in <mark>."""
    haystack, positions = _folded_with_positions(value)
    spans = []
    for word in words:
        for match in re.finditer(r"(?<!\w)" + re.escape(word) + r"\w*", haystack):
            spans.append((positions[match.start()], positions[match.end() - 1] + 1))
    if not spans:
        return escape(value[:width] + ("…" if len(value) > width else ""))
    spans.sort()
    start = max(0, spans[0][0] - width // 3)
    if start:
        start = value.find(" ", start) + 1 or start
    end = min(len(value), start + width)
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces += [
            escape(value[cursor:span_start]),
            Markup("<mark>"),
            escape(value[span_start:span_end]),
            Markup("</mark>"),
        ]
        cursor = span_end
    pieces.append(escape(value[cursor:end]))
    return Markup("{}{}{}").format(
        "…" if start else "", Markup("").join(pieces), "…" if end < len(value) else ""
    )


def ceilings_in_force(day: dt.date) -> Ceilings:
    """The income ceilings in force on a day (content/ceilings/, read at start)."""
    return ceilings_on(current_app.extensions["portal.ceilings"], day)


def scoring_ceilings(day: dt.date) -> tuple[Ceilings, str]:
    """The ceilings the scoring grids' `income_ceiling` reads on a day, with the zone of most of the
    territory's communes (a grid reads one zone's ceilings)."""
    zones = Counter(commune.ceiling_zone for commune in current_territory().communes)
    return ceilings_in_force(day), zones.most_common(1)[0][0] if zones else "other"
