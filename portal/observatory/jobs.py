"""The observatory's nightly task: the public figures of the twelve months before the day (they also
follow every import, in the import's job)."""

from __future__ import annotations

from portal import clock, db
from portal.jobs import periodic
from portal.observatory.services import refresh


@periodic(minute="50", hour="0")
def refresh_daily() -> None:
    """A new snapshot of the public figures (00:50 UTC, after the nightly rescoring)."""
    dbs = db.session()
    refresh(dbs, clock.today())
    dbs.commit()
