"""The partners' moderation of the exchange: the reports tenants made, and what a moderator does with
one: dismiss it, hide the reported message, remove a photo of the reported listing, or suspend the
listing (hidden from every match, its open swaps cancelled, its other reports closed with it). Each
decision is audited; a suspended tenant is told by e-mail.

A moderator reads the reported message and the reported listing, nothing else of the conversation.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.exchange import services
from portal.exchange.models import REPORT_OUTCOMES, Listing, ListingPhoto, Message, Report
from portal.partners import audit
from portal.partners.models import User

audit.register({"exchange.report_handled": _l("Report on the swap exchange handled")})
HANDLED_SHOWN = dt.timedelta(days=30)


def open_reports(session: Session) -> list[Report]:
    return list(
        session.scalars(select(Report).where(Report.handled_at.is_(None)).order_by(Report.created_at))
    )


def handled_reports(session: Session, now: dt.datetime) -> list[Report]:
    """Reports handled in the last HANDLED_SHOWN, latest first."""
    return list(
        session.scalars(
            select(Report).where(Report.handled_at >= now - HANDLED_SHOWN).order_by(Report.handled_at.desc())
        )
    )


def handle(
    session: Session,
    report: Report,
    outcome: str,
    user: User,
    organisation_id: int,
    now: dt.datetime,
    photo_id: int | None = None,
) -> Listing | None:
    """Records the moderator's decision and carries it out; returns the listing when it was suspended
    (the caller tells its tenant). Refused: "state" (already handled), "outcome" (not one that fits
    the report)."""
    if report.handled_at is not None:
        raise services.ExchangeRefused("state")
    if outcome not in REPORT_OUTCOMES:
        raise services.ExchangeRefused("outcome")
    listing = session.get(Listing, report.listing_id) if report.listing_id is not None else None
    suspended = None
    if outcome == "message_hidden":
        message = session.get(Message, report.message_id) if report.message_id is not None else None
        if message is None:
            raise services.ExchangeRefused("outcome")
        message.hidden_at = now
    elif outcome == "photo_removed":
        photo = session.get(ListingPhoto, photo_id) if photo_id is not None else None
        if photo is None or listing is None or photo.listing_id != listing.id:
            raise services.ExchangeRefused("outcome")
        session.execute(delete(ListingPhoto).where(ListingPhoto.id == photo.id))
    elif outcome == "listing_suspended":
        if listing is None or listing.state == "suspended":
            raise services.ExchangeRefused("outcome")
        listing.state, listing.closed_at = "suspended", now
        services.cancel_open_swaps(session, [listing.id], now)
        session.execute(
            update(Report)
            .where(Report.listing_id == listing.id, Report.handled_at.is_(None), Report.id != report.id)
            .values(handled_at=now, handled_by=user.id, outcome=outcome)
        )
        suspended = listing
    report.handled_at, report.handled_by, report.outcome = now, user.id, outcome
    target = f"report {report.id}"
    audit.record(
        session, user, organisation_id, "exchange.report_handled", target, after={"outcome": outcome}
    )
    return suspended
