"""The rehousing follow-up's periodic work: the households of an operation closed for RETENTION are
deleted (with their offers and proposals); the operation keeps its final figures."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import clock, db
from portal.jobs import periodic
from portal.rehousing import dashboard
from portal.rehousing.models import Household, Operation

log = logging.getLogger(__name__)

RETENTION = dt.timedelta(days=730)  # two years after the operation is closed, as the privacy page says


def purge(session: Session, today: dt.date) -> int:
    """Delete the households of the operations closed before today - RETENTION, their figures kept on the
    operation; how many households were deleted."""
    deleted = 0
    closed = select(Operation).where(Operation.closed_on < today - RETENTION)
    for operation in session.scalars(closed):
        if not operation.final_figures:
            operation.final_figures = dashboard.figures(session, operation, today).as_dict()
        # Offers and proposals go with their household (ON DELETE CASCADE, and the ORM cascade).
        deleted += session.execute(delete(Household).where(Household.operation_id == operation.id)).rowcount
    return deleted


@periodic(minute="50", hour="1")
def purge_daily() -> None:
    """Every night at 01:50 UTC."""
    session = db.session()
    deleted = purge(session, clock.today())
    session.commit()
    log.info("%s households of closed rehousing operations deleted", deleted)
