"""Scoring stored demands with the grid in force (the demo data, imports, activations, every night), and
the versions whose day has come."""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import orjson
from sqlalchemy import JSON, Engine, Text, bindparam, cast, exists, func, select, text
from sqlalchemy.orm import Session

from portal import clock, db
from portal.cotation import operations as grid_operations
from portal.cotation.engine import EVENT_KINDS, Event, Facts, Score, score
from portal.cotation.grids import GridFile, grid_in_force
from portal.cotation.services import stored_grids
from portal.demands.models import Demand, DemandEvent
from portal.demands.services import forget_histograms
from portal.information.services import scoring_ceilings
from portal.partners import audit
from portal.revision import bump_revision


def demand_facts(demand: Demand) -> Facts:
    """The stored facts, with ISO dates turned back into dates; seniority runs from the first filing."""
    return stored_facts(
        (demand.filed_on, demand.household_size, demand.dwelling_type, demand.first_commune_insee),
        (demand.other_communes, demand.mutation),
        demand.facts,
        demand.checked,
        tuple(
            Event(e.kind, e.occurred_on, bool(e.legitimate)) for e in demand.events if e.kind in EVENT_KINDS
        ),
    )


def store_score(demand: Demand, result: Score) -> None:
    for name, value in score_columns(result).items():
        setattr(demand, name, value)


def rescore(demand: Demand, grids: list[GridFile], today: dt.date, ceilings: tuple | None) -> bool:
    """Score the demand with the grid of its kind in force today; True when something changed."""
    grid_file = grid_in_force(grids, "mutation" if demand.mutation else "general", today)
    if grid_file is None:
        return False
    result = score(demand_facts(demand), grid_file.grid, today, ceilings)
    before = (demand.score_total, demand.score_lines, demand.grid_version)
    store_score(demand, result)
    return before != (demand.score_total, demand.score_lines, demand.grid_version)


def stored_facts(columns: tuple, wishes: tuple, stored: dict, checked: list, events: tuple = ()) -> Facts:
    """Facts from their stored form (ISO text for dates), with the demand's own: columns are (filed_on,
    household_size, dwelling_type, first commune), wishes (other communes, mutation); renewals keep the
    first filing date."""
    values = {}
    for name, value in (stored or {}).items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            value = dt.date.fromisoformat(value)
        values[name] = value
    filed_on, size, dwelling, first = columns
    others, mutation = wishes
    values.update(
        filed_on=filed_on,
        household_size=size,
        dwelling_type=dwelling,
        first_commune=first,
        communes=(first, *(others or "").split()),
        mutation=bool(mutation),
    )
    return Facts(values, frozenset(checked or ()), events)


def score_columns(result: Score) -> dict:
    """The stored form of a score; a demand the grid does not score has no total and one line that
    names the exclusion."""
    lines = [
        {
            "code": line.code,
            "points": line.points,
            "counted": line.counted,
            "quantity": line.quantity,
            "checked": line.checked,
            **({"until": line.until.isoformat()} if line.until else {}),
        }
        for line in result.lines
    ]
    if result.excluded:
        lines = [{"code": result.excluded, "excluded": True, "points": 0, "counted": False}]
    return {
        "score_total": None if result.excluded else result.total,
        "score_lines": lines,
        "grid_code": result.grid_code,
        "grid_version": result.grid_version,
        "scored_on": result.on_date,
    }


def _update_statement(dialect: str):
    """Writes one score; the lines come as JSON text already (encoded where they were computed)."""
    table = Demand.__table__
    lines = bindparam("score_lines", type_=Text)
    return (
        table.update()
        .where(table.c.id == bindparam("demand_id"))
        .values(
            score_total=bindparam("score_total"),
            # PostgreSQL wants json, not text; SQLite stores JSON as text (and CAST AS JSON would not).
            score_lines=cast(lines, JSON) if dialect == "postgresql" else lines,
            grid_code=bindparam("grid_code"),
            grid_version=bindparam("grid_version"),
            scored_on=bindparam("scored_on"),
        )
    )


