"""The observatory's work for the job consumer: the public figures of the twelve months before the day,
every night and after every data file applied (announced by the demands area, which does not know the
observatory)."""

from __future__ import annotations

from portal import clock, db, events
from portal.jobs import periodic
from portal.jobs.records import N_
from portal.observatory.services import refresh


@periodic(minute="50", hour="0")
def refresh_daily() -> None:
    """A new snapshot of the public figures (00:50 UTC, after the nightly scoring)."""
    dbs = db.session()
    refresh(dbs, clock.today())
    dbs.commit()


def refresh_after_import(sender, *, session, day, progress=None, **extra) -> None:
    """New data, new figures: computed in the import's job, as its last step."""
    if progress is not None:
        progress.step(N_("Computing the public figures"))
    refresh(session, day)
    session.commit()


def connect_events() -> None:
    events.territory_data_changed.connect(refresh_after_import)
