"""The changes to referrals and committee sessions, each written to the audit log in the same
transaction: a social worker refers a household, the committee puts it on a session's agenda and decides
(a label under one criterion, with the reservation holder it is oriented to, or no label, with reasons),
and the follow-up ends when the household is housed, the label lapses or the referral is withdrawn."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.demands.models import Allocation
from portal.demands.services import NUMBER, normalize_number
from portal.partners import audit
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation, User
from portal.priority.models import CRITERIA, LABEL_MONTHS, OPEN_STATES, CommitteeSession, Referral

audit.register(
    {
        "priority.referred": _l("Household referred to the priority committee"),
        "priority.session_created": _l("Priority committee session planned"),
        "priority.put_on_agenda": _l("Referral put on a committee session's agenda"),
        "priority.decided": _l("Priority committee decision recorded"),
        "priority.closed": _l("Priority follow-up ended"),
    }
)


class Refused(ValueError):
    """A change the rules refuse; `code` says why (the workspace translates it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _target(referral: Referral) -> str:
    return f"priority referral {referral.id}"


def open_referral(session: Session, number: str) -> Referral | None:
    return session.scalar(
        select(Referral).where(Referral.demand_number == number, Referral.state.in_(OPEN_STATES))
    )


def refer(session: Session, user: User, organisation_id: int, values: dict, today: dt.date) -> Referral:
    """A household referred to the committee by its demand's number and its situation (criteria)."""
    number = normalize_number(values["demand_number"])
    if not NUMBER.match(number):
        raise Refused("number")
    if not values["criteria"] or any(code not in CRITERIA for code in values["criteria"]):
        raise Refused("criteria")
    if open_referral(session, number) is not None:
        raise Refused("already_open")
    referral = Referral(
        demand_number=number,
        criteria=list(values["criteria"]),
        comment=values.get("comment", ""),
        referred_by_id=user.id,
        organisation_id=organisation_id,
        support_organisation=values["support_organisation"],
        referred_on=today,
    )
    session.add(referral)
    session.flush()
    audit.record(
        session,
        user,
        organisation_id,
        "priority.referred",
        _target(referral),
        after={"criteria": referral.criteria},
    )
    return referral


def create_session(session: Session, user: User, held_on: dt.date, place: str) -> CommitteeSession:
    committee = CommitteeSession(held_on=held_on, place=place)
    session.add(committee)
    session.flush()
    audit.record(
        session,
        user,
        None,
        "priority.session_created",
        f"priority session {committee.id}",
        after={"held_on": str(held_on)},
    )
    return committee


def put_on_agenda(
    session: Session, user: User, referral: Referral, committee: CommitteeSession, today: dt.date
) -> None:
    if referral.state not in ("submitted", "on_agenda"):
        raise Refused("decided")
    if committee.held_on < today:
        raise Refused("past_session")
    referral.state, referral.session_id = "on_agenda", committee.id
    audit.record(
        session,
        user,
        referral.organisation_id,
        "priority.put_on_agenda",
        _target(referral),
        after={"session": committee.id},
    )


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def decide(
    session: Session,
    user: User,
    referral: Referral,
    labelled: bool,
    criterion: str,
    reasons: str,
    holder_id: int | None,
    on: dt.date,
) -> None:
    """The committee's decision on a referral on its agenda: a label under one criterion, for LABEL_MONTHS,
    oriented to a reservation holder; or no label, with the reasons (always given)."""
    if referral.state != "on_agenda":
        raise Refused("not_on_agenda")
    if not reasons.strip():
        raise Refused("reasons")
    if labelled:
        if criterion not in CRITERIA:
            raise Refused("criteria")
        holder = session.get(Organisation, holder_id) if holder_id else None
        if holder is None or holder.kind not in RESERVATION_HOLDER_KINDS:
            raise Refused("holder")
    referral.state = "labelled" if labelled else "not_labelled"
    referral.criterion = criterion if labelled else ""
    referral.holder_id = holder_id if labelled else None
    referral.reasons = reasons.strip()
    referral.decided_on = on
    referral.label_ends_on = _months_later(on, LABEL_MONTHS) if labelled else None
    audit.record(
        session, user, referral.organisation_id, "priority.decided", _target(referral),
        after={"state": referral.state, "criterion": referral.criterion, "holder": holder_id},
    )  # fmt: skip


def close(session: Session, user: User | None, referral: Referral, reason: str, on: dt.date) -> None:
    """End the follow-up: housed, lapsed label, withdrawn, or a situation that changed."""
    if referral.state not in OPEN_STATES:
        raise Refused("closed")
    referral.state = "housed" if reason == "housed" else "ended"
    referral.close_reason, referral.closed_on = reason, on
    audit.record(
        session,
        user,
        referral.organisation_id,
        "priority.closed",
        _target(referral),
        after={"reason": reason},
    )


def follow_up(session: Session, today: dt.date) -> tuple[int, int]:
    """The nightly follow-up: labelled households whose demand the allocations file shows housed are
    housed; labels past their end lapse. (housed, lapsed)."""
    housed = 0
    allocated = select(Allocation.demand_number, Allocation.allocated_on)
    labelled = session.scalars(select(Referral).where(Referral.state.in_(OPEN_STATES))).all()
    numbers = {referral.demand_number for referral in labelled}
    days = (
        dict(session.execute(allocated.where(Allocation.demand_number.in_(numbers))).all()) if numbers else {}
    )
    for referral in labelled:
        day = days.get(referral.demand_number)
        if day is not None and day >= referral.referred_on:
            close(session, None, referral, "housed", day)
            housed += 1
    lapsed = session.execute(
        update(Referral)
        .where(Referral.state == "labelled", Referral.label_ends_on < today)
        .values(state="ended", close_reason="lapsed", closed_on=today)
        .execution_options(synchronize_session=False)
    ).rowcount
    return housed, lapsed


RETENTION = dt.timedelta(days=365)  # a referral is deleted a year after it ended, as the privacy page says


def purge(session: Session, today: dt.date) -> int:
    """Delete the referrals whose follow-up ended (housed, lapsed, withdrawn) or that were not labelled,
    a year ago or more; how many. The audit log keeps who did what, never the situation."""
    cutoff = today - RETENTION
    ended = (Referral.state.in_(("housed", "ended"))) & (Referral.closed_on < cutoff)
    refused = (Referral.state == "not_labelled") & (Referral.decided_on < cutoff)
    return session.execute(delete(Referral).where(ended | refused)).rowcount


def active_labels(session: Session, numbers: list[str], today: dt.date) -> dict[str, Referral]:
    """The demands (by number) that hold a priority label today."""
    if not numbers:
        return {}
    query = select(Referral).where(
        Referral.demand_number.in_(numbers), Referral.state == "labelled", Referral.label_ends_on >= today
    )
    return {referral.demand_number: referral for referral in session.scalars(query)}
