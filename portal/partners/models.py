"""Partner organisations, their people and roles, and the audit log of the back-office."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.db import Base

ORGANISATION_KINDS = ("epci", "commune", "landlord", "state", "action_logement", "association", "other")
# The kinds of organisation that hold reservation rights on social dwellings (a landlord for the dwellings
# no one reserves): they bring offers, receive priority households, have allocation objectives.
RESERVATION_HOLDER_KINDS = ("landlord", "action_logement", "commune", "state", "epci")
# admin: manages the organisation's members; editor: drafts content and desks; reviewer (EPCI only):
# publishes content and grids; desk_agent: prints guides and looks demands up with the applicant;
# viewer: reads.
ROLES = ("admin", "editor", "reviewer", "desk_agent", "viewer")
SECOND_FACTOR_ROLES = ("admin", "reviewer")  # these roles must sign in with a TOTP code too


class Organisation(Base):
    """A partner of the plan; it owns desks, members and drafts."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))


class User(Base):
    """A person of a partner organisation. The password is an Argon2 hash; the TOTP secret is set once
    two-factor authentication is activated; `session_version` moves to sign the person out everywhere."""

    __tablename__ = "partner_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    totp_secret: Mapped[str] = mapped_column(String(64), default="")
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)  # a code is accepted once
    # Wrong second-factor codes in a row (only a right code resets it) and the wait they impose; wrong
    # passwords are counted apart (SignInThrottle), so a right password never clears this.
    failed_codes: Mapped[int] = mapped_column(Integer, default=0)
    codes_blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )

    def roles_in(self, organisation_id: int) -> set[str]:
        return {m.role for m in self.memberships if m.organisation_id == organisation_id}

    def has_role(self, *roles: str, organisation_id: int | None = None, epci: bool = False) -> bool:
        """The one rule of who may do what: one of these roles, in that organisation (any when None), in
        an EPCI organisation when `epci` (the authority that runs the plan). The permission decorators,
        the controllers and the templates all ask this."""
        return any(
            m.role in roles
            and (organisation_id is None or m.organisation_id == organisation_id)
            and (not epci or m.organisation.kind == "epci")
            for m in self.memberships
        )

    def organisation_with(self, *roles: str, epci: bool = False) -> Organisation | None:
        """The first organisation where the person holds one of these roles (an EPCI one when `epci`):
        the organisation a change is made for in the audit log."""
        return next(
            (
                m.organisation
                for m in self.memberships
                if m.role in roles and (not epci or m.organisation.kind == "epci")
            ),
            None,
        )

    def organisations_where(self, *roles: str) -> list[Organisation]:
        """The organisations where the person holds one of these roles, by name."""
        found = {m.organisation.id: m.organisation for m in self.memberships if m.role in roles}
        return sorted(found.values(), key=lambda organisation: organisation.name)

    @property
    def needs_second_factor(self) -> bool:
        return any(m.role in SECOND_FACTOR_ROLES for m in self.memberships)


class Membership(Base):
    """One role of a person in an organisation (a person may hold several roles, in several organisations)."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("partner_user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(12))

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()


class AuditEntry(Base):
    """Who changed what, when: written in the same transaction as the change itself."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")


class SignInThrottle(Base):
    """Failed sign-ins counted under one key (an e-mail address, an address and a client, a client): past
    a few, each new failure doubles the wait before the next attempt under that key. Keys are keyed
    hashes: neither addresses nor IP addresses are stored."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class OneTimeLink(Base):
    """An invitation or a password reset sent by e-mail: only the SHA-256 of its code is kept; it works
    once, until it expires."""

    __tablename__ = "one_time_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # invitation, reset
    user_id: Mapped[int] = mapped_column(ForeignKey("partner_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


OFFER_DAYS = 30  # a role offered and not answered lapses after this many days


class RoleInvitation(Base):
    """A role offered to a person who already has an account elsewhere: it is theirs once they accept
    (within OFFER_DAYS)."""

    __tablename__ = "role_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("partner_user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(12))
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("partner_user.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
