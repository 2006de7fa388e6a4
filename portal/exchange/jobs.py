"""The exchange's periodic work: listings past their date lapse every night and the matches are counted;
e-mailed links, unconfirmed accounts, old accounts, messages and handled reports are deleted."""

from __future__ import annotations

import logging

from portal import clock, db
from portal.exchange import accounts, figures, messages, services
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


@periodic(minute="40", hour="0")
def count_matches_daily() -> None:
    """Every night at 00:40 UTC (after the lapse): the matches of the whole exchange, for the figures."""
    session = db.session()
    count = figures.count_matches(session, clock.now())
    session.commit()
    log.info("%s of %s public swap listings have a match", count.listings_with_match, count.public_listings)
