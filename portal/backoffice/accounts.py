"""Partner accounts: passwords, sign-in with lock-out, TOTP second factor, and the audit log.

Nothing here reads the request: views pass what they got, and the time from portal.clock.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.backoffice.models import AuditEntry, User

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("an unknown address costs the same time as a known one")
MIN_LENGTH = 12
MAX_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCK_MINUTES = 15
TOTP_ISSUER = "Portail du demandeur – partenaires"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Why a new password is refused (translated), or nothing."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("Use at least %(count)s characters.", count=MIN_LENGTH))
    lowered = password.lower()
    core = re.sub(r"[\d\W_]+$", "", lowered)  # "Motdepasse2026!" is "motdepasse"
    if lowered in common_passwords() or core in common_passwords() or len(set(lowered)) < 4:
        problems.append(
            _l("This password is too common: choose another one, for instance three unrelated words.")
        )
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (
        name and name.lower().replace(" ", "") in lowered
    ):
        problems.append(_l("The password must not contain your name or your address."))
    return [str(problem) for problem in problems]


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(session: Session, email: str, password: str, now: dt.datetime) -> User | None:
    """The active user with that address and password, or None. An unknown address, a wrong password and a
    locked account get the same answer after the same work; MAX_FAILURES wrong passwords lock the account
    for LOCK_MINUTES (a right password does not open it before then)."""
    now = now.astimezone(dt.UTC)  # stored in UTC: SQLite keeps no time zone
    user = find_user(session, email)
    if user is None or not user.active or not user.password_hash:
        _verify(DUMMY_HASH, password)
        return None
    locked = user.locked_until is not None and _aware(user.locked_until) > now
    if not _verify(user.password_hash, password) or locked:
        if not locked:
            record_failure(session, user, now)
        return None
    user.failed_logins = 0
    user.locked_until = None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def record_failure(session: Session, user: User, now: dt.datetime) -> bool:
    """A wrong password or code; the MAX_FAILURES-th in a row locks the account for LOCK_MINUTES
    (audited). True when it did."""
    user.failed_logins += 1
    if user.failed_logins < MAX_FAILURES:
        return False
    user.locked_until = now.astimezone(dt.UTC) + dt.timedelta(minutes=LOCK_MINUTES)
    user.failed_logins = 0
    audit(session, user, None, "account.locked", user.email)
    return True


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes (stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def check_totp(user: User, secret: str, code: str, now: dt.datetime) -> bool:
    """A 6-digit code of this or the neighbouring 30-second step, each step accepted once."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code) or not secret:
        return False
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if candidate > user.totp_last_step and totp.at(candidate * totp.interval) == code:
            user.totp_last_step = candidate
            return True
    return False


def audit(
    session: Session,
    user: User | None,
    organisation_id: int | None,
    action: str,
    target: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Record a change in the caller's transaction: it is kept if and only if the change is."""
    entry = AuditEntry(
        user_id=user.id if user is not None else None,
        organisation_id=organisation_id,
        action=action,
        target=target[:200],
        before=before or {},
        after=after or {},
    )
    session.add(entry)
    return entry


# What each audit action means, in the reader's language (the code stays in the CSV). Other modules of
# the back-office add their own actions with AUDIT_LABELS.update(...) when they are imported.
AUDIT_LABELS: dict[str, LazyString] = {
    "account.signed_in": _l("Signed in"),
    "account.locked": _l("Account locked after too many attempts"),
    "account.second_factor_enabled": _l("Two-step sign-in activated"),
    "account.signed_out_everywhere": _l("Signed out on every device"),
    "account.password_set_by_invitation": _l("Password chosen after an invitation"),
    "account.password_set_by_reset": _l("Password changed after a reset"),
    "user.created": _l("Account created"),
    "organisation.created": _l("Organisation added"),
    "member.role_given": _l("Role given"),
    "member.role_taken": _l("Role taken away"),
    "desk.hours_confirmed": _l("Desk hours confirmed"),
    "desk.updated": _l("Desk changed"),
    "desk.closure_added": _l("Desk closure added"),
    "desk.closure_removed": _l("Desk closure taken away"),
    "desk.notice_added": _l("Desk notice added"),
    "desk.notice_removed": _l("Desk notice taken away"),
    "demand.looked_up_at_desk": _l("Demand looked up at a desk"),
}


def audit_action_label(action: str) -> str:
    return str(AUDIT_LABELS.get(action, action))
