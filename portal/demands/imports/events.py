"""Importing the events file: what happened to the demands after they were filed (renewals, committee
decisions, offers, refusals, strikings-off). Filing and allocation come from the demands file (`filed_on`,
`allocated_on`); this file brings the rest of the history, and replaces the stored events of its kinds.
The columns are described in portal/demands/imports/demands.py."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.demands.imports.problems import N_
from portal.demands.imports.reading import (
    BATCH,
    MAX_REPORTED,
    ImportRefused,
    Progress,
    commune_code,
    demand_number,
    empty_required,
    in_savepoint,
    no_progress,
    parse_date,
    read_rows,
)
from portal.demands.models import DWELLING_TYPES, Demand, DemandEvent
from portal.territory.models import Commune

EVENT_KINDS = ("renewed", "decision", "offer", "refusal", "struck_off")
EVENT_REQUIRED = ("number", "kind", "occurred_on")
EVENT_COLUMNS = (*EVENT_REQUIRED, "rank", "reasons", "dwelling_type", "commune", "legitimate")
MAX_REASONS = 1000


@dataclass
class EventsReport:
    events: int = 0
    by_kind: dict = field(default_factory=dict)
    seconds: float = 0.0


def import_events(
    session: Session, path: Path, today: dt.date, progress: Progress = no_progress
) -> EventsReport:
    """Replace the history of the stored demands with the events file's (see `_import_events`)."""
    return in_savepoint(session, _import_events, path, today, progress)


def _event_row(raw: dict, communes: set[str], today: dt.date) -> tuple[dict, list[tuple[str, str]]]:
    """(values, problems) of one row, before the demand it names is looked up."""
    problems = empty_required(raw, EVENT_REQUIRED)
    if problems:
        return {}, problems
    number = demand_number(raw, problems)
    kind = raw["kind"].strip()
    if kind in ("filed", "allocation"):
        problems.append(("kind", N_("comes from the demands file (filed_on, allocated_on)")))
    elif kind not in EVENT_KINDS:
        problems.append(("kind", N_("must be one of %(choices)s", choices=", ".join(EVENT_KINDS))))
    occurred_on = None
    try:
        occurred_on = parse_date(raw["occurred_on"].strip())
    except ValueError:
        problems.append(("occurred_on", N_("must be a date like 2025-03-14")))
    if occurred_on and occurred_on > today:
        problems.append(("occurred_on", N_("is in the future")))
    rank = None
    if (raw.get("rank") or "").strip():
        try:
            rank = int(raw["rank"])
        except ValueError:
            problems.append(("rank", N_("must be a whole number")))
        else:
            if kind != "decision":
                problems.append(("rank", N_("is only for a committee decision")))
            elif not 1 <= rank <= 99:
                problems.append(("rank", N_("must be between %(low)s and %(high)s", low=1, high=99)))
    reasons = (raw.get("reasons") or "").strip()
    if len(reasons) > MAX_REASONS:
        problems.append(("reasons", N_("is longer than %(count)s characters", count=MAX_REASONS)))
    dwelling = (raw.get("dwelling_type") or "").strip().upper()
    if dwelling and dwelling not in DWELLING_TYPES:
        problems.append(("dwelling_type", N_("must be T1, T2, T3, T4 or T5")))
    commune = commune_code(raw.get("commune") or "", communes, problems)
    legitimate = (raw.get("legitimate") or "").strip()
    if legitimate not in ("", "0", "1"):
        problems.append(("legitimate", N_("must be 0 or 1")))
    elif legitimate == "1" and kind != "refusal":
        problems.append(("legitimate", N_("is only for a refusal")))
    values = {
        "number": number,
        "kind": kind,
        "occurred_on": occurred_on,
        "rank": rank,
        "reasons": reasons,
        "dwelling_type": dwelling,
        "commune_insee": commune,
        "legitimate": legitimate == "1",
    }
    return values, problems


def _import_events(session: Session, path: Path, today: dt.date, progress: Progress) -> EventsReport:
    """Replace every stored event of the file's kinds with the file's, in one streamed pass.

    Rows are checked in batches: alone first, then against the demand they name (it must be stored, and
    the event cannot precede its filing). At the first bad row writing stops and checking goes on, to
    report every problem; any problem raises ImportRefused and the savepoint is rolled back.
    """
    started = time.perf_counter()
    communes = set(session.scalars(select(Commune.insee)))
    session.execute(delete(DemandEvent).where(DemandEvent.kind.in_(EVENT_KINDS)))
    report, problems, total = EventsReport(), [], 0
    chunk: list[tuple[int, dict, list]] = []

    def settle(chunk) -> None:
        nonlocal total
        numbers = {values["number"] for _, values, _ in chunk if values}
        demands = {
            number: (demand_id, filed_on)
            for number, demand_id, filed_on in session.execute(
                select(Demand.number, Demand.id, Demand.filed_on).where(Demand.number.in_(numbers))
            )
        }
        rows = []
        for index, values, row_problems in chunk:
            if values and not row_problems:
                found = demands.get(values["number"])
                if found is None:
                    row_problems.append(("number", N_("is not a stored demand (import the demands first)")))
                elif values["occurred_on"] < found[1]:
                    row_problems.append(("occurred_on", N_("is before the demand was filed")))
                else:
                    rows.append({"demand_id": found[0], **{k: v for k, v in values.items() if k != "number"}})
            if row_problems:
                total += len(row_problems)
                problems.extend((index, column, reason) for column, reason in row_problems)
                del problems[MAX_REPORTED:]
        if not total and rows:
            session.connection().execute(DemandEvent.__table__.insert(), rows)
            report.events += len(rows)
            for row in rows:
                report.by_kind[row["kind"]] = report.by_kind.get(row["kind"], 0) + 1

    for index, raw in read_rows(path, EVENT_REQUIRED, EVENT_COLUMNS):
        values, row_problems = _event_row(raw, communes, today)
        chunk.append((index, values, row_problems))
        if len(chunk) >= BATCH:
            settle(chunk)
            chunk = []
            progress(index - 1)
    settle(chunk)
    if total:
        raise ImportRefused(problems, total)
    report.seconds = time.perf_counter() - started
    return report
