"""The changes to operations, commitments and households, each written to the audit log in the same
transaction. The offers and what households answer are in `offers.py`."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.partners import audit
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation, User
from portal.rehousing.models import HOUSEHOLD_FIELDS, Commitment, Household, Operation, Proposal

audit.register(
    {
        "rehousing.operation_created": _l("Urban-renewal operation created"),
        "rehousing.operation_changed": _l("Urban-renewal operation changed"),
        "rehousing.operation_closed": _l("Urban-renewal operation closed"),
        "rehousing.commitment_set": _l("Rehousing commitment set"),
        "rehousing.household_added": _l("Household to rehouse added"),
        "rehousing.household_changed": _l("Household to rehouse changed"),
        "rehousing.households_imported": _l("File of households to rehouse imported"),
        "rehousing.household_proposed": _l("Household to rehouse proposed to a partner"),
    }
)

OPERATION_FIELDS = (
    "name",
    "neighbourhood",
    "qpv_code",
    "commune_insee",
    "landlord_id",
    "buildings",
    "dwellings",
    "announced_on",
    "rehousing_starts_on",
    "demolition_on",
)


class Refused(ValueError):
    """A change the rules refuse; `code` says why (the workspace translates it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def snapshot(thing, fields: tuple[str, ...]) -> dict:
    """The fields of a record as the audit log keeps them (dates and amounts as text)."""
    values = {}
    for name in fields:
        value = getattr(thing, name)
        values[name] = value if isinstance(value, int | bool | str | list) or value is None else str(value)
    return values


def _target(operation: Operation) -> str:
    return f"rehousing operation {operation.id}"


def household_target(household: Household) -> str:
    return f"rehousing operation {household.operation_id}, household {household.reference}"


def create_operation(session: Session, user: User | None, values: dict) -> Operation:
    landlord = session.get(Organisation, values["landlord_id"])
    if landlord is None or landlord.kind != "landlord":
        raise Refused("landlord")
    operation = Operation(**{name: values[name] for name in OPERATION_FIELDS})
    session.add(operation)
    session.flush()
    audit.record(
        session, user, operation.landlord_id, "rehousing.operation_created", _target(operation),
        after=snapshot(operation, OPERATION_FIELDS),
    )  # fmt: skip
    return operation


def update_operation(session: Session, user: User | None, operation: Operation, values: dict) -> None:
    before = snapshot(operation, OPERATION_FIELDS)
    for name in OPERATION_FIELDS:
        if name != "landlord_id":  # an operation stays its landlord's
            setattr(operation, name, values[name])
    audit.record_change(
        session, user, operation.landlord_id, "rehousing.operation_changed", _target(operation),
        before, snapshot(operation, OPERATION_FIELDS),
    )  # fmt: skip


def close_operation(session: Session, user: User | None, operation: Operation, on: dt.date | None) -> None:
    """Close the follow-up (None opens it again); the households are deleted a set time after."""
    before = operation.closed_on
    operation.closed_on = on
    audit.record(
        session, user, operation.landlord_id, "rehousing.operation_closed", _target(operation),
        before={"closed_on": str(before) if before else None}, after={"closed_on": str(on) if on else None},
    )  # fmt: skip


def set_commitment(
    session: Session,
    user: User | None,
    operation: Operation,
    organisation_id: int,
    dwelling_type: str,
    offers: int,
) -> None:
    """How many offers of this type the partner brings (0 takes the commitment away)."""
    partner = session.get(Organisation, organisation_id)
    if partner is None or partner.kind not in RESERVATION_HOLDER_KINDS:
        raise Refused("partner")
    found = session.scalar(
        select(Commitment).where(
            Commitment.operation_id == operation.id,
            Commitment.organisation_id == organisation_id,
            Commitment.dwelling_type == dwelling_type,
        )
    )
    before = found.offers if found is not None else 0
    if offers == 0 and found is not None:
        operation.commitments.remove(found)
    elif offers > 0 and found is not None:
        found.offers = offers
    elif offers > 0:
        operation.commitments.append(
            Commitment(organisation_id=organisation_id, dwelling_type=dwelling_type, offers=offers)
        )
    audit.record_change(
        session, user, operation.landlord_id, "rehousing.commitment_set", _target(operation),
        {"partner": partner.name, "type": dwelling_type, "offers": before},
        {"partner": partner.name, "type": dwelling_type, "offers": offers},
    )  # fmt: skip


def _reference_taken(session: Session, operation_id: int, reference: str, but: int | None = None) -> bool:
    query = select(Household.id).where(
        Household.operation_id == operation_id, Household.reference == reference
    )
    if but is not None:
        query = query.where(Household.id != but)
    return session.scalar(query) is not None


def add_household(session: Session, user: User | None, operation: Operation, values: dict) -> Household:
    if _reference_taken(session, operation.id, values["reference"]):
        raise Refused("reference_taken")
    household = Household(operation_id=operation.id, **{name: values[name] for name in HOUSEHOLD_FIELDS})
    session.add(household)
    session.flush()
    audit.record(
        session, user, operation.landlord_id, "rehousing.household_added", household_target(household),
        after=snapshot(household, HOUSEHOLD_FIELDS),
    )  # fmt: skip
    return household


def update_household(session: Session, user: User | None, household: Household, values: dict) -> None:
    if _reference_taken(session, household.operation_id, values["reference"], but=household.id):
        raise Refused("reference_taken")
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name in HOUSEHOLD_FIELDS:
        setattr(household, name, values[name])
    landlord_id = session.get(Operation, household.operation_id).landlord_id
    audit.record_change(
        session, user, landlord_id, "rehousing.household_changed", household_target(household),
        before, snapshot(household, HOUSEHOLD_FIELDS),
    )  # fmt: skip


def import_households(
    session: Session, user: User | None, operation: Operation, rows: list[dict]
) -> tuple[int, int]:
    """Add the file's new households and update the ones whose reference is known (a checked file: see
    households.read). (added, updated); one audit entry for the file."""
    known = {
        household.reference.casefold(): household
        for household in session.scalars(select(Household).where(Household.operation_id == operation.id))
    }
    added = updated = 0
    for values in rows:
        household = known.get(values["reference"].casefold())
        if household is None:
            session.add(
                Household(operation_id=operation.id, **{name: values[name] for name in HOUSEHOLD_FIELDS})
            )
            added += 1
        else:
            for name in HOUSEHOLD_FIELDS:
                if name != "reference":
                    setattr(household, name, values[name])
            updated += 1
    session.flush()
    audit.record(
        session, user, operation.landlord_id, "rehousing.households_imported", _target(operation),
        after={"added": added, "updated": updated},
    )  # fmt: skip
    return added, updated


def propose(
    session: Session, user: User | None, household: Household, organisation_id: int, on: dt.date
) -> bool:
    """Put a household forward to a partner (it then sees the household); False when it already was."""
    partner = session.get(Organisation, organisation_id)
    if partner is None:
        raise Refused("partner")
    exists = session.scalar(
        select(Proposal.id).where(
            Proposal.household_id == household.id, Proposal.organisation_id == organisation_id
        )
    )
    if exists is not None:
        return False
    session.add(
        Proposal(
            household_id=household.id,
            organisation_id=organisation_id,
            operation_id=household.operation_id,
            proposed_on=on,
        )
    )
    landlord_id = session.get(Operation, household.operation_id).landlord_id
    audit.record(
        session, user, landlord_id, "rehousing.household_proposed", household_target(household),
        after={"partner": partner.name},
    )  # fmt: skip
    return True
