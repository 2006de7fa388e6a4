"""Loading content/pages/ into the database: every file is checked first; one bad file changes nothing.

Layout: content/pages/sections.yaml, content/pages/<locale>/<slug>.md, and the easy-to-read French
versions content/pages/fr/<slug>.facile.md. A French file names its section and position; a
translation names, in `source_hash`, the French text it was made from (`portal content stamp`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect

from portal.clock import utcnow
from portal.content import ContentError, content_hash, markdown_problems, read_yaml, split_front_matter
from portal.information.models import (
    ARCHIVED,
    EASY,
    PUBLISHED,
    SOURCE_LOCALE,
    STANDARD,
    Page,
    PageVersion,
    Section,
)
from portal.revision import bump_revision
from portal.territory.services import FIGURES

EASY_SUFFIX = ".facile"
FILE_AUTHOR = "content/"  # versions loaded from files; back-office versions carry a person's name
TOKENS = {"territory", *FIGURES}
PAGE_ENDPOINTS = ("information.page", "information.easy")


@dataclass
class PageFile:
    path: Path
    slug: str
    locale: str
    variant: str
    title: str
    summary: str
    body: str
    section: str | None = None
    position: int | None = None
    source_hash: str | None = None
    updated: dt.date | None = None
    references: list | None = None  # French standard pages: [{"title": …, "url": …}]

    @property
    def hash(self) -> str:
        return content_hash(self.title, self.summary, self.body)


@dataclass
class LoadReport:
    created: int = 0
    unchanged: int = 0
    outdated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.created} page versions published, {self.unchanged} unchanged"
        if self.outdated:
            lagging = ", ".join(self.outdated[:5]) + (", …" if len(self.outdated) > 5 else "")
            text += f"; {len(self.outdated)} texts lag behind their French page ({lagging})"
        return text


def read_sections(pages_dir: Path) -> list[dict]:
    path = pages_dir / "sections.yaml"
    sections = read_yaml(path)
    if not isinstance(sections, list) or not all(
        isinstance(item, dict)
        and item.get("slug")
        and isinstance(item.get("position"), int)
        and isinstance(item.get("titles"), dict)
        and item["titles"].get(SOURCE_LOCALE)
        for item in sections
    ):
        raise ContentError(f"{path}: each section needs a slug, a position and titles with a French one")
    return sections


def read_page_file(path: Path, locale: str) -> PageFile:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"), path)
    stem = path.name[: -len(".md")]
    variant = EASY if stem.endswith(EASY_SUFFIX) else STANDARD
    slug = stem.removesuffix(EASY_SUFFIX)
    updated = meta.get("updated")
    return PageFile(
        path=path,
        slug=slug,
        locale=locale,
        variant=variant,
        title=str(meta["title"]).strip(),
        summary=str(meta.get("summary") or "").strip(),
        body=body.strip() + "\n",
        section=meta.get("section"),
        position=meta.get("position"),
        source_hash=meta.get("source_hash"),
        updated=updated if isinstance(updated, dt.date) else None,
        references=meta.get("references"),
    )


def reference_problems(item: PageFile, link_hosts: set[str]) -> list[str]:
    """A French page names the texts it rests on, each with an https address on an allowed host, and the
    day its content was last checked; other files leave both to it."""
    if item.locale != SOURCE_LOCALE or item.variant != STANDARD:
        return ["`references` belong in the French page only"] if item.references is not None else []
    problems = [] if item.updated else ["`updated` (the day the content was last checked) is missing"]
    if not isinstance(item.references, list) or not item.references:
        return [*problems, "`references` must list the texts the page rests on (title and url)"]
    for index, reference in enumerate(item.references):
        url = urlsplit(str(reference.get("url", ""))) if isinstance(reference, dict) else urlsplit("")
        if not isinstance(reference, dict) or not str(reference.get("title") or "").strip():
            problems.append(f"references[{index}] needs a `title`")
        elif url.scheme != "https" or url.hostname not in link_hosts:
            problems.append(
                f"references[{index}].url must be an https address on an allowed host: {url.geturl()}"
            )
    return problems


def route_resolver(slugs: set[str], routes: Map | None = None) -> Callable[[str], bool]:
    """Whether an internal path (/fr/…) answers a GET among the portal's routes (`routes`: the current
    app's by default); an information page must also be one of `slugs`."""
    adapter = (routes or current_app.url_map).bind("portal.invalid")

    def resolves(path: str) -> bool:
        try:
            endpoint, values = adapter.match(path, method="GET")
        except RequestRedirect as redirect:  # /fr → /fr/: the page the redirect leads to
            return resolves(urlsplit(redirect.new_url).path)
        except HTTPException:
            return False
        if endpoint in PAGE_ENDPOINTS:
            return values["slug"] in slugs
        return endpoint != "static"

    return resolves


