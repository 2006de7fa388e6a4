"""Sessions kept on the server: a partner's sign-in, an applicant's look-up, a tenant's sign-in to the
exchange.

The browser's cookie (Flask's signed session) carries only a random session id; the server keeps its
SHA-256 with what the session may do: whose it is, whether the second factor is done, the TOTP secret
being set up, when it ends. Signing out (or leaving the look-up) deletes the row, so every copy of the
cookie stops working at once; a new password or "sign out everywhere" deletes every row of the person.
Expired rows are deleted by a periodic job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import g, session
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import set_committed_value

from portal import clock, db
from portal.db import Base
from portal.jobs import periodic

COOKIE_KEY = "sid"
KINDS = ("partner", "lookup", "tenant")


def utc_now() -> dt.datetime:
    return clock.now().astimezone(dt.UTC)


def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes (stored in UTC)."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class AuthSession(Base):
    """One signed-in partner or one looked-up demand, as long as the row exists and has not expired."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the cookie's id
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="CASCADE"), nullable=True, index=True
    )
    demand_id: Mapped[int | None] = mapped_column(
        ForeignKey("demand.id", ondelete="CASCADE"), nullable=True, index=True
    )
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("exchange_tenant.id", ondelete="CASCADE"), nullable=True, index=True
    )
    session_version: Mapped[int] = mapped_column(Integer, default=0)  # the account's, at sign-in
    second_factor_done: Mapped[bool] = mapped_column(Boolean, default=False)
    pending_totp_secret: Mapped[str] = mapped_column(String(64), default="")  # during two-step set-up
    next_path: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # however active: the hard end
    statement_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # kept for the look-up
    statement_locale: Mapped[str] = mapped_column(String(10), default="")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    dbs: Session,
    kind: str,
    idle: dt.timedelta,
    lasting: dt.timedelta,
    **values,
) -> AuthSession:
    """A new session (the caller commits): whatever the browser's session held is dropped, so the old
    cookie (and its CSRF token) is worth nothing; only the partner's language choice is kept."""
    assert kind in KINDS
    now = utc_now()
    token = secrets.token_urlsafe(32)
    record = AuthSession(
        token_hash=_hash(token),
        kind=kind,
        created_at=now,
        seen_at=now,
        expires_at=min(now + idle, now + lasting),
        ends_at=now + lasting,
        **values,
    )
    dbs.add(record)
    locale = session.get("partner_locale")
    session.clear()
    session[COOKIE_KEY] = token
    if locale:
        session["partner_locale"] = locale
    g.pop("auth_session", None)
    return record


def current(kind: str) -> AuthSession | None:
    """The live session of this kind named by the cookie, or None."""
    if "auth_session" not in g:
        g.auth_session = _read()
    record = g.auth_session
    return record if record is not None and record.kind == kind else None


def _read() -> AuthSession | None:
    token = session.get(COOKIE_KEY)
    if not isinstance(token, str) or not token:
        return None
    record = db.session().scalar(select(AuthSession).where(AuthSession.token_hash == _hash(token)))
    if record is None or aware(record.expires_at) <= utc_now():
        return None
    return record


def touch(record: AuthSession, idle: dt.timedelta) -> None:
    """Activity moves the idle end (written at most once a minute), never past the hard end.

    On SQLite a long write of the job consumer (a million demands applied in one transaction) holds the
    database for minutes: the move is then skipped at once, never waited for, so the job's page and the
    rest of the workspace keep answering; the next request moves it."""
    now = utc_now()
    if now - aware(record.seen_at) < dt.timedelta(minutes=1):
        return
    dbs = db.session()
    dbs.commit()  # a fresh transaction for the write
    expires = min(now + idle, aware(record.ends_at))
    # A statement, not the ORM: a sign-out in another tab may have deleted the row meanwhile (0 rows).
    statement = (
        update(AuthSession)
        .where(AuthSession.id == record.id)
        .values(seen_at=now, expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    if not db.write_if_free(dbs, statement):
        return
    dbs.commit()
    set_committed_value(record, "seen_at", now)  # as stored, without a pending change
    set_committed_value(record, "expires_at", expires)


def end() -> bool:
    """Delete this browser's session on the server and clear the cookie; True if one was open."""
    token = session.get(COOKIE_KEY)
    ended = False
    if isinstance(token, str) and token:
        dbs = db.session()
        ended = bool(dbs.execute(delete(AuthSession).where(AuthSession.token_hash == _hash(token))).rowcount)
        dbs.commit()
    locale = session.get("partner_locale")
    session.clear()
    if locale:
        session["partner_locale"] = locale
    g.pop("auth_session", None)
    return ended


def end_all_for_user(dbs: Session, user_id: int) -> None:
    """Every session of the person, on every device (the caller commits)."""
    dbs.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


@periodic(minute="*/10")
def purge_expired() -> None:
    """Sessions past their end, with the statements they kept."""
    dbs = db.session()
    dbs.execute(delete(AuthSession).where(AuthSession.expires_at < utc_now()))
    dbs.commit()
