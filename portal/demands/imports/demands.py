"""Importing demands from a CSV file: every row is checked before anything is written.

The file is a complete snapshot of the territory's demands (for instance an export of the national
system): a good file replaces the stored demands and events in one transaction; a file with any bad row
is refused whole, with the row, the column and the reason of each problem, and nothing changes.

Columns (UTF-8, comma-separated, a header line; empty cells mean no / zero / unknown):
  number            the unique number, 18 characters (072 MM YY NNNNNN + desk code), spaces allowed
  lookup_hash       Argon2id hash of "NUMBER|YYYY-MM-DD" (number without spaces, birth date): the birth date
                    itself never reaches the portal. Made with exactly the look-up's parameters (version
                    19, m=19456, t=2, p=1, 16-byte salt, 32-byte hash: portal.demands.services), which
                    `argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)` gives; others
                    are refused (a different cost would tell apart known numbers by the time they take).
  filed_on          first filing date, YYYY-MM-DD
  renewed_on        last renewal date, YYYY-MM-DD (empty if never renewed)
  status            active, allocated or struck_off
  mutation          1 when the household is already a social tenant (transfer demand), else 0
  dwelling_type     T1 to T5
  first_commune     INSEE code of the first-choice commune (defines the segment of the position)
  other_communes    other wished communes, INSEE codes separated by spaces
  household_size    number of people
  allocated_on      for an allocated demand: the date of the allocation
  checked           the facts below that have been checked, separated by spaces
  and one column per fact of the territory's dictionary (content/cotation/facts.yaml, `column`), read
  by the fact's type: yes_no 0 or 1, count a whole number, number a number (12.5 or 12,5), date
  YYYY-MM-DD, category one of its choices. A column the dictionary does not declare is refused.

The events file (`portal demands import-events FILE`) brings the rest of each demand's history and
replaces the stored events of its kinds; it names demands already imported. Columns:
  number            the demand's unique number
  kind              renewed, decision (allocation committee), offer, refusal or struck_off
  occurred_on       YYYY-MM-DD, not before the demand's filing nor after today
  rank              for a decision: the rank given by the committee (1 = allocated, 2, 3… = next in line)
  reasons           the committee's reasons, a refusal's or a striking-off's (plain text, 1,000 characters)
  legitimate        for a refusal: 1 when its reason was found legitimate (a grid never counts it)
  dwelling_type     for an offer: T1 to T5
  commune           for an offer: INSEE code of the dwelling's commune
Filing and allocation are not in this file: they come from the demands file (filed_on, allocated_on).

Two more files follow the same rules: the allocations' details (portal/demands/imports/allocations.py,
`portal demands import-allocations FILE`) and the social housing stock (portal/demands/imports/stock.py,
`portal demands import-stock FILE`). Partners upload all four at /partenaires/donnees.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from portal.cotation.dictionary import RESERVED_COLUMNS, Dictionary
from portal.cotation.services import current_dictionary
from portal.demands.imports.problems import N_
from portal.demands.imports.reading import (
    BATCH,
    MAX_REPORTED,
    ImportRefused,
    Progress,
    in_savepoint,
    no_progress,
    parse_date,
    read_rows,
)
from portal.demands.models import DWELLING_TYPES, STATUSES, Demand, DemandEvent
from portal.demands.services import NUMBER, is_lookup_hash, normalize_number
from portal.territory.models import Commune

REQUIRED = ("number", "lookup_hash", "filed_on", "status", "dwelling_type", "first_commune", "household_size")
MUST_BE_FLAG = N_("must be 0 or 1")
MUST_BE_COUNT = N_("must be a whole number, 0 or more")
MUST_BE_NUMBER = N_("must be a number")
MUST_BE_DATE = N_("must be a date like 2025-03-14")
# The demand's own columns, which the dictionary of facts keeps for them (no fact may take one).
OWN_COLUMNS = RESERVED_COLUMNS


def columns(dictionary: Dictionary) -> tuple[str, ...]:
    """The columns a demands file may have: the demand's own, then one per fact of the dictionary."""
    return (*OWN_COLUMNS, *dictionary.columns())


# The import gives the ids itself; on PostgreSQL the sequences then move past them.
SEQUENCE_RESETS = (
    "SELECT setval(pg_get_serial_sequence('demand', 'id'), "
    "COALESCE((SELECT max(id) FROM demand), 0) + 1, false)",
    "SELECT setval(pg_get_serial_sequence('demand_event', 'id'), "
    "COALESCE((SELECT max(id) FROM demand_event), 0) + 1, false)",
)