def read_page_files(
    pages_dir: Path, locales: tuple[str, ...], link_hosts: set[str], routes: Map | None = None
) -> list[PageFile]:
    """Every page file of the configured locales, checked; raise ContentError listing every problem.
    Internal links must lead to a route of the portal (`routes`: the current app's by default)."""
    sections = {item["slug"] for item in read_sections(pages_dir)}
    files, problems = [], []
    for locale in locales:
        for path in sorted((pages_dir / locale).glob("*.md")):
            try:
                files.append(read_page_file(path, locale))
            except ContentError as exc:
                problems.append(str(exc))
    french = {item.slug for item in files if item.locale == SOURCE_LOCALE and item.variant == STANDARD}
    resolves = route_resolver(french, routes)
    for item in files:
        where = str(item.path)
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", item.slug):
            problems.append(f"{where}: the file name must be a slug (lower-case letters, digits, hyphens)")
        if len(item.title) > 200:
            problems.append(f"{where}: `title` is longer than 200 characters")
        if item.variant == EASY and item.locale != SOURCE_LOCALE:
            problems.append(f"{where}: easy-to-read versions exist in French only")
        if item.locale == SOURCE_LOCALE and item.variant == STANDARD:
            if item.section not in sections:
                problems.append(f"{where}: `section` must be one of {', '.join(sorted(sections))}")
            if not isinstance(item.position, int):
                problems.append(f"{where}: `position` must be a whole number")
        elif item.slug not in french:
            problems.append(f"{where}: there is no French page `{item.slug}` for it to translate")
        problems += [f"{where}: {problem}" for problem in reference_problems(item, link_hosts)]
        problems += [
            f"{where}: {problem}"
            for problem in markdown_problems(
                item.body, locales=locales, resolves=resolves, link_hosts=link_hosts, tokens=TOKENS
            )
        ]
    if problems:
        raise ContentError("\n".join(problems))
    return files


def load_pages(
    session: Session,
    pages_dir: Path,
    locales: tuple[str, ...],
    link_hosts: set[str],
    routes: Map | None = None,
) -> LoadReport:
    """Make the published versions match the files; versions edited in the back-office are kept
    (`routes`: those internal links must lead to, the current app's by default)."""
    files = read_page_files(pages_dir, locales, link_hosts, routes)
    for item in read_sections(pages_dir):
        section = session.get(Section, item["slug"]) or Section(slug=item["slug"])
        section.position, section.titles = item["position"], dict(item["titles"])
        session.add(section)
    session.flush()
    pages = {page.slug: page for page in session.scalars(select(Page))}
    for item in files:
        if item.locale == SOURCE_LOCALE and item.variant == STANDARD:
            page = pages.get(item.slug) or Page(slug=item.slug)
            page.section_slug, page.position = item.section, item.position
            page.legal_references = [
                {"title": str(reference["title"]).strip(), "url": reference["url"]}
                for reference in item.references
            ]
            session.add(page)
            pages[item.slug] = page
    session.flush()
    report = LoadReport()
    # French standard texts first: translations point to them.
    for item in sorted(files, key=lambda item: item.locale != SOURCE_LOCALE or item.variant != STANDARD):
        _load_version(session, pages[item.slug], item, report)
    bump_revision(session)  # sections and order may have changed even when no text did
    return report


