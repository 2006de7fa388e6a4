"""What editors and reviewers read of the workflow (portal.information.workflow changes it): a page's
drafts and history, the published French text translations follow, translations that lag behind it,
the versions waiting for review and who reviews them, and a body's problems said for partners."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.content import markdown_problems
from portal.information.loader import TOKENS, published_version, route_resolver
from portal.information.models import (
    ARCHIVED,
    DRAFT,
    EASY,
    IN_REVIEW,
    PUBLISHED,
    SOURCE_LOCALE,
    STANDARD,
    Page,
    PageVersion,
)
from portal.partners.models import Membership, Organisation, User

OPEN = (DRAFT, IN_REVIEW)  # the states of a draft still being worked on


def page_by_slug(session: Session, slug: str) -> Page | None:
    return session.scalar(select(Page).where(Page.slug == slug))


def open_draft(
    session: Session, page: Page, locale: str, variant: str, organisation_id: int
) -> PageVersion | None:
    """The organisation's draft of this page in this locale and variant (draft or in review), if any."""
    return session.scalar(
        select(PageVersion).where(
            PageVersion.page_id == page.id,
            PageVersion.locale == locale,
            PageVersion.variant == variant,
            PageVersion.organisation_id == organisation_id,
            PageVersion.status.in_(OPEN),
        )
    )


def french_source(session: Session, page: Page) -> PageVersion | None:
    """The published French text that translations and the easy-to-read version follow."""
    return published_version(session, page, SOURCE_LOCALE, STANDARD)


def follows_french(locale: str, variant: str) -> bool:
    """Translations and the easy-to-read version are made from the French page; the French page is not."""
    return locale != SOURCE_LOCALE or variant == EASY


def history(
    session: Session, page: Page, locale: str, variant: str, organisation_ids: set[int]
) -> list[PageVersion]:
    """Every published or archived version, newest first, and the drafts of the reader's organisations."""
    rows = session.scalars(
        select(PageVersion)
        .where(PageVersion.page_id == page.id, PageVersion.locale == locale, PageVersion.variant == variant)
        .order_by(PageVersion.number.desc())
    )
    return [
        version
        for version in rows
        if version.status in (PUBLISHED, ARCHIVED) or version.organisation_id in organisation_ids
    ]


@dataclass(frozen=True)
class Lagging:
    """A translation (or easy-to-read text) made from an older French text than the published one, or
    missing altogether."""

    page: Page
    locale: str
    variant: str
    version: PageVersion | None  # None: not translated yet
    french: PageVersion


def lagging_translations(session: Session, locales: tuple[str, ...]) -> list[Lagging]:
    """Translations whose French source changed since they were made, then pages not translated yet."""
    published = session.execute(
        select(PageVersion, Page).join(Page).where(PageVersion.status == PUBLISHED).order_by(Page.position)
    ).all()
    by_key = {(page.id, version.locale, version.variant): version for version, page in published}
    pages = {page.id: page for _, page in published}
    lagging, missing = [], []
    for page in sorted(pages.values(), key=lambda page: (page.section_slug, page.position)):
        french = by_key.get((page.id, SOURCE_LOCALE, STANDARD))
        if french is None:
            continue
        for locale in locales:
            if locale == SOURCE_LOCALE:
                continue
            version = by_key.get((page.id, locale, STANDARD))
            if version is None:
                missing.append(Lagging(page, locale, STANDARD, None, french))
            elif version.source_version_id != french.id:
                lagging.append(Lagging(page, locale, STANDARD, version, french))
        easy = by_key.get((page.id, SOURCE_LOCALE, EASY))
        if easy is not None and easy.source_version_id != french.id:
            lagging.append(Lagging(page, SOURCE_LOCALE, EASY, easy, french))
    return lagging + missing


def waiting_for_review(session: Session) -> list[PageVersion]:
    return list(
        session.scalars(
            select(PageVersion).where(PageVersion.status == IN_REVIEW).order_by(PageVersion.submitted_at)
        )
    )


def reviewers(session: Session) -> list[User]:
    """The people who publish: reviewers of an EPCI organisation, still active."""
    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Membership.role == "reviewer", Organisation.kind == "epci", User.active.is_(True))
            .distinct()
            .order_by(User.id)
        )
    )


def drafts_of(session: Session, organisation_ids: set[int]) -> list[PageVersion]:
    if not organisation_ids:
        return []
    return list(
        session.scalars(
            select(PageVersion)
            .where(PageVersion.status.in_(OPEN), PageVersion.organisation_id.in_(organisation_ids))
            .order_by(PageVersion.created_at.desc())
        )
    )


# The loader's problems are written for developers; the workspace says them to partners.
_PROBLEMS = [
    (re.compile(r"raw HTML is not allowed"), _l("Raw HTML is not allowed: write Markdown.")),
    (
        re.compile(r"headings start at"),
        _l("Headings start at ## (the title is the page's only main heading)."),
    ),
    (re.compile(r"images are not allowed"), _l("Images are not allowed in pages.")),
    (re.compile(r"unknown token \[\[(?P<x>.*)\]\]"), _l("Unknown token [[%(x)s]].")),
    (
        re.compile(r"link to a host that is not allowed: (?P<x>.*)"),
        _l("Links may not lead to this site: %(x)s"),
    ),
    (
        re.compile(r"link with a scheme that is not allowed: (?P<x>.*)"),
        _l("This kind of link is not allowed: %(x)s"),
    ),
    (
        re.compile(r"internal links start with a language, like /fr/…: (?P<x>.*)"),
        _l("Links inside the portal start with a language, like /fr/…: %(x)s"),
    ),
    (
        re.compile(r"link to an unknown page: (?P<x>.*)"),
        _l("This link leads to no page of the portal: %(x)s"),
    ),
]


def body_problems(session: Session, body: str, locales: tuple[str, ...], link_hosts: set[str]) -> list[str]:
    """What the loader would refuse in this body, said in the reader's language."""
    slugs = set(session.scalars(select(Page.slug)))
    resolves = route_resolver(slugs)
    said = []
    for problem in markdown_problems(
        body, locales=locales, resolves=resolves, link_hosts=link_hosts, tokens=TOKENS
    ):
        for pattern, message in _PROBLEMS:
            found = pattern.search(problem)
            if found:
                said.append(str(message) % found.groupdict() if found.groupdict() else str(message))
                break
        else:
            said.append(problem)
    return said
