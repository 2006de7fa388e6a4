"""One-time links: an invitation (7 days) or a password reset (1 hour), signed with the secret key. A link
stops working once used: it names the account's current password hash and session version."""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from portal.backoffice.models import User

MAX_AGE = {"invitation": 7 * 24 * 3600, "reset": 3600}


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"partner-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.password_hash}|{user.session_version}".encode()).hexdigest()[:20]


def make_token(secret_key: str, purpose: str, user: User) -> str:
    return _serializer(secret_key, purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_token(session: Session, secret_key: str, purpose: str, token: str) -> User | None:
    """The account the link is for, if the link is genuine, not expired and not used yet."""
    try:
        data = _serializer(secret_key, purpose).loads(token, max_age=MAX_AGE[purpose])
    except (BadSignature, SignatureExpired):
        return None
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user
