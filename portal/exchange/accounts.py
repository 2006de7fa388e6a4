"""Tenants' accounts on the exchange, apart from partners' accounts but with the same protections:
Argon2 passwords judged by the same rules, progressive delays after failed sign-ins (the partners'
counters, under keys of their own), e-mailed links kept as hashes and used once, the address verified
before anything is listed, and an optional second step (a code of an authenticator app, with a spare
code for a lost phone).

Nothing here reads the request: views pass what they got, and the time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import pyotp
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from portal.exchange.models import Listing, Tenant, TenantLink
from portal.partners import accounts as partner_accounts
from portal.partners import throttle
from portal.sessions import aware

KEPT_FOR = dt.timedelta(days=365)  # an account, after its listing closed (or unused after its creation)
LINK_LIFETIMES = {
    "verify": dt.timedelta(hours=48),  # the address's verification, sent at sign-up
    "sign_in": dt.timedelta(minutes=20),  # a one-time sign-in link, instead of the password
}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def throttle_secret(secret_key: str) -> str:
    """Tenants' failures are counted under keys of their own: a tenant and a partner sharing an address
    never slow each other down."""
    return f"{secret_key}|exchange"


def find(session: Session, email: str) -> Tenant | None:
    return session.scalar(select(Tenant).where(Tenant.email == normalize_email(email)))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def make_link(session: Session, tenant: Tenant, purpose: str, now: dt.datetime) -> str:
    """A new secret for an e-mailed link; only its hash is kept. The tenant's earlier links of the same
    purpose stop working."""
    session.execute(
        delete(TenantLink).where(TenantLink.tenant_id == tenant.id, TenantLink.purpose == purpose)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        TenantLink(
            tenant_id=tenant.id,
            purpose=purpose,
            token_hash=_hash(token),
            expires_at=_utc(now) + LINK_LIFETIMES[purpose],
        )
    )
    return token


def read_link(session: Session, purpose: str, token: str, now: dt.datetime) -> TenantLink | None:
    """The unexpired link of this secret and purpose, or None."""
    link = session.scalar(select(TenantLink).where(TenantLink.token_hash == _hash(token)))
    if link is None or link.purpose != purpose or aware(link.expires_at) <= _utc(now):
        return None
    return link


def use_link(session: Session, purpose: str, token: str, now: dt.datetime) -> Tenant | None:
    """The link's tenant, the link deleted (once only); a verification link verifies the address."""
    link = read_link(session, purpose, token, now)
    if link is None:
        return None
    tenant = session.get(Tenant, link.tenant_id)
    session.delete(link)
    if tenant.email_verified_at is None:
        tenant.email_verified_at = _utc(now)  # a sign-in link proves the address as well
    return tenant


@dataclass(frozen=True)
class SignUp:
    """A new account (with the token of its verification link), or the existing one of that address
    (the page says the same thing either way; the e-mail differs)."""

    tenant: Tenant
    token: str | None


def sign_up(session: Session, email: str, password: str, locale: str, now: dt.datetime) -> SignUp:
    existing = find(session, email)
    if existing is not None:
        return SignUp(existing, None)
    tenant = Tenant(
        email=normalize_email(email),
        password_hash=partner_accounts.hash_password(password),
        locale=locale,
        created_at=_utc(now),
    )
    session.add(tenant)
    session.flush()
    return SignUp(tenant, make_link(session, tenant, "verify", now))


@dataclass(frozen=True)
class Attempt:
    tenant: Tenant | None
    wait_seconds: int = 0


def authenticate(
    session: Session, email: str, password: str, keys: dict[str, str], now: dt.datetime
) -> Attempt:
    """The tenant with that address and password, its address verified. An unknown address, a wrong
    password and an unverified address get the same answer after the same work; while a key of the
    attempt imposes a wait, the password is not even checked."""
    now = _utc(now)
    session.commit()  # the counters' writes start a transaction of their own
    counters = throttle.hold(session, keys, now)
    wait = throttle.wait_seconds(counters, now)
    if wait:
        return Attempt(None, wait)
    tenant = find(session, email)
    known = tenant is not None and bool(tenant.password_hash)
    right = _verify(tenant.password_hash if known else partner_accounts.DUMMY_HASH, password) and known
    if not right or tenant.email_verified_at is None:
        throttle.record_failure(counters, now)
        return Attempt(None)
    throttle.clear(session, [name for kind, name in keys.items() if kind != "client"])
    if partner_accounts.HASHER.check_needs_rehash(tenant.password_hash):
        tenant.password_hash = partner_accounts.hash_password(password)
    return Attempt(tenant)


def _verify(stored: str, password: str) -> bool:
    try:
        return partner_accounts.HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def purge(session: Session, now: dt.datetime) -> None:
    """Expired links; accounts never verified within their link's lifetime; accounts KEPT_FOR after
    their listing closed (refused, withdrawn, lapsed, moved), or after their creation when they have no
    listing. Listings and swaps go with their account."""
    now = _utc(now)
    session.execute(delete(TenantLink).where(TenantLink.expires_at < now))
    stale = now - LINK_LIFETIMES["verify"]
    session.execute(delete(Tenant).where(Tenant.email_verified_at.is_(None), Tenant.created_at < stale))
    old = now - KEPT_FOR
    listed = select(Listing.tenant_id)
    closed = select(Listing.tenant_id).where(Listing.closed_at < old)
    session.execute(
        delete(Tenant).where(
            or_(Tenant.id.in_(closed), (Tenant.id.not_in(listed)) & (Tenant.created_at < old))
        )
    )


TOTP_ISSUER = "Portail du demandeur – échange de logement"


def totp_uri(tenant: Tenant, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=tenant.email, issuer_name=TOTP_ISSUER)


def code_keys(secret_key: str, tenant: Tenant) -> dict[str, str]:
    """Wrong codes are counted on the account, whatever the browser, with the delays of a password
    tried for one address from one client (three free, then doubling waits)."""
    return {"pair": f"code:{throttle.digest(throttle_secret(secret_key), 'tenant', str(tenant.id))}"}


def turn_on_second_factor(tenant: Tenant, secret: str) -> str:
    """Two-step sign-in from now on; returns the spare code (shown once, kept as its hash) that signs
    in once without the app, and turns two-step sign-in off, if the phone is lost."""
    spare = "-".join(secrets.token_hex(2).upper() for _ in range(5))
    tenant.totp_secret, tenant.totp_recovery_hash = secret, _hash(spare)
    return spare


def turn_off_second_factor(tenant: Tenant) -> None:
    tenant.totp_secret, tenant.totp_recovery_hash = "", ""


def use_spare_code(tenant: Tenant, code: str) -> bool:
    """The spare code (any case, with or without its dashes): two-step sign-in is turned off."""
    given = "-".join(re.findall(r"[0-9A-F]{4}", code.upper().replace("-", "").replace(" ", "")))
    if not tenant.totp_recovery_hash or not secrets.compare_digest(_hash(given), tenant.totp_recovery_hash):
        return False
    turn_off_second_factor(tenant)
    return True
