"""One-time codes sent by e-mail: an invitation (7 days) or a password reset (1 hour).

The e-mail's link carries the code after `#`, so it never reaches a server, a proxy or an access log
(a fragment is not sent with the request); the page's form sends it in the POST body, filled in by a
small script or typed from the e-mail. Only the code's SHA-256 is stored; a code works once, and a new
code for the same person and purpose replaces the older ones.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.backoffice.models import OneTimeLink, User

MAX_AGE = {"invitation": dt.timedelta(days=7), "reset": dt.timedelta(hours=1)}


def _hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def normalize(code: str) -> str:
    """The code as stored: letters and digits only, upper-case (people copy it with spaces or dashes)."""
    return re.sub(r"[^A-Z2-7]", "", (code or "").upper())


def grouped(code: str) -> str:
    """The code as the e-mail prints it: groups of five, easier to read and type."""
    return "-".join(code[index : index + 5] for index in range(0, len(code), 5))


def make_code(session: Session, purpose: str, user: User, now: dt.datetime) -> str:
    """A new code (130 random bits, base 32) for this person and purpose; the older ones stop working."""
    code = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")[:26]
    now = now.astimezone(dt.UTC)
    session.execute(delete(OneTimeLink).where(OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose))
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
        select(OneTimeLink).where(OneTimeLink.code_hash == _hash(code), OneTimeLink.purpose == purpose)
    )
    if link is None or link.used_at is not None:
        return None
    expires = link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=dt.UTC)
    user = session.get(User, link.user_id)
    if expires <= now.astimezone(dt.UTC) or user is None or not user.active:
        return None
    return link


def use(link: OneTimeLink, now: dt.datetime) -> None:
    link.used_at = now.astimezone(dt.UTC)
