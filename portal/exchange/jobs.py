"""The exchange's periodic work: listings past their date lapse every night; e-mailed links expire."""

from __future__ import annotations

import logging

from portal import clock, db
from portal.exchange import accounts, messages, services
from portal.jobs import periodic

log = logging.getLogger(__name__)


def lapse_listings() -> int:
    """Public listings not renewed in time lapse (hidden from matches); their open swaps are cancelled."""
    session = db.session()
    lapsed = services.lapse(session, clock.today(), clock.now())
    session.commit()
    return lapsed


@periodic(minute="20", hour="0")
def lapse_daily() -> None:
    """Every night at 00:20 UTC."""
    log.info("%s swap listings lapsed", lapse_listings())


@periodic(minute="25")
def purge_accounts() -> None:
    """Every hour: expired e-mailed links, accounts whose address was not confirmed in 48 hours,
    accounts a year after their listing closed (or unused a year after their creation), messages six
    months after they were sent, reports a year after they were handled."""
    session = db.session()
    accounts.purge(session, clock.now())
    messages.purge(session, clock.now())
    session.commit()
