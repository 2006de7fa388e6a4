"""Who sees and does what with priority households, the one place these rules are written.

- The committee (the EPCI's administrators, editors and reviewers, and the State's administrators and
  editors) plans sessions, reads every referral and decides.
- A social worker (an administrator, editor or desk agent of an association, a commune (its social
  service) or another organisation, such as the SIAO) refers households and sees only the referrals they
  made themselves, with their progress.
- A reservation holder (administrators and editors of a landlord, Action Logement, a commune, the State)
  sees the labelled households oriented to it: the demand's number, the criterion, the label's dates;
  never the worker's comment or the committee's reasons.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.partners.models import RESERVATION_HOLDER_KINDS, User
from portal.priority.models import Referral

COMMITTEE_ROLES = ("admin", "editor", "reviewer")
WORKER_KINDS = ("association", "commune", "other")
WORKER_ROLES = ("admin", "editor", "desk_agent")
HOLDER_ROLES = ("admin", "editor")


def on_committee(user: User) -> bool:
    return user.has_role(*COMMITTEE_ROLES, epci=True) or any(
        m.role in ("admin", "editor") and m.organisation.kind == "state" for m in user.memberships
    )


def referring_organisations(user: User) -> list:
    """The organisations a person refers households for (by name)."""
    found = {
        m.organisation.id: m.organisation
        for m in user.memberships
        if m.role in WORKER_ROLES and m.organisation.kind in WORKER_KINDS
    }
    return sorted(found.values(), key=lambda organisation: organisation.name)


def held_organisations(user: User) -> set[int]:
    """The reservation holders a person acts for."""
    return {
        m.organisation_id
        for m in user.memberships
        if m.role in HOLDER_ROLES and m.organisation.kind in RESERVATION_HOLDER_KINDS
    }


def takes_part(user: User) -> bool:
    return on_committee(user) or bool(referring_organisations(user)) or bool(held_organisations(user))


def visible(user: User):
    """The condition on Referral rows the person sees (None: every one, for the committee)."""
    if on_committee(user):
        return None
    return or_(
        Referral.referred_by_id == user.id,
        Referral.holder_id.in_(held_organisations(user)) & (Referral.state.in_(("labelled", "housed"))),
    )


def sees(session: Session, user: User, referral: Referral) -> bool:
    condition = visible(user)
    if condition is None:
        return True
    return session.scalar(select(Referral.id).where(Referral.id == referral.id, condition)) is not None


def sees_details(user: User, referral: Referral) -> bool:
    """The worker's comment and the committee's reasons: the committee and the referring worker only."""
    return on_committee(user) or referral.referred_by_id == user.id
