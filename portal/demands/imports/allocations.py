"""Importing the allocations file: one row per allocation, with what the observatory counts.

Same rules as the demands and events files (portal/demands/imports/demands.py): the file is read as a
stream and checked in batches; every bad row is reported with its row, column and reason; a file with any
bad row is refused whole and nothing is written (the work runs in a savepoint, rolled back on refusal).

Columns (UTF-8, comma-separated, a header line):
  number            the demand's unique number; the demand must be stored (import the demands first)
  allocated_on      YYYY-MM-DD: not before the demand's filing, not in the future, and the same day as the
                    demands file's `allocated_on` for that demand (see "The demand stays the source")
  commune           INSEE code of the allocated dwelling's commune (a commune of the territory)
  dwelling_type     T1 to T5 (T5 means T5 and more, as in the demands file)
  landlord          the landlord's code or name (plain text, 200 characters at most)
  priority          none, dalo, accord_collectif or other_priority (another priority public of CCH
                    L.441-1, the PDALHPD's included); empty means none
  qpv               1 when the dwelling is in a priority urban district (QPV), else 0 (empty: 0)
  lowest_quartile   1 when the household is in the lowest income quartile, 0 when not, empty when unknown
  offered_to        reservations in flux: the slug (in the portal) of the reservation holder the dwelling
                    was offered to, the landlord's own for a dwelling no one reserves; empty when unknown
  holder            the slug of the reservation holder whose candidate was housed (the landlord's own when
                    the dwelling came back to it, or for its unreserved dwellings); empty when unknown
  financing         PLAI, PLUS, PLS or PLI (empty: unknown)
  built_year        the year the building was finished, e.g. 1972 (empty: unknown)
Whether an allocation was a transfer (mutation) is not a column: it is the demand's `mutation`.

Importing twice gives the same result: a row replaces the stored allocation of the same demand number
(a demand ends with one allocation); allocations of demands the file does not name are kept, so files
of successive periods add up, and a corrected file replaces the rows it names.

The demand stays the source of its status and allocation date: the demands file says that a demand was
allocated and when (`status`, `allocated_on`); this file adds the details and never changes a demand.
A row whose demand is not allocated, or was allocated on another day, is refused, so the two files cannot
tell different stories. Allocations are named by demand number (not id): re-importing the demands file,
which replaces the demands and their ids, keeps them.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
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
    dwelling_of_stock,
    empty_required,
    in_savepoint,
    landlord_name,
    no_progress,
    parse_date,
    read_rows,
)
from portal.demands.models import FINANCINGS, PRIORITY_PUBLICS, Allocation, Demand, DemandEvent
from portal.territory.models import Commune

ALLOCATION_REQUIRED = ("number", "allocated_on", "commune", "dwelling_type", "landlord")
ALLOCATION_COLUMNS = (
    *ALLOCATION_REQUIRED,
    "priority",
    "qpv",
    "lowest_quartile",
    "offered_to",
    "holder",
    "financing",
    "built_year",
)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass
class AllocationsReport:
    rows: int = 0
    created: int = 0  # allocations of demands that had none stored
    updated: int = 0  # stored allocations the file replaced
    seconds: float = 0.0


def import_allocations(
    session: Session, path: Path, today: dt.date, progress: Progress = no_progress
) -> AllocationsReport:
    """Add or replace the allocations of the demands the file names (see the module's docstring)."""
    return in_savepoint(session, _import_allocations, path, today, progress)


def _binary(value: str, blank):
    value = value.strip()
    if value == "":
        return blank
    if value in ("0", "1"):
        return value == "1"
    raise ValueError


def allocation_row(raw: dict, communes: set[str], today: dt.date) -> tuple[dict, list[tuple[str, str]]]:
    """(values, problems) of one row, before the demand it names is looked up."""
    problems = empty_required(raw, ALLOCATION_REQUIRED)
    if problems:
        return {}, problems
    number = demand_number(raw, problems)
    allocated_on = None
    try:
        allocated_on = parse_date(raw["allocated_on"].strip())
    except ValueError:
        problems.append(("allocated_on", N_("must be a date like 2025-03-14")))
    if allocated_on and allocated_on > today:
        problems.append(("allocated_on", N_("is in the future")))
    commune = commune_code(raw["commune"], communes, problems)
    dwelling = dwelling_of_stock(raw["dwelling_type"], problems)
    landlord = landlord_name(raw["landlord"], problems)
    priority = (raw.get("priority") or "").strip().lower() or "none"
    if priority not in PRIORITY_PUBLICS:
        problems.append(("priority", N_("must be one of %(choices)s", choices=", ".join(PRIORITY_PUBLICS))))
    in_qpv = lowest = None
    try:
        in_qpv = _binary(raw.get("qpv") or "", False)
    except ValueError:
        problems.append(("qpv", N_("must be 0 or 1")))
    try:
        lowest = _binary(raw.get("lowest_quartile") or "", None)
    except ValueError:
        problems.append(("lowest_quartile", N_("must be 0, 1 or empty (unknown)")))
    flux = {column: (raw.get(column) or "").strip().lower() for column in ("offered_to", "holder")}
    for column, value in flux.items():
        if value and not SLUG.match(value):
            problems.append(
                (column, N_("must be an organisation's short name in the portal, like action-logement"))
            )
    financing = (raw.get("financing") or "").strip().upper()
    if financing and financing not in FINANCINGS:
        problems.append(("financing", N_("must be one of %(choices)s", choices=", ".join(FINANCINGS))))
    built = (raw.get("built_year") or "").strip()
    if built and not (built.isdigit() and 1800 <= int(built) <= today.year + 1):
        problems.append(("built_year", N_("must be a year like 1972")))
    values = {
        **flux,
        "financing": financing,
        "built_year": int(built) if built.isdigit() else None,
        "demand_number": number,
        "allocated_on": allocated_on,
        "commune_insee": commune,
        "dwelling_type": dwelling,
        "landlord": landlord,
        "priority": priority,
        "in_qpv": in_qpv,
        "lowest_quartile": lowest,
    }
    return values, problems


def _import_allocations(
    session: Session, path: Path, today: dt.date, progress: Progress
) -> AllocationsReport:
    """Check every row (alone, then against its demand) in batches; write while the file reads well."""
    started = time.perf_counter()
    communes = set(session.scalars(select(Commune.insee)))
    report, problems, total, seen = AllocationsReport(), [], 0, set()
    chunk: list[tuple[int, dict, list]] = []

    def settle(chunk) -> None:
        nonlocal total
        numbers = {values["demand_number"] for _, values, _ in chunk if values}
        demands = {
            number: (status, filed_on)
            for number, status, filed_on in session.execute(
                select(Demand.number, Demand.status, Demand.filed_on).where(Demand.number.in_(numbers))
            )
        }
        allocated = {
            number: day
            for number, day in session.execute(
                select(Demand.number, DemandEvent.occurred_on)
                .join(DemandEvent, DemandEvent.demand_id == Demand.id)
                .where(Demand.number.in_(numbers), DemandEvent.kind == "allocation")
            )
        }
        rows = []
        for index, values, row_problems in chunk:
            if values and not row_problems:
                row_problems.extend(_against_demand(values, demands, allocated))
            if row_problems:
                total += len(row_problems)
                problems.extend((index, column, reason) for column, reason in row_problems)
                del problems[MAX_REPORTED:]
            else:
                rows.append(values)
        if total or not rows:
            return
        stored = set(
            session.scalars(
                select(Allocation.demand_number).where(
                    Allocation.demand_number.in_([row["demand_number"] for row in rows])
                )
            )
        )
        if stored:
            session.execute(delete(Allocation).where(Allocation.demand_number.in_(stored)))
        session.connection().execute(Allocation.__table__.insert(), rows)
        report.updated += len(stored)
        report.created += len(rows) - len(stored)

    for index, raw in read_rows(path, ALLOCATION_REQUIRED, ALLOCATION_COLUMNS):
        report.rows += 1
        values, row_problems = allocation_row(raw, communes, today)
        number = values.get("demand_number")
        if number is not None:
            if number in seen:
                row_problems.append(("number", N_("appears twice in the file")))
            seen.add(number)
        chunk.append((index, values, row_problems))
        if len(chunk) >= BATCH:
            settle(chunk)
            chunk = []
            progress(report.rows)
    settle(chunk)
    if total:
        raise ImportRefused(problems, total)
    report.seconds = time.perf_counter() - started
    return report


def _against_demand(values: dict, demands: dict, allocated: dict) -> list[tuple[str, str]]:
    """The row must agree with its demand as the demands file stored it."""
    found = demands.get(values["demand_number"])
    if found is None:
        return [("number", N_("is not a stored demand (import the demands first)"))]
    status, filed_on = found
    if values["allocated_on"] < filed_on:
        return [("allocated_on", N_("is before the demand was filed"))]
    if status != "allocated":
        return [("number", N_("is not allocated in the demands file (status and allocated_on come from it)"))]
    day = allocated.get(values["demand_number"])
    if day is not None and day != values["allocated_on"]:
        return [
            (
                "allocated_on",
                N_("differs from the demands file's allocated_on (%(date)s)", date=day.isoformat()),
            )
        ]
    return []
