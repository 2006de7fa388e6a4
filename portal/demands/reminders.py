"""E-mail reminders of a demand's renewal deadline, without an account (double opt-in).

Asked from the look-up, a reminder holds the e-mail address, a keyed hash of the demand's number (HMAC
with the portal's secret key: the number cannot be read back, and the same number always gives the same
key) and the deadline, plus the hash of the one secret link its e-mails carry (confirm, stop). Nothing is
sent before the address is confirmed; an unconfirmed request is deleted after CONFIRM_WITHIN, a reminder
the day after its deadline. The e-mails go one month and one week before the deadline (a daily task).
Times are stored in UTC (`now` may be in any zone); days are those of Paris.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from portal.clock import PARIS, months_before
from portal.demands.models import RenewalReminder

CONFIRM_WITHIN = dt.timedelta(hours=48)
WEEK = dt.timedelta(days=7)


def number_key(number: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"renewal-reminder|{number}".encode(), hashlib.sha256).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(now: dt.datetime) -> dt.datetime:
    return now.astimezone(dt.UTC)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def ask(session: Session, email: str, number: str, deadline: dt.date, locale: str, now: dt.datetime) -> str:
    """Record a request, or start an earlier one for the same address and number again (new link, new
    deadline, to be confirmed again); the token of the confirmation e-mail's link."""
    email, key, token = normalize_email(email), number_key(number), secrets.token_urlsafe(32)
    reminder = session.scalar(
        select(RenewalReminder).where(RenewalReminder.email == email, RenewalReminder.number_key == key)
    )
    if reminder is None:
        reminder = RenewalReminder(email=email, number_key=key)
        session.add(reminder)
    reminder.deadline, reminder.locale, reminder.token_hash = deadline, locale, _token_hash(token)
    reminder.asked_at, reminder.confirmed_at = _utc(now), None
    reminder.month_sent = reminder.week_sent = False
    return token


def find(session: Session, token: str, now: dt.datetime) -> RenewalReminder | None:
    """The reminder of a link, unless it has lapsed (unconfirmed for too long, or its deadline passed)."""
    reminder = session.scalar(select(RenewalReminder).where(RenewalReminder.token_hash == _token_hash(token)))
    if reminder is None or reminder.deadline < now.astimezone(PARIS).date():
        return None
    if reminder.confirmed_at is None and _aware(reminder.asked_at) + CONFIRM_WITHIN < now:
        return None
    return reminder


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def confirm(session: Session, token: str, now: dt.datetime) -> RenewalReminder | None:
    reminder = find(session, token, now)
    if reminder is not None and reminder.confirmed_at is None:
        reminder.confirmed_at = _utc(now)
    return reminder


def stop(session: Session, token: str) -> bool:
    """Delete the reminder of a link (whatever its state); False when there is none."""
    return bool(
        session.execute(
            delete(RenewalReminder).where(RenewalReminder.token_hash == _token_hash(token))
        ).rowcount
    )


def new_link(reminder: RenewalReminder) -> str:
    """A fresh secret for the links of the next e-mail (only the hash is kept, so an e-mail's links are
    made anew each time; the earlier ones stop working)."""
    token = secrets.token_urlsafe(32)
    reminder.token_hash = _token_hash(token)
    return token


def due(session: Session, today: dt.date) -> list[tuple[RenewalReminder, str]]:
    """(reminder, "month" or "week") for every e-mail to send today: the week's once within a week of
    the deadline, else the month's once within a month (a reminder confirmed late gets only the nearer)."""
    found = []
    confirmed = select(RenewalReminder).where(
        RenewalReminder.confirmed_at.is_not(None),
        RenewalReminder.deadline >= today,
        or_(RenewalReminder.month_sent.is_(False), RenewalReminder.week_sent.is_(False)),
    )
    for reminder in session.scalars(confirmed.order_by(RenewalReminder.id)):
        if today >= reminder.deadline - WEEK:
            if not reminder.week_sent:
                found.append((reminder, "week"))
        elif today >= months_before(reminder.deadline, 1) and not reminder.month_sent:
            found.append((reminder, "month"))
    return found


def purge(session: Session, now: dt.datetime) -> int:
    """Delete the reminders whose deadline has passed and the requests never confirmed in time."""
    return session.execute(
        delete(RenewalReminder).where(
            or_(
                RenewalReminder.deadline < now.astimezone(PARIS).date(),
                RenewalReminder.confirmed_at.is_(None)
                & (RenewalReminder.asked_at < _utc(now) - CONFIRM_WITHIN),
            )
        )
    ).rowcount
