"""Scoring stored demands with the grid in force (used by the demo data, the import and the recompute)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portal.cotation.engine import Facts, Score, score, with_derived_facts
from portal.cotation.grids import GridFile, grid_in_force
from portal.demands.models import Demand


def demand_facts(demand: Demand) -> Facts:
    """The stored facts, with ISO dates turned back into dates."""
    values = {}
    for name, value in (demand.facts or {}).items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            value = dt.date.fromisoformat(value)
        values[name] = value
    values["filed_on"] = demand.filed_on  # seniority runs from the first filing, renewals keep it
    return Facts(values, frozenset(demand.checked or ()))


def store_score(demand: Demand, result: Score) -> None:
    demand.score_total = result.total
    demand.score_lines = [
        {
            "code": line.code,
            "points": line.points,
            "counted": line.counted,
            "quantity": line.quantity,
            "checked": line.checked,
        }
        for line in result.lines
    ]
    demand.grid_code, demand.grid_version, demand.scored_on = (
        result.grid_code,
        result.grid_version,
        result.on_date,
    )


def rescore(demand: Demand, grids: list[GridFile], today: dt.date, abnormal_delay_months: int) -> bool:
    """Score the demand with the grid of its kind in force today; True when something changed."""
    grid_file = grid_in_force(grids, "mutation" if demand.mutation else "general", today)
    if grid_file is None:
        return False
    result = score(
        with_derived_facts(demand_facts(demand), today, abnormal_delay_months), grid_file.grid, today
    )
    before = (demand.score_total, demand.score_lines, demand.grid_version)
    store_score(demand, result)
    return before != (demand.score_total, demand.score_lines, demand.grid_version)


def recompute(
    sessions, grids: list[GridFile], today: dt.date, abnormal_delay_months: int, batch: int = 1000
) -> tuple[int, int]:
    """Rescore every active demand, one transaction per batch; returns (scored, changed). Idempotent."""
    scored = changed = 0
    last_id = 0
    while True:
        with sessions.begin() as session:
            demands = session.scalars(
                select(Demand)
                .where(Demand.status == "active", Demand.id > last_id)
                .order_by(Demand.id)
                .limit(batch)
            ).all()
            if not demands:
                return scored, changed
            for demand in demands:
                changed += rescore(demand, grids, today, abnormal_delay_months)
            scored += len(demands)
            last_id = demands[-1].id
