"""The review workflow of the information pages: drafts per organisation, review, publication, history.

A draft belongs to the organisation of the editor who starts it; only that organisation's editors see and
change it until it is submitted, then the EPCI's reviewers read it beside the published text and publish
it or send it back with a comment. Every state is a PageVersion row:

    draft --submit--> in_review --publish--> published --(next publication)--> archived
      ^                   |
      +---send back-------+  (and withdraw, by its organisation)

An organisation has at most one draft (draft or in review) per page, locale and variant. Saving a draft
carries the lock counter the editor's copy was made from; the update only happens where the counter
still has that value, so of two people saving the same draft the second is refused and keeps their text.
Restoring an old version starts a draft from it: what reaches the public is always reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.clock import utcnow
from portal.content import content_hash
from portal.information.drafts import follows_french, french_source, open_draft
from portal.information.loader import published_version
from portal.information.models import (
    ARCHIVED,
    DRAFT,
    IN_REVIEW,
    PUBLISHED,
    STANDARD,
    Page,
    PageVersion,
)
from portal.information.services import reindex
from portal.partners import audit
from portal.partners.models import Organisation, User
from portal.revision import bump_revision

AUDIT_LABELS = {
    "content.draft_started": _l("Page draft started"),
    "content.draft_saved": _l("Page draft saved"),
    "content.draft_discarded": _l("Page draft discarded"),
    "content.submitted": _l("Page draft submitted for review"),
    "content.withdrawn": _l("Page draft taken back from review"),
    "content.sent_back": _l("Page draft sent back"),
    "content.published": _l("Page version published"),
    "content.restored": _l("Old page version restored as a draft"),
}
audit.register(AUDIT_LABELS)


class WorkflowError(Exception):
    """A transition that the draft's state or the person's role does not allow; the message is for people."""


class Conflict(Exception):
    """The draft changed since the editor's copy was made: `current` is what is stored now."""

    def __init__(self, current: PageVersion | None):
        super().__init__("the draft changed since it was opened")
        self.current = current


@dataclass(frozen=True)
class Texts:
    title: str
    summary: str
    body: str


def texts_of(version: PageVersion | None) -> Texts:
    if version is None:
        return Texts("", "", "")
    return Texts(version.title, version.summary, version.body)


# --- transitions --------------------------------------------------------------------------------


def _next_number(session: Session, page: Page, locale: str, variant: str) -> int:
    last = session.scalar(
        select(func.max(PageVersion.number)).where(
            PageVersion.page_id == page.id, PageVersion.locale == locale, PageVersion.variant == variant
        )
    )
    return (last or 0) + 1


def _snapshot(version: PageVersion) -> dict:
    return {"number": version.number, "status": version.status, "title": version.title}


def start_draft(
    session: Session,
    page: Page,
    locale: str,
    variant: str,
    organisation: Organisation,
    user: User,
    from_version: PageVersion | None = None,
    action: str = "content.draft_started",
) -> PageVersion:
    """A new draft of the organisation, copied from `from_version`, else from the published text, else
    (a translation not made yet) from the French page. Refused when the organisation has one already."""
    if open_draft(session, page, locale, variant, organisation.id) is not None:
        raise WorkflowError(
            _l("Your organisation already has a draft of this page: finish or discard it first.")
        )
    published = published_version(session, page, locale, variant)
    french = french_source(session, page)
    origin = from_version or published or french
    if origin is None:
        raise WorkflowError(_l("This page has no published text to start from."))
    if follows_french(locale, variant):
        # A copy of the French page is translated from the current French; a copy of an older
        # translation still follows the French text it was made from.
        source_id = french.id if origin is french else origin.source_version_id
    else:
        source_id = None
    draft = PageVersion(
        page=page,
        locale=locale,
        variant=variant,
        number=_next_number(session, page, locale, variant),
        status=DRAFT,
        title=origin.title,
        summary=origin.summary,
        body=origin.body,
        content_hash=content_hash(origin.title, origin.summary, origin.body),
        source_version_id=source_id,
        author=user.name,
        author_id=user.id,
        organisation_id=organisation.id,
        base_version_id=published.id if published else None,
        lock_version=1,
    )
    session.add(draft)
    session.flush()
    audit.record(
        session,
        user,
        organisation.id,
        action,
        _target(page, locale, variant),
        before=_snapshot(from_version) if from_version is not None else {},
        after=_snapshot(draft),
    )
    return draft