@dataclass
class ImportReport:
    demands: int = 0
    allocations: int = 0
    seconds: float = 0.0


def _flag(value: str) -> bool:
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValueError("must be 0 or 1")


class _Row:
    """One checked row: its values, or its problems."""

    __slots__ = ("problems", "values")

    def __init__(self, raw: dict, communes: set[str], today: dt.date, dictionary: Dictionary, fact_columns):
        self.problems: list[tuple[str, str]] = []
        self.values: dict = {}
        for column in REQUIRED:
            if not (raw.get(column) or "").strip():
                self.problems.append((column, N_("is empty")))
        if self.problems:
            return
        number = normalize_number(raw["number"])
        self._check(
            "number", NUMBER.match(number), N_("must have 18 characters: 13 digits, then the desk code")
        )
        self._check(
            "lookup_hash",
            is_lookup_hash(raw["lookup_hash"]),
            N_("must be an Argon2id hash made with the look-up's parameters (see the format)"),
        )
        filed_on = self._parse("filed_on", raw["filed_on"], parse_date, N_("must be a date like 2025-03-14"))
        renewed_on = (
            self._parse("renewed_on", raw["renewed_on"], parse_date, N_("must be a date"))
            if raw.get("renewed_on")
            else None
        )
        allocated_on = (
            self._parse("allocated_on", raw["allocated_on"], parse_date, N_("must be a date"))
            if raw.get("allocated_on")
            else None
        )
        if filed_on and filed_on > today:
            self.problems.append(("filed_on", N_("is in the future")))
        if filed_on and renewed_on and renewed_on < filed_on:
            self.problems.append(("renewed_on", N_("is before filed_on")))
        status = raw["status"].strip()
        self._check(
            "status", status in STATUSES, N_("must be one of %(choices)s", choices=", ".join(STATUSES))
        )
        if status == "allocated" and not allocated_on:
            self.problems.append(("allocated_on", N_("is needed for an allocated demand")))
        dwelling = raw["dwelling_type"].strip().upper()
        self._check("dwelling_type", dwelling in DWELLING_TYPES, N_("must be T1, T2, T3, T4 or T5"))
        first = raw["first_commune"].strip()
        self._check("first_commune", first in communes, N_("is not a commune of the territory"))
        others = (raw.get("other_communes") or "").split()
        self._check(
            "other_communes",
            all(code in communes for code in others),
            N_("names a commune outside the territory"),
        )
        size = self._parse("household_size", raw["household_size"], int, N_("must be a whole number"))
        if size is not None and not 1 <= size <= 20:
            self.problems.append(
                ("household_size", N_("must be between %(low)s and %(high)s", low=1, high=20))
            )
        facts: dict = {}
        for column, name, kind, choices in fact_columns:
            value = raw.get(column)
            if value and (value := value.strip()):
                parsed = self._fact(column, value, kind, choices)
                if parsed is not None:
                    facts[name] = parsed
        checked = (raw.get("checked") or "").split()
        self._check("checked", all(dictionary.get(name) for name in checked), N_("names an unknown fact"))
        mutation = self._parse("mutation", raw.get("mutation") or "", _flag, N_("must be 0 or 1"))
        if not self.problems:
            self.values = {
                "number": number,
                "lookup_hash": raw["lookup_hash"],
                "filed_on": filed_on,
                "renewed_on": renewed_on,
                "expires_on": (renewed_on or filed_on) + dt.timedelta(days=365),
                "status": status,
                "mutation": bool(mutation),
                "dwelling_type": dwelling,
                "first_commune_insee": first,
                "other_communes": " ".join(others),
                "household_size": size,
                "facts": facts,
                "checked": checked,
                "allocated_on": allocated_on,
                # Not scored yet (the recompute that follows does it); written out for COPY, which
                # knows nothing of the models' defaults.
                "score_total": None,
                "score_lines": [],
                "grid_code": "",
                "grid_version": 0,
                "scored_on": None,
            }

    def _fact(self, column: str, value: str, kind: str, choices: tuple[str, ...]):
        """A fact's value by its type (dates as ISO text, as the facts are stored); None for a no, a zero
        count (what a missing fact means anyway) or a problem, which is noted. Reasons are made only for
        problems: this runs for every fact of every row."""
        if kind == "yes_no":
            if value == "1":
                return True
            if value != "0":
                self.problems.append((column, MUST_BE_FLAG))
            return None
        if kind == "count":
            if value.isdigit():
                return int(value) or None
            self.problems.append((column, MUST_BE_COUNT))
            return None
        if kind == "number":
            try:
                return float(value.replace(",", "."))
            except ValueError:
                self.problems.append((column, MUST_BE_NUMBER))
                return None
        if kind == "date":
            try:
                return parse_date(value).isoformat()
            except ValueError:
                self.problems.append((column, MUST_BE_DATE))
                return None
        if value not in choices:
            self.problems.append((column, N_("must be one of %(choices)s", choices=", ".join(choices))))
            return None
        return value

    def _check(self, column: str, ok, reason: str) -> None:
        if not ok:
            self.problems.append((column, reason))

    def _parse(self, column: str, value: str, parse, reason: str):
        try:
            return parse(value.strip())
        except ValueError:
            self.problems.append((column, reason))
            return None


