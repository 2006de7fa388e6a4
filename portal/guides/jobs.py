"""Printing documents in the job queue: one render per document however many ask for it (a claim in the
database, shared by every app server), within the machine's render slots, and every public document
pre-rendered after each publication and every night, so that people find them ready."""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import delete, or_, update
from sqlalchemy.exc import IntegrityError

from portal import clock, db
from portal.guides import documents
from portal.guides.models import RenderClaim
from portal.guides.render import render_pdf
from portal.guides.slots import render_slot
from portal.jobs import enqueue, job, periodic

log = logging.getLogger(__name__)

CLAIM_TTL = dt.timedelta(minutes=10)  # a claim older than this (its job lost) may be taken again
URGENT, PRERENDER = 5, 0  # job priorities: somebody waits / the nightly or post-publication run
SLOT_WAIT_SECONDS = 600  # a job waits its turn for a render slot of the machine


def claim(name: str, key: str, urgent: bool) -> bool:
    """Take the document's render for ourselves: True when no fresh claim exists for this content (an
    urgent request also takes over a pre-render's claim, which may wait behind hundreds of others)."""
    dbs = db.session()
    # End the request's reading transaction first: on SQLite, a write that follows reads in the same
    # transaction fails at once when another process writes too, instead of waiting its turn.
    dbs.commit()
    now = clock.now().astimezone(dt.UTC)
    takeover = [RenderClaim.claimed_at < now - CLAIM_TTL, RenderClaim.key != key]
    if urgent:
        takeover.append(RenderClaim.urgent.is_(False))
    taken = dbs.execute(
        update(RenderClaim)
        .where(RenderClaim.name == name, or_(*takeover))
        .values(key=key, claimed_at=now, urgent=urgent)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken and dbs.get(RenderClaim, name) is None:
        try:
            with dbs.begin_nested():
                dbs.add(RenderClaim(name=name, key=key, claimed_at=now, urgent=urgent))
            taken = True
        except IntegrityError:  # another server claimed it in the meantime
            taken = False
    dbs.commit()
    return bool(taken)


def release(name: str, key: str | None = None) -> None:
    """Drop the document's claim (only the claim for `key`, when given: a newer claim, for newer content,
    stays)."""
    dbs = db.session()
    condition = [RenderClaim.name == name] + ([RenderClaim.key == key] if key is not None else [])
    dbs.execute(delete(RenderClaim).where(*condition).execution_options(synchronize_session=False))
    dbs.commit()


def queue_render(document: documents.Document, spec: tuple, urgent: bool) -> bool:
    """Queue one render of the document unless one is queued already; True if this call queued it."""
    if not claim(document.name, documents.document_key(document), urgent):
        return False
    try:
        enqueue(render, *spec, priority=URGENT if urgent else PRERENDER)
    except Exception:  # the queue is away: the next request tries again
        log.exception("guide render not queued")
        release(document.name)
        return False
    return True


def print_document(document: documents.Document) -> tuple[bytes, bool]:
    """The document's PDF: from the cache, or printed now (within a render slot of the machine) and
    kept. (PDF, whether it was printed now.) For the jobs and `portal guides build`."""
    found = documents.cached(document)
    if found is not None:
        return found[0], False
    with render_slot(wait=SLOT_WAIT_SECONDS):
        found = documents.cached(document)  # printed meanwhile by another job?
        if found is not None:
            return found[0], False
        pdf = render_pdf(document.html, documents.static_dir(), document.generated)
    documents.cache().put(document.name, documents.document_key(document), pdf, clock.now())
    return pdf, True


@job(retries=2, retry_delay=30)
def render(kind: str, locale: str, target: str | int | None) -> None:
    """Print one document into the cache (what it shows when the job runs), unless it is there already."""
    settings = current_app.config["PORTAL_SETTINGS"]
    with current_app.test_request_context(base_url=settings.public_url):
        document = documents.build(kind, locale, target)
        if document is None:
            return
        try:
            print_document(document)
        finally:
            release(document.name, documents.document_key(document))


@job(priority=PRERENDER)
def prerender_all() -> int:
    """Queue a render of every public document the cache does not hold as it is now; how many."""
    settings = current_app.config["PORTAL_SETTINGS"]
    if not settings.guides_prerender:
        return 0
    queued = 0
    with current_app.test_request_context(base_url=settings.public_url):
        for spec in documents.public_documents():
            document = documents.build(*spec)
            if document is not None and documents.cached(document) is None:
                queued += queue_render(document, spec, urgent=False)
    log.info("guides: %s documents queued for pre-rendering", queued)
    return queued


@periodic(minute="30", hour="1")
def prerender_nightly() -> None:
    """The day changes what guides show (ceilings and grids in force on dates): every night, at 01:30 UTC."""
    prerender_all()