def save_draft(
    session: Session,
    draft: PageVersion,
    user: User,
    texts: Texts,
    lock_version: int,
    follows_current_french: bool = False,
) -> PageVersion:
    """Store the editor's text if the draft is still the copy they opened (same lock counter); raise
    Conflict otherwise, leaving the draft as it is."""
    if draft.status != DRAFT:
        raise WorkflowError(_l("This draft is waiting for review: take it back before changing it."))
    before = {"title": draft.title, "summary": draft.summary, "body": draft.body}
    values = {
        "title": texts.title,
        "summary": texts.summary,
        "body": texts.body,
        "content_hash": content_hash(texts.title, texts.summary, texts.body),
        "lock_version": lock_version + 1,
        "author": user.name,
        "author_id": user.id,
    }
    if follows_current_french and follows_french(draft.locale, draft.variant):
        french = french_source(session, draft.page)
        values["source_version_id"] = french.id if french else None
    changed = session.execute(
        update(PageVersion)
        .where(
            PageVersion.id == draft.id, PageVersion.lock_version == lock_version, PageVersion.status == DRAFT
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.expire(draft)
    if changed != 1:
        raise Conflict(session.get(PageVersion, draft.id))
    audit.record(
        session,
        user,
        draft.organisation_id,
        "content.draft_saved",
        _target(draft.page, draft.locale, draft.variant),
        before={name: value for name, value in before.items() if value != values[name]},
        after={name: values[name] for name in before if before[name] != values[name]},
    )
    return draft


def _move(session: Session, draft: PageVersion, user: User, expected: str, action: str, **values) -> None:
    """Change the draft's state from `expected`, in one conditional update (two clicks, one transition)."""
    before = draft.status
    changed = session.execute(
        update(PageVersion)
        .where(PageVersion.id == draft.id, PageVersion.status == expected)
        .values(lock_version=PageVersion.lock_version + 1, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.expire(draft)
    if changed != 1:
        raise WorkflowError(_l("This draft changed meanwhile: look at it again."))
    audit.record(
        session,
        user,
        draft.organisation_id,
        action,
        _target(draft.page, draft.locale, draft.variant),
        before={"number": draft.number, "status": before},
        after={"number": draft.number, "status": values.get("status", before), **_note(values)},
    )


def _note(values: dict) -> dict:
    return {"comment": values["review_note"]} if values.get("review_note") else {}


def submit(session: Session, draft: PageVersion, user: User) -> None:
    _move(
        session,
        draft,
        user,
        DRAFT,
        "content.submitted",
        status=IN_REVIEW,
        submitted_at=utcnow(),
        review_note="",
    )


def withdraw(session: Session, draft: PageVersion, user: User) -> None:
    _move(session, draft, user, IN_REVIEW, "content.withdrawn", status=DRAFT, submitted_at=None)


def send_back(session: Session, draft: PageVersion, reviewer: User, comment: str) -> None:
    if not comment.strip():
        raise WorkflowError(_l("Say what to change: the comment is what the editors will read."))
    _move(
        session,
        draft,
        reviewer,
        IN_REVIEW,
        "content.sent_back",
        status=DRAFT,
        review_note=comment.strip(),
        reviewer_id=reviewer.id,
        reviewed_at=utcnow(),
    )


def discard(session: Session, draft: PageVersion, user: User) -> None:
    if draft.status != DRAFT:
        raise WorkflowError(_l("Only a draft not under review can be discarded."))
    audit.record(
        session,
        user,
        draft.organisation_id,
        "content.draft_discarded",
        _target(draft.page, draft.locale, draft.variant),
        before={**_snapshot(draft), "body": draft.body},
    )
    session.delete(draft)
    session.flush()


def publish(
    session: Session, draft: PageVersion, reviewer: User, locales: tuple[str, ...], tokens: dict[str, str]
) -> PageVersion:
    """The reviewed draft becomes the published text (the previous one is archived); the search index and
    every worker's copy of the pages follow in the same transaction."""
    if draft.author_id == reviewer.id:
        raise WorkflowError(_l("A draft is published by another person than its author."))
    previous = published_version(session, draft.page, draft.locale, draft.variant)
    now = utcnow()
    _move(
        session,
        draft,
        reviewer,
        IN_REVIEW,
        "content.published",
        status=PUBLISHED,
        reviewer_id=reviewer.id,
        reviewed_at=now,
        published_at=now,
        updated_on=now.date(),
        review_note="",
    )
    if previous is not None:
        previous.status = ARCHIVED
        session.flush()
    reindex(session, locales, tokens)
    bump_revision(session)
    return draft


def restore(session: Session, version: PageVersion, organisation: Organisation, user: User) -> PageVersion:
    """A draft with the text of an older version: it is reviewed like any other before it is published."""
    if version.status not in (PUBLISHED, ARCHIVED):
        raise WorkflowError(_l("Only a version that was published can be restored."))
    return start_draft(
        session,
        version.page,
        version.locale,
        version.variant,
        organisation,
        user,
        from_version=version,
        action="content.restored",
    )


def _target(page: Page, locale: str, variant: str) -> str:
    return f"{page.slug} ({locale}{', ' + variant if variant != STANDARD else ''})"
