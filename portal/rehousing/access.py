"""Who sees and changes what of the rehousing follow-up, the one place these rules are written.

- The EPCI's administrators and editors see and change every operation.
- The operation's landlord (its administrators and editors) sees and changes its own operations.
- A partner (a landlord or a reservation holder, its administrators and editors) with a commitment in an
  operation, or a household proposed to it, sees that operation's figures and the households proposed to
  it (or that it made an offer to), and records its own offers and their outcome.
Anybody else sees nothing of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.partners.models import User
from portal.rehousing.models import Commitment, Household, Offer, Operation, Proposal

ROLES = ("admin", "editor")


@dataclass(frozen=True)
class Access:
    """What a person may do on one operation: `manage` it all, or act as these partner organisations."""

    manage: bool
    partners: frozenset[int]  # the person's organisations taking part (empty for a manager alone)

    @property
    def reads(self) -> bool:
        return self.manage or bool(self.partners)


def organisations_of(user: User) -> set[int]:
    return {m.organisation_id for m in user.memberships if m.role in ROLES}


def sees_everything(user: User) -> bool:
    return user.has_role(*ROLES, epci=True)


def may_create(user: User) -> bool:
    """The EPCI's people, and a landlord's (for its own buildings)."""
    return sees_everything(user) or any(
        m.role in ROLES and m.organisation.kind == "landlord" for m in user.memberships
    )


def taking_part(session: Session, operation_id: int, organisations: set[int]) -> frozenset[int]:
    """Which of these organisations take part in the operation: a commitment, a proposal or an offer."""
    if not organisations:
        return frozenset()
    found = set(
        session.scalars(
            select(Commitment.organisation_id).where(
                Commitment.operation_id == operation_id, Commitment.organisation_id.in_(organisations)
            )
        )
    )
    found |= set(
        session.scalars(
            select(Proposal.organisation_id).where(
                Proposal.operation_id == operation_id, Proposal.organisation_id.in_(organisations)
            )
        )
    )
    found |= set(
        session.scalars(
            select(Offer.brought_by_id).where(
                Offer.operation_id == operation_id, Offer.brought_by_id.in_(organisations)
            )
        )
    )
    return frozenset(found)


def access(session: Session, user: User, operation: Operation) -> Access:
    organisations = organisations_of(user)
    manage = sees_everything(user) or operation.landlord_id in organisations
    return Access(manage, taking_part(session, operation.id, organisations - {operation.landlord_id}))


def visible_operations(session: Session, user: User) -> list[Operation]:
    """The operations a person sees, the open ones first, then by name."""
    query = select(Operation).order_by(Operation.closed_on.is_not(None), Operation.name, Operation.id)
    if not sees_everything(user):
        mine = organisations_of(user)
        if not mine:
            return []
        query = query.where(
            or_(
                Operation.landlord_id.in_(mine),
                Operation.id.in_(select(Commitment.operation_id).where(Commitment.organisation_id.in_(mine))),
                Operation.id.in_(select(Proposal.operation_id).where(Proposal.organisation_id.in_(mine))),
                Operation.id.in_(select(Offer.operation_id).where(Offer.brought_by_id.in_(mine))),
            )
        )
    return list(session.scalars(query))


def household_filter(rights: Access):
    """The condition on Household rows a partner sees (None: all of the operation's, for a manager)."""
    if rights.manage:
        return None
    partners = list(rights.partners)
    return or_(
        Household.id.in_(select(Proposal.household_id).where(Proposal.organisation_id.in_(partners))),
        Household.id.in_(select(Offer.household_id).where(Offer.brought_by_id.in_(partners))),
    )


def sees_household(session: Session, rights: Access, household: Household) -> bool:
    condition = household_filter(rights)
    if condition is None:
        return rights.manage
    return session.scalar(select(Household.id).where(Household.id == household.id, condition)) is not None