def import_demands(
    session: Session,
    path: Path,
    today: dt.date,
    progress: Progress = no_progress,
    dictionary: Dictionary | None = None,
) -> ImportReport:
    """See _import: the work runs in a savepoint, rolled back whole when the file is refused. The
    columns are those of the dictionary of facts (the app's when none is given)."""
    known = dictionary or current_dictionary()
    return in_savepoint(session, lambda *args: _import(*args, known), path, today, progress)


def _import(
    session: Session, path: Path, today: dt.date, progress: Progress, dictionary: Dictionary
) -> ImportReport:
    """Replace the demands with the file's, in one streamed pass (scores follow: see recompute).

    Every row is checked; rows are written while the file reads well, and at the first bad row writing
    stops and checking goes on to the end, to report every problem. Any problem raises ImportRefused:
    the savepoint is rolled back and the database is as it was.
    """
    started = time.perf_counter()
    communes = set(session.scalars(select(Commune.insee)))
    session.execute(delete(DemandEvent))
    session.execute(delete(Demand))
    report, problems, total, numbers = ImportReport(), [], 0, set()
    demands: list[dict] = []
    events: list[dict] = []
    fact_columns = [
        (column, fact.name, fact.type, fact.choices) for column, fact in dictionary.columns().items()
    ]
    for index, raw in read_rows(path, REQUIRED, columns(dictionary)):
        if index % BATCH == 0:
            progress(index - 1)
        row = _Row(raw, communes, today, dictionary, fact_columns)
        number = row.values.get("number")
        if number is not None:
            if number in numbers:
                row.problems.append(("number", N_("appears twice in the file")))
            numbers.add(number)
        if row.problems:
            total += len(row.problems)
            problems.extend((index, column, reason) for column, reason in row.problems)
            del problems[MAX_REPORTED:]
            demands, events = [], []  # nothing more is written; the rest is only checked
            continue
        if total:
            continue
        values = row.values
        allocated_on = values.pop("allocated_on")
        # The table was emptied: the file gives the ids, 1, 2, 3… (the sequence is moved on afterwards).
        values["id"] = demand_id = len(numbers)
        demands.append(values)
        events.append(
            {
                "demand_id": demand_id,
                "kind": "filed",
                "occurred_on": values["filed_on"],
                "dwelling_type": "",
                "commune_insee": "",
                "rank": None,
                "reasons": "",
                "legitimate": False,
            }
        )
        if allocated_on:
            events.append(
                {
                    "demand_id": demand_id,
                    "kind": "allocation",
                    "occurred_on": allocated_on,
                    "dwelling_type": values["dwelling_type"],
                    "commune_insee": values["first_commune_insee"],
                    "rank": None,
                    "reasons": "",
                    "legitimate": False,
                }
            )
            report.allocations += 1
        if len(demands) >= BATCH:
            _flush(session, demands, events)
            report.demands += len(demands)
            demands, events = [], []
    if total:
        raise ImportRefused(problems, total)
    _flush(session, demands, events)
    report.demands += len(demands)
    if session.get_bind().dialect.name == "postgresql":
        for statement in SEQUENCE_RESETS:
            session.execute(text(statement))
    report.seconds = time.perf_counter() - started
    return report


def _flush(session: Session, demands: list[dict], events: list[dict]) -> None:
    """Insert a batch: COPY on PostgreSQL, table inserts elsewhere (no ORM bookkeeping for new rows)."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, Demand.__table__, demands)
        _copy(connection, DemandEvent.__table__, events)
        return
    if demands:
        connection.execute(Demand.__table__.insert(), demands)
    if events:
        connection.execute(DemandEvent.__table__.insert(), events)


def _copy(connection, table, rows: list[dict]) -> None:
    """PostgreSQL's COPY, through psycopg: several times faster than INSERT for large files."""
    if not rows:
        return
    columns = list(rows[0])
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(value) if isinstance(value, dict | list) else value
                    for value in (row[column] for column in columns)
                ]
            )
