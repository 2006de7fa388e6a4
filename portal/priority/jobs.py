"""The priority follow-up's periodic work: labelled households housed by an allocation of the data files
leave the follow-up, labels past their end lapse, and referrals ended a year ago are deleted."""

from __future__ import annotations

import logging

from portal import clock, db
from portal.jobs import periodic
from portal.priority import referrals

log = logging.getLogger(__name__)


@periodic(minute="55", hour="1")
def follow_up_daily() -> None:
    """Every night at 01:55 UTC."""
    session = db.session()
    housed, lapsed = referrals.follow_up(session, clock.today())
    deleted = referrals.purge(session, clock.today())
    session.commit()
    log.info("priority follow-up: %s housed, %s labels lapsed, %s referrals deleted", housed, lapsed, deleted)