def _read_batch(connection, after_id: int, batch: int) -> list[tuple]:
    """The `batch` demands whose id follows `after_id`, with what scoring them needs, as plain tuples;
    facts as JSON text, decoded by whoever scores them."""
    table = Demand.__table__
    return [
        tuple(row)
        for row in connection.execute(
            select(
                table.c.id,
                table.c.status,
                table.c.mutation,
                table.c.filed_on,
                table.c.household_size,
                table.c.dwelling_type,
                table.c.first_commune_insee,
                table.c.other_communes,
                cast(table.c.facts, Text),
                cast(table.c.checked, Text),
                table.c.score_total,
                table.c.grid_code,
                table.c.grid_version,
                table.c.scored_on,
            )
            # By primary key only: a condition on status would lead the planner to the queue index
            # (status first) and a sort of every active demand for each batch.
            .where(table.c.id > after_id)
            .order_by(table.c.id)
            .limit(batch)
        )
    ]


def read_events(connection, rows: list[tuple], kinds: dict) -> dict[int, tuple[Event, ...]]:
    """The events the grids in force count, of the demands of a batch (none when no grid counts any)."""
    counted = {
        criterion.fact
        for grid_file in kinds.values()
        if grid_file is not None
        for criterion in grid_file.grid.criteria
        if criterion.kind == "events"
    }
    if not rows or not counted:
        return {}
    table = DemandEvent.__table__
    found: dict[int, list[Event]] = {}
    for demand_id, kind, occurred_on, legitimate in connection.execute(
        select(table.c.demand_id, table.c.kind, table.c.occurred_on, table.c.legitimate).where(
            table.c.demand_id.between(rows[0][0], rows[-1][0]), table.c.kind.in_(sorted(counted))
        )
    ):
        found.setdefault(demand_id, []).append(Event(kind, occurred_on, bool(legitimate)))
    return {demand_id: tuple(events) for demand_id, events in found.items()}


def _score_rows(
    rows: list[tuple], kinds: dict, today: dt.date, ceilings: tuple | None, events: dict
) -> tuple[int, list[dict]]:
    """(active demands scored, the updates of those whose score changed). Pure: no database."""
    updates = []
    active = 0
    for (
        demand_id,
        status,
        mutation,
        filed_on,
        size,
        dwelling,
        first,
        others,
        facts,
        checked,
        total,
        grid_code,
        grid_version,
        scored_on,
    ) in rows:
        grid_file = kinds["mutation" if mutation else "general"]
        if status != "active" or grid_file is None:
            continue
        active += 1
        known = stored_facts(
            (filed_on, size, dwelling, first),
            (others, mutation),
            orjson.loads(facts) if facts else {},
            orjson.loads(checked) if checked and checked != "[]" else [],
            events.get(demand_id, ()),
        )
        columns = score_columns(score(known, grid_file.grid, today, ceilings))
        # Same grid version, same day and same facts give the same lines: the total is enough to compare
        # (facts only change by an import, which clears the score).
        if (columns["score_total"], columns["grid_code"], columns["grid_version"], columns["scored_on"]) != (
            total,
            grid_code,
            grid_version,
            scored_on,
        ):
            columns["score_lines"] = orjson.dumps(columns["score_lines"]).decode()
            updates.append({"demand_id": demand_id, **columns})
    return active, updates


def _kinds(grids: list[GridFile], today: dt.date) -> dict:
    return {kind: grid_in_force(grids, kind, today) for kind in ("general", "mutation")}


def recompute_batch(
    connection,
    grids: list[GridFile],
    today: dt.date,
    ceilings: tuple | None,
    after_id: int = 0,
    batch: int = 20000,
) -> tuple[int, int, int, int]:
    """Rescore the active demands among the `batch` demands whose id follows `after_id`, on one
    connection and in this process: (demands read, active ones scored, changed, last id read)."""
    kinds = _kinds(grids, today)
    rows = _read_batch(connection, after_id, batch)
    events = read_events(connection, rows, kinds)
    active, updates = _score_rows(rows, kinds, today, ceilings, events)
    if updates:
        connection.execute(_update_statement(connection.dialect.name), updates)
    return len(rows), active, len(updates), rows[-1][0] if rows else after_id


_WRITERS: dict[str, Engine] = {}  # in a scoring process: its own engine, per database


def _score_and_write(
    url: str, rows: list[tuple], kinds: dict, today: dt.date, ceilings: tuple | None, events: dict
) -> tuple[int, int]:
    """In a scoring process: score a batch and write what changed on this process's own connection, in
    one transaction; (active demands scored, changed)."""
    active, updates = _score_rows(rows, kinds, today, ceilings, events)
    if updates:
        engine = _WRITERS.get(url)
        if engine is None:
            engine = _WRITERS[url] = db.make_engine(url)
        with engine.begin() as connection:
            connection.execute(_update_statement(connection.dialect.name), updates)
    return active, len(updates)