def _latest_from_file(session: Session, page: Page, locale: str, variant: str) -> PageVersion | None:
    return session.scalars(
        select(PageVersion)
        .where(
            PageVersion.page_id == page.id,
            PageVersion.locale == locale,
            PageVersion.variant == variant,
            PageVersion.author.startswith(FILE_AUTHOR),
        )
        .order_by(PageVersion.number.desc())
        .limit(1)
    ).first()


def _source_version(session: Session, page: Page, item: PageFile) -> PageVersion | None:
    if item.locale == SOURCE_LOCALE and item.variant == STANDARD:
        return None
    if not item.source_hash:
        return None
    return session.scalars(
        select(PageVersion)
        .where(
            PageVersion.page_id == page.id,
            PageVersion.locale == SOURCE_LOCALE,
            PageVersion.variant == STANDARD,
            PageVersion.content_hash == item.source_hash,
        )
        .order_by(PageVersion.number.desc())
        .limit(1)
    ).first()


def _load_version(session: Session, page: Page, item: PageFile, report: LoadReport) -> None:
    source = _source_version(session, page, item)
    latest = _latest_from_file(session, page, item.locale, item.variant)
    if (
        latest is not None
        and latest.content_hash == item.hash
        and latest.source_version_id == (source.id if source else None)
    ):
        report.unchanged += 1
    else:
        publish_version(
            session,
            page,
            item.locale,
            item.variant,
            title=item.title,
            summary=item.summary,
            body=item.body,
            author=f"{FILE_AUTHOR}{item.locale}/{item.path.name}",
            source=source,
            updated_on=item.updated,
        )
        report.created += 1
    if item.locale != SOURCE_LOCALE or item.variant == EASY:
        current = published_version(session, page, SOURCE_LOCALE, STANDARD)
        if source is None or (current is not None and current.id != source.id):
            report.outdated.append(f"{item.locale}/{item.path.name}")


def published_version(session: Session, page: Page, locale: str, variant: str) -> PageVersion | None:
    return session.scalars(
        select(PageVersion).where(
            PageVersion.page_id == page.id,
            PageVersion.locale == locale,
            PageVersion.variant == variant,
            PageVersion.status == PUBLISHED,
        )
    ).first()


def publish_version(
    session: Session,
    page: Page,
    locale: str,
    variant: str,
    *,
    title: str,
    summary: str,
    body: str,
    author: str,
    source: PageVersion | None = None,
    updated_on: dt.date | None = None,
) -> PageVersion:
    """Add a published version and archive the one it replaces."""
    previous = published_version(session, page, locale, variant)
    if previous is not None:
        previous.status = ARCHIVED
    last_number = session.scalars(
        select(PageVersion.number)
        .where(PageVersion.page_id == page.id, PageVersion.locale == locale, PageVersion.variant == variant)
        .order_by(PageVersion.number.desc())
        .limit(1)
    ).first()
    now = utcnow()
    version = PageVersion(
        page=page,
        locale=locale,
        variant=variant,
        number=(last_number or 0) + 1,
        status=PUBLISHED,
        title=title,
        summary=summary,
        body=body,
        content_hash=content_hash(title, summary, body),
        source_version_id=source.id if source else None,
        author=author,
        created_at=now,
        published_at=now,
        updated_on=updated_on or now.date(),
    )
    session.add(version)
    session.flush()
    bump_revision(session)
    return version


def stamp_translation(path: Path, pages_dir: Path) -> str:
    """Record in a translation file the hash of the French text it now translates; returns the hash."""
    stem = path.name[: -len(".md")]
    slug = stem.removesuffix(EASY_SUFFIX)
    french = read_page_file(pages_dir / SOURCE_LOCALE / f"{slug}.md", SOURCE_LOCALE)
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ContentError(f"{path}: must start with a `---` front matter block")
    header, rest = text[4:].split("\n---\n", 1)
    header = re.sub(r"^source_hash:.*\n?", "", header + "\n", flags=re.MULTILINE).rstrip("\n")
    path.write_text(f"---\n{header}\nsource_hash: {french.hash}\n---\n{rest}", encoding="utf-8")
    return french.hash
