"""Partner accounts: passwords, sign-in with lock-out, TOTP second factor, and the audit log.

Nothing here reads the request: views pass what they got, and the time from portal.clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.partners import audit, throttle
from portal.partners.models import User

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("an unknown address costs the same time as a known one")
MIN_LENGTH = 12
MIN_GUESSES = 1e10  # zxcvbn's estimate: out of reach of online guessing, and costly offline with Argon2
CODE_POLICY = throttle.Policy(free=5, base_seconds=60)  # wrong second-factor codes: 1 min, 2 min… 15 min
TOTP_ISSUER = "Portail du demandeur – partenaires"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _zxcvbn_with_local_words():
    """zxcvbn (a maintained port of Dropbox's estimator: dictionaries, l33t, keyboard patterns,
    sequences, repetitions, dates), with the bundled list of French and local favourites added."""
    from zxcvbn import matching, zxcvbn

    matching.add_frequency_lists({"portal_common": sorted(common_passwords())})
    return zxcvbn


# zxcvbn's pattern names, and what to tell the person about them.
PATTERN_ADVICE = {
    "sequence": _l("Avoid sequences such as abcd or 1234."),
    "repeat": _l("Avoid repeated characters or words."),
    "spatial": _l("Avoid keyboard patterns such as azerty."),
    "date": _l("Avoid dates and years."),
}


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Why a new password is refused (translated), or nothing."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("Use at least %(count)s characters.", count=MIN_LENGTH))
    lowered = password.lower()
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (
        name and name.lower().replace(" ", "") in lowered.replace(" ", "")
    ):
        problems.append(_l("The password must not contain your name or your address."))
    if len(password) >= MIN_LENGTH:
        estimate = _zxcvbn_with_local_words()(password[:100], user_inputs=[local, *name.lower().split()])
        if estimate["guesses"] < MIN_GUESSES:
            problems.append(
                _l(
                    "This password is too easy to guess: choose another one, for instance three "
                    "unrelated words."
                )
            )
            patterns = {match["pattern"] for match in estimate["sequence"]}
            problems += [advice for pattern, advice in PATTERN_ADVICE.items() if pattern in patterns]
    return [str(problem) for problem in problems]


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@dataclass(frozen=True)
class SignIn:
    """What a password attempt gave: the person, or None; and how long to wait before trying again
    when the attempt was not even checked."""

    user: User | None
    wait_seconds: int = 0


def authenticate(
    session: Session, email: str, password: str, keys: dict[str, str], now: dt.datetime
) -> SignIn:
    """The active user with that address and password. An unknown address and a wrong password get the
    same answer after the same work; while a key of the attempt (see throttle.keys_for) imposes a wait,
    the password is not even checked. A right password clears the address's counters, never the
    second factor's."""
    now = now.astimezone(dt.UTC)  # stored in UTC: SQLite keeps no time zone
    session.commit()  # the counters' writes start a transaction of their own (SQLite: they wait their turn)
    counters = throttle.hold(session, keys, now)
    wait = throttle.wait_seconds(counters, now)
    if wait:
        return SignIn(None, wait)
    user = find_user(session, email)
    known = user is not None and user.active and bool(user.password_hash)
    if not _verify(user.password_hash if known else DUMMY_HASH, password) or not known:
        if throttle.record_failure(counters, now) and known:
            audit.record(session, user, None, "account.locked", user.email)
        return SignIn(None)
    throttle.clear(session, [name for kind, name in keys.items() if kind != "client"])
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return SignIn(user)


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def hold_user(session: Session, user: User) -> None:
    """Lock the person's row for this transaction and read it again: two code attempts at once are
    checked one after the other (the count of wrong codes and the last accepted step stay exact)."""
    session.commit()
    session.execute(update(User).where(User.id == user.id).values(failed_codes=User.failed_codes))
    session.refresh(user)


def code_wait_seconds(user: User, now: dt.datetime) -> int:
    """How long before the person may try a second-factor code again (0: now)."""
    if user.codes_blocked_until is None:
        return 0
    return max(0, int((_aware(user.codes_blocked_until) - now.astimezone(dt.UTC)).total_seconds() + 0.999))


def record_code_failure(session: Session, user: User, now: dt.datetime) -> int:
    """A wrong code: past CODE_POLICY's allowance, a growing wait (audited when it starts). The wait."""
    user.failed_codes += 1
    wait = CODE_POLICY.wait_after(user.failed_codes)
    user.codes_blocked_until = now.astimezone(dt.UTC) + dt.timedelta(seconds=wait) if wait else None
    if user.failed_codes == CODE_POLICY.free:
        audit.record(session, user, None, "account.codes_blocked", user.email)
    return wait


def record_code_success(user: User) -> None:
    user.failed_codes = 0
    user.codes_blocked_until = None


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
