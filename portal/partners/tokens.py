"""One-time codes sent by e-mail: an invitation (7 days) or a password reset (1 hour).

The e-mail's link carries the code after `#`, so it never reaches a server, a proxy or an access log
(a fragment is not sent with the request); the page's form sends it in the POST body, filled in by a
small script or typed from the e-mail. Only the code's SHA-256 is stored; a code works once; expired and
used codes are deleted by a periodic job.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal import clock, db
from portal.jobs import periodic
from portal.partners.models import OFFER_DAYS, OneTimeLink, RoleInvitation, User

MAX_AGE = {"invitation": dt.timedelta(days=7), "reset": dt.timedelta(hours=1)}


def _hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def normalize(code: str) -> str:
    """The code as stored: letters and digits only, upper-case (people copy it with spaces or dashes)."""
    return re.sub(r"[^A-Z2-7]", "", (code or "").upper())


def grouped(code: str) -> str:
    """The code as the e-mail prints it: groups of five, easier to read and type."""
    return "-".join(code[index : index + 5] for index in range(0, len(code), 5))


KEPT = 3  # codes of one person and purpose that work at once (asking again does not kill the last one)


def make_code(session: Session, purpose: str, user: User, now: dt.datetime) -> str:
    """A new code (130 random bits, base 32) for this person and purpose; beyond the KEPT latest, and
    once expired or used, older codes stop working."""
    code = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")[:26]
    now = now.astimezone(dt.UTC)
    older = session.scalars(
        select(OneTimeLink.id)
        .where(OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose)
        .order_by(OneTimeLink.id.desc())
        .offset(KEPT - 1)
    ).all()
    if older:
        session.execute(delete(OneTimeLink).where(OneTimeLink.id.in_(older)))
    session.add(
        OneTimeLink(
            code_hash=_hash(code),
            purpose=purpose,
            user_id=user.id,
            created_at=now,
            expires_at=now + MAX_AGE[purpose],
        )
    )
    return code


def read_code(session: Session, purpose: str, code: str, now: dt.datetime) -> OneTimeLink | None:
    """The link of this code if it is genuine, for this purpose, not expired and not used yet."""
    if len(normalize(code)) != 26:
        return None
    link = session.scalar(
        select(OneTimeLink)
        .where(OneTimeLink.code_hash == _hash(code), OneTimeLink.purpose == purpose)
        .execution_options(populate_existing=True)
    )
    if link is None or link.used_at is not None:
        return None
    expires = link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=dt.UTC)
    user = session.get(User, link.user_id)
    if expires <= now.astimezone(dt.UTC) or user is None or not user.active:
        return None
    return link


def use(session: Session, link: OneTimeLink, now: dt.datetime) -> bool:
    """Mark the code used; False when another request used it first (a code works once, even twice at
    once)."""
    used = session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=now.astimezone(dt.UTC))
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


@periodic(minute="20", hour="*")
def purge() -> None:
    """Codes past their end or used more than a day ago, and role offers past OFFER_DAYS."""
    dbs = db.session()
    now = clock.now().astimezone(dt.UTC)
    dbs.execute(
        delete(OneTimeLink).where(
            (OneTimeLink.expires_at < now) | (OneTimeLink.used_at < now - dt.timedelta(days=1))
        )
    )
    dbs.execute(delete(RoleInvitation).where(RoleInvitation.created_at < now - dt.timedelta(days=OFFER_DAYS)))
    dbs.commit()