def recompute(
    sessions,
    grids: list[GridFile],
    today: dt.date,
    ceilings: tuple | None,
    batch: int = 20000,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Rescore every active demand, one transaction per batch; returns (scored, changed). Idempotent.

    Reads and writes the columns themselves (not ORM objects): this runs over every demand of the
    territory. This process reads the batches ahead; two more processes score them and, on a database of
    their own connection (an engine, not a test's open transaction), write them too, so that both cores
    score and the database takes two writers (PostgreSQL writes them at once; SQLite one after the other,
    while the other process scores). Bound to a connection, this process writes what they scored.
    """
    kinds = _kinds(grids, today)
    bind = sessions.kw["bind"]
    shared = isinstance(bind, Engine) and bind.url.database not in (None, "", ":memory:")
    url = bind.url.render_as_string(hide_password=False) if shared else None
    scored = changed = 0

    def read(after_id: int) -> tuple[list[tuple], dict]:
        with sessions() as session:
            rows = _read_batch(session.connection(), after_id, batch)
            return rows, read_events(session.connection(), rows, kinds)

    def write(updates: list[dict]) -> None:
        if updates:
            with sessions.begin() as session:
                connection = session.connection()
                connection.execute(_update_statement(connection.dialect.name), updates)

    read_so_far = 0

    def advance(count: int) -> None:
        nonlocal read_so_far
        read_so_far += count
        if progress is not None:
            progress(read_so_far)

    rows, events = read(0)
    advance(len(rows))
    if len(rows) < batch:  # one batch: not worth a second process
        active, updates = _score_rows(rows, kinds, today, ceilings, events)
        write(updates)
        scored, changed = active, len(updates)
        rows = []
    # spawn, not fork: the children start clean, without copies of this process's database connections.
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = deque()
        # Each process answers (active demands scored, the updates for this process to write) or, writing
        # them itself, (active demands scored, how many it wrote).
        work = _score_rows if url is None else functools.partial(_score_and_write, url)

        def submit(rows: list[tuple], events: dict) -> None:
            pending.append(pool.submit(work, rows, kinds, today, ceilings, events))

        if rows:
            submit(rows, events)
        while pending:
            # Read ahead: one batch more than the processes score, so that neither waits for this one.
            if rows and len(pending) < 3:
                rows, events = read(rows[-1][0])
                advance(len(rows))
                if rows:
                    submit(rows, events)
                    continue
            active, result = pending.popleft().result()
            if url is None:
                write(result)
                result = len(result)
            scored, changed = scored + active, changed + result
    if changed:
        tidy(bind)
        forget_histograms()
    return scored, changed


def tidy(engine) -> None:
    """After bulk writes on PostgreSQL: VACUUM ANALYZE, so that the position's index-only scans and
    the planner's estimates are right at once rather than when autovacuum comes by."""
    if engine.dialect.name != "postgresql" or not isinstance(engine, Engine):
        return  # a connection: inside someone's transaction, where VACUUM cannot run
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("demand", "demand_event"):
            connection.execute(text(f"VACUUM ANALYZE {table}"))


def rescore_all(progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Every active demand of the app's database scored again with the grids in force today (after an
    import, an activation, every night): (scored, changed). Run again, it changes nothing."""
    database = db.database()
    with database.sessions() as session:
        grids = stored_grids(session)
    today = clock.today()
    return recompute(database.sessions, grids, today, scoring_ceilings(today), progress=progress)


def demand_count() -> int:
    """How many demands a rescoring reads (its progress counts to this)."""
    with db.database().sessions() as session:
        return session.scalar(select(func.count()).select_from(Demand)) or 0


def take_effect(session: Session, today: dt.date) -> list[str]:
    """The versions activated for a later date whose day has come: the versions they replace are retired,
    and the versions in force today with which some active demand is not scored yet are named (and
    audited as having taken effect); the caller then scores the demands again."""
    retired = grid_operations.retire_superseded(session, today)
    records = grid_operations.versions(session)
    due = []
    for kind in ("general", "mutation"):
        current = grid_operations.in_force(records, kind, today)
        if current is None:
            continue
        stale = session.scalar(
            select(
                exists().where(
                    Demand.status == "active",
                    Demand.mutation == (kind == "mutation"),
                    (Demand.grid_code != current.code) | (Demand.grid_version != current.version),
                )
            )
        )
        if stale:
            due.append(f"{current.code} v{current.version}")
            audit.record(session, None, None, "grid.took_effect", f"{current.code} v{current.version}")
    if retired or due:
        bump_revision(session)
    return due
