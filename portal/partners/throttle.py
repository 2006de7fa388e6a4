"""Progressive delays after failed sign-ins, instead of locking an account.

A hard lock on the e-mail address alone let anyone who knows a partner's address lock them out forever,
five wrong passwords at a time. Failures are counted under three keys instead, each with its own
allowance: the address typed from this client, the address typed from anywhere (not counted for a
device the person signed in from before: see `device_key`), and this client whatever the address.
Past the allowance, each failure doubles the wait before the next attempt under that key (2 s, 4 s, 8 s…
at most 15 minutes). Keys are keyed hashes (HMAC with the secret key): no address, e-mail or IP address
is stored. A password reset by e-mail clears the address's keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal import clock, db
from portal.jobs import periodic
from portal.partners.models import SignInThrottle


@dataclass(frozen=True)
class Policy:
    free: int  # failures allowed before any wait
    base_seconds: int  # the first wait, doubled at each further failure
    cap_seconds: int = 15 * 60

    def wait_after(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return min(self.base_seconds * 2 ** min(failures - self.free, 20), self.cap_seconds)


POLICIES = {
    "pair": Policy(free=3, base_seconds=2),  # this address from this client
    "email": Policy(free=10, base_seconds=2),  # this address from any client but the person's devices
    # this client, whatever the address: an office or a carrier puts many people behind one address
    "client": Policy(free=30, base_seconds=1),
}


def digest(secret: str, kind: str, value: str) -> str:
    return hmac.new(secret.encode(), f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()[:32]


def keys_for(secret: str, email: str, client: str, known_device: bool) -> dict[str, str]:
    """The keys an attempt is counted under: {kind: key}. A pair's key starts with its address's, so a
    reset can clear the address from every client."""
    address = digest(secret, "email", email.strip().lower())
    keys = {
        "pair": f"pair:{address}:{digest(secret, 'client', client)}",
        "client": f"client:{digest(secret, 'client', client)}",
    }
    if not known_device:
        keys["email"] = f"email:{address}"
    return keys


def clear_address(session: Session, secret: str, email: str) -> None:
    """A password reset by e-mail: the address may be tried again at once, from anywhere."""
    address = digest(secret, "email", email.strip().lower())
    session.execute(
        delete(SignInThrottle).where(
            or_(SignInThrottle.key == f"email:{address}", SignInThrottle.key.startswith(f"pair:{address}:"))
        )
    )


def device_key(secret: str, email: str) -> str:
    """What the device cookie of a successful sign-in holds: a device that knows it is not slowed down by
    failures made elsewhere under the person's address (someone guessing their password)."""
    return digest(secret, "device", email.strip().lower())


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def upsert(session: Session):
    """The backend's INSERT … ON CONFLICT construct (SQLite and PostgreSQL both have one)."""
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def hold(session: Session, keys: dict[str, str], now: dt.datetime) -> dict[str, SignInThrottle]:
    """The counters of these keys, made if missing and held until the transaction ends: a write on each
    row (an upsert) locks it, so concurrent attempts under one key are checked and counted one after the
    other, never all checked before any is counted. The caller commits."""
    now = now.astimezone(dt.UTC)
    insert = upsert(session)
    for name in keys.values():
        session.execute(
            insert(SignInThrottle)
            .values(key=name, failures=0, updated_at=now)
            .on_conflict_do_update(index_elements=["key"], set_={"failures": SignInThrottle.failures})
        )
    rows = session.scalars(
        select(SignInThrottle)
        .where(SignInThrottle.key.in_(keys.values()))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    by_key = {row.key: row for row in rows}
    return {kind: by_key[name] for kind, name in keys.items()}


def wait_seconds(rows: dict[str, SignInThrottle], now: dt.datetime) -> int:
    """How long before the next attempt under these (held) counters may be tried (0: now)."""
    waits = [
        (_aware(row.blocked_until) - now).total_seconds()
        for row in rows.values()
        if row.blocked_until is not None and _aware(row.blocked_until) > now
    ]
    return int(max(waits, default=0) + 0.999)


def record_failure(rows: dict[str, SignInThrottle], now: dt.datetime) -> bool:
    """Count one failure on each held counter; True when the address's own key starts a wait (to audit)."""
    now = now.astimezone(dt.UTC)
    started = False
    for kind, row in rows.items():
        row.failures += 1
        row.updated_at = now
        wait = POLICIES[kind].wait_after(row.failures)
        row.blocked_until = now + dt.timedelta(seconds=wait) if wait else None
        started = started or (kind in ("email", "pair") and row.failures == POLICIES[kind].free)
    return started


def clear(session: Session, names: list[str]) -> None:
    session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(names)))


FORGET_AFTER = dt.timedelta(hours=1)


@periodic(minute="*/10")
def forget_old() -> None:
    """Counters without a failure for an hour start again from zero (their waits ended long before)."""
    dbs = db.session()
    cutoff = clock.now().astimezone(dt.UTC) - FORGET_AFTER
    dbs.execute(delete(SignInThrottle).where(SignInThrottle.updated_at < cutoff))
    dbs.commit()
