"""Allocation objectives (the plan's action 7, CCH L.441-1): each reservation holder's objectives for a
year, set by the EPCI, and how its allocations of that year meet them, month by month, from the
allocations file (its `holder` column names the organisation by its short name, its slug).

- Priority share: of the holder's allocations, those to DALO or other priority households (the file's
  `priority`: dalo, accord_collectif or other_priority).
- Lowest-quartile share: of its allocations outside QPV whose household's income quartile is known, those
  to households of the lowest quartile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.orm import Session

from portal.demands.models import Allocation
from portal.partners import audit
from portal.partners.models import RESERVATION_HOLDER_KINDS, Organisation, User
from portal.priority.models import Objective

audit.register({"priority.objective_set": _l("Allocation objectives set")})
LEGAL_SHARE = Decimal("0.25")  # the law's floor for both shares (a plan may set more)


@dataclass
class Month:
    """One month of a holder's allocations, and the year's running totals up to it."""

    month: int
    allocations: int = 0
    priority: int = 0
    outside_known: int = 0  # outside QPV, income quartile known
    lowest: int = 0  # … of which to the lowest quartile
    total_allocations: int = 0
    total_priority: int = 0
    total_outside_known: int = 0
    total_lowest: int = 0

    @property
    def priority_share(self) -> float | None:
        return self.total_priority / self.total_allocations if self.total_allocations else None

    @property
    def lowest_share(self) -> float | None:
        return self.total_lowest / self.total_outside_known if self.total_outside_known else None


@dataclass
class FollowUp:
    organisation: Organisation
    year: int
    objective: Objective | None
    months: list[Month]

    @property
    def year_to_date(self) -> Month:
        return self.months[-1]

    def priority_met(self) -> bool | None:
        share = self.year_to_date.priority_share
        return None if share is None or self.objective is None else share >= self.objective.priority_share

    def lowest_met(self) -> bool | None:
        share = self.year_to_date.lowest_share
        return (
            None if share is None or self.objective is None else share >= self.objective.lowest_quartile_share
        )


def set_objective(
    session: Session,
    user: User | None,
    organisation: Organisation,
    year: int,
    priority: Decimal,
    lowest: Decimal,
) -> Objective:
    if organisation.kind not in RESERVATION_HOLDER_KINDS:
        raise ValueError("objectives are set for reservation holders and landlords")
    found = session.scalar(
        select(Objective).where(Objective.organisation_id == organisation.id, Objective.year == year)
    )
    before = (
        {"priority": str(found.priority_share), "lowest": str(found.lowest_quartile_share)} if found else {}
    )
    if found is None:
        found = Objective(organisation_id=organisation.id, year=year)
        session.add(found)
    found.priority_share, found.lowest_quartile_share = priority, lowest
    session.flush()
    audit.record_change(
        session, user, organisation.id, "priority.objective_set", f"objectives {year} of {organisation.slug}",
        before, {"priority": str(priority), "lowest": str(lowest)},
    )  # fmt: skip
    return found


def _counts(session: Session, year: int, holders: list[str] | None):
    """(holder, month, allocations, priority, outside QPV known, lowest) of a year, by holder and month."""
    outside_known = and_(Allocation.in_qpv.is_(False), Allocation.lowest_quartile.is_not(None))
    month = extract("month", Allocation.allocated_on)
    query = (
        select(
            Allocation.holder,
            month,
            func.count(),
            func.sum(case((Allocation.priority != "none", 1), else_=0)),
            func.sum(case((outside_known, 1), else_=0)),
            func.sum(case((and_(outside_known, Allocation.lowest_quartile.is_(True)), 1), else_=0)),
        )
        .where(
            Allocation.allocated_on >= dt.date(year, 1, 1),
            Allocation.allocated_on <= dt.date(year, 12, 31),
            Allocation.holder != "",
        )
        .group_by(Allocation.holder, month)
    )
    if holders is not None:
        query = query.where(Allocation.holder.in_(holders))
    return session.execute(query).all()


def _months(rows, up_to: int) -> list[Month]:
    found = {
        int(month): (count, int(priority or 0), int(known or 0), int(lowest or 0))
        for month, count, priority, known, lowest in rows
    }
    months, running = [], Month(0)
    for number in range(1, up_to + 1):
        count, priority, known, lowest = found.get(number, (0, 0, 0, 0))
        running = Month(
            number, count, priority, known, lowest,
            running.total_allocations + count, running.total_priority + priority,
            running.total_outside_known + known, running.total_lowest + lowest,
        )  # fmt: skip
        months.append(running)
    return months


def _last_month(year: int, today: dt.date) -> int:
    return 12 if year < today.year else max(1, today.month)


def follow_up(session: Session, organisation: Organisation, year: int, today: dt.date) -> FollowUp:
    """One holder's year, month by month (up to this month for the current year)."""
    rows = [row[1:] for row in _counts(session, year, [organisation.slug])]
    objective = session.scalar(
        select(Objective).where(Objective.organisation_id == organisation.id, Objective.year == year)
    )
    return FollowUp(organisation, year, objective, _months(rows, _last_month(year, today)))


def follow_ups(
    session: Session, year: int, today: dt.date, organisations: list[Organisation]
) -> list[FollowUp]:
    """Every given holder's year in two queries (the observatory's and the objectives page's table)."""
    by_holder: dict[str, list] = {}
    for holder, *rest in _counts(session, year, [organisation.slug for organisation in organisations]):
        by_holder.setdefault(holder, []).append(rest)
    objectives = {
        objective.organisation_id: objective
        for objective in session.scalars(select(Objective).where(Objective.year == year))
    }
    last = _last_month(year, today)
    return [
        FollowUp(
            organisation,
            year,
            objectives.get(organisation.id),
            _months(by_holder.get(organisation.slug, []), last),
        )
        for organisation in organisations
    ]


def holders(session: Session) -> list[Organisation]:
    """The organisations objectives may be set for, by name."""
    query = (
        select(Organisation)
        .where(Organisation.kind.in_(RESERVATION_HOLDER_KINDS))
        .order_by(Organisation.name)
    )
    return list(session.scalars(query))


def holders_with_objectives(session: Session, year: int) -> list[Organisation]:
    """The organisations that have objectives for the year, by name."""
    query = (
        select(Organisation)
        .join(Objective, Objective.organisation_id == Organisation.id)
        .where(Objective.year == year)
        .order_by(Organisation.name)
    )
    return list(session.scalars(query))
