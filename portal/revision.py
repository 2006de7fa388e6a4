"""The published content's revision: one number that grows whenever what the public pages show changes
(pages published or withdrawn, a grid put in force, sections reordered). Every worker keeps copies of
what it read from the database with the number they were read under, and the page cache keys pages
by it; whatever publishes bumps it in its own transaction."""

from __future__ import annotations

import time

from sqlalchemy import Integer, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base

# Copies read from the database and kept per process, per database and name, with the stamp they were
# read under: (database URL, name) -> (stamp, value). The pages and the grids use it.
_kept: dict[tuple[str, str], tuple[tuple, object]] = {}
_kept_names: set[str] = set()
_stamps: dict[str, tuple[float, tuple]] = {}
# How long a worker trusts its copy before asking the database again: what another worker (or
# another app server) publishes shows within this delay; what this process publishes shows at once.
STAMP_SECONDS = 2.0


class ContentRevision(Base):
    """One row whose number grows at every change of the published content (pages, sections, order):
    each worker compares it with the number of the copy it keeps."""

    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, default=0)


def published_stamp(session: Session) -> tuple:
    """Identifies the published content: it changes whenever a version is published or withdrawn."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic()
    kept = _stamps.get(key)
    if kept is not None and now - kept[0] < STAMP_SECONDS:
        return kept[1]
    stamp = (session.scalar(select(ContentRevision.number).where(ContentRevision.id == 1)) or 0,)
    _stamps[key] = (now, stamp)
    return stamp


def bump_revision(session: Session) -> None:
    """Tell every worker that the published content changed (part of the caller's transaction)."""
    revision = session.get(ContentRevision, 1)
    if revision is None:
        session.add(ContentRevision(id=1, number=1))
    else:
        revision.number += 1
    session.flush()
    forget_published(session)


def forget_published(session: Session | None = None) -> None:
    """Drop the kept copies; whatever publishes calls it so this process shows the change at once (and the
    tests between them: a rollback does not move the revision back in a copy read inside it)."""
    _stamps.clear()
    _kept.clear()
    if session is not None:
        for name in _kept_names:
            session.info.pop(name, None)


def kept_per_revision(session: Session, name: str, read):
    """What `read(session)` gives, read once per content revision in this process (and once per session):
    whatever changes it must bump the revision (see bump_revision)."""
    if name in session.info:
        return session.info[name]
    _kept_names.add(name)
    stamp = published_stamp(session)
    key = (str(session.get_bind().engine.url), name)
    found = _kept.get(key)
    if found is None or found[0] != stamp:
        found = _kept[key] = (stamp, read(session))
    session.info[name] = found[1]
    return found[1]
