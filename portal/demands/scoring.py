"""Scoring stored demands with the grid in force (used by the demo data, the import and the recompute)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, select, text

from portal.cotation.engine import Facts, Score, score, with_derived_facts
from portal.cotation.grids import GridFile, grid_in_force
from portal.demands.models import Demand


def demand_facts(demand: Demand) -> Facts:
    """The stored facts, with ISO dates turned back into dates; seniority runs from the first filing."""
    return _facts(demand.filed_on, demand.facts, demand.checked)


def store_score(demand: Demand, result: Score) -> None:
    for name, value in score_columns(result).items():
        setattr(demand, name, value)


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


def _facts(filed_on: dt.date, stored: dict, checked: list) -> Facts:
    """Facts from their stored form (ISO text for dates); renewals keep the first filing date."""
    values = {}
    for name, value in (stored or {}).items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            value = dt.date.fromisoformat(value)
        values[name] = value
    values["filed_on"] = filed_on
    return Facts(values, frozenset(checked or ()))


def score_columns(result: Score) -> dict:
    """The stored form of a score."""
    return {
        "score_total": result.total,
        "score_lines": [
            {
                "code": line.code,
                "points": line.points,
                "counted": line.counted,
                "quantity": line.quantity,
                "checked": line.checked,
            }
            for line in result.lines
        ],
        "grid_code": result.grid_code,
        "grid_version": result.grid_version,
        "scored_on": result.on_date,
    }


def _update_statement():
    table = Demand.__table__
    return (
        table.update()
        .where(table.c.id == bindparam("demand_id"))
        .values(
            score_total=bindparam("score_total"),
            score_lines=bindparam("score_lines"),
            grid_code=bindparam("grid_code"),
            grid_version=bindparam("grid_version"),
            scored_on=bindparam("scored_on"),
        )
    )


def recompute_batch(
    connection,
    grids: list[GridFile],
    today: dt.date,
    abnormal_delay_months: int,
    after_id: int = 0,
    batch: int = 5000,
) -> tuple[int, int, int]:
    """Rescore up to `batch` active demands whose id follows `after_id`: (read, changed, last id read).

    Reads and writes the columns themselves (not ORM objects): this runs over every demand of the territory.
    """
    table = Demand.__table__
    kinds = {kind: grid_in_force(grids, kind, today) for kind in ("general", "mutation")}
    rows = connection.execute(
        select(
            table.c.id,
            table.c.mutation,
            table.c.filed_on,
            table.c.facts,
            table.c.checked,
            table.c.score_total,
            table.c.score_lines,
            table.c.grid_version,
            table.c.scored_on,
        )
        .where(table.c.status == "active", table.c.id > after_id)
        .order_by(table.c.id)
        .limit(batch)
    ).all()
    updates = []
    for row in rows:
        grid_file = kinds["mutation" if row.mutation else "general"]
        if grid_file is None:
            continue
        facts = with_derived_facts(_facts(row.filed_on, row.facts, row.checked), today, abnormal_delay_months)
        columns = score_columns(score(facts, grid_file.grid, today))
        stored = (row.score_total, row.score_lines, row.grid_version, row.scored_on)
        if (
            columns["score_total"],
            columns["score_lines"],
            columns["grid_version"],
            columns["scored_on"],
        ) != stored:
            updates.append({"demand_id": row.id, **columns})
    if updates:
        connection.execute(_update_statement(), updates)
    return len(rows), len(updates), rows[-1].id if rows else after_id


def recompute(
    sessions, grids: list[GridFile], today: dt.date, abnormal_delay_months: int, batch: int = 5000
) -> tuple[int, int]:
    """Rescore every active demand, one transaction per batch; returns (scored, changed). Idempotent."""
    scored = changed = last_id = 0
    while True:
        with sessions.begin() as session:
            read, updated, last_id = recompute_batch(
                session.connection(), grids, today, abnormal_delay_months, last_id, batch
            )
        if not read:
            if changed:
                tidy(sessions.kw["bind"])
            return scored, changed
        scored, changed = scored + read, changed + updated


def tidy(engine) -> None:
    """After bulk writes on PostgreSQL: VACUUM ANALYZE, so that the position's index-only scans and
    the planner's estimates are right at once rather than when autovacuum comes by."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("demand", "demand_event"):
            connection.execute(text(f"VACUUM ANALYZE {table}"))
