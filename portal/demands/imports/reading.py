"""What every data file's import shares: reading a CSV whose header is checked, the refusal that lists
every problem, the savepoint a refused file is rolled back in, and the batch size."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from portal.demands.imports.problems import N_
from portal.demands.models import DWELLING_TYPES
from portal.demands.services import NUMBER, normalize_number

MAX_REPORTED = 200  # problems listed in a refusal (all are counted)
BATCH = 5000  # rows checked, then written, at a time

Progress = Callable[[int], None]  # told the number of rows read so far, after each batch
Problems = list[tuple[str, str]]  # (column, reason) of one row
MAX_LANDLORD = 200


def no_progress(_rows: int) -> None:
    """The progress of an import nobody follows."""


class ImportRefused(ValueError):
    """The file has bad rows; `problems` lists (row, column, reason), the first ones.

    Each reason is a `Reason` (portal/demands/imports/problems.py): a str in English with its values
    filled, as this message shows it, which the workspace translates from its msgid.
    """

    def __init__(self, problems: list[tuple[int, str, str]], total: int):
        self.problems, self.total = problems, total
        lines = [f"row {row}, column {column}: {reason}" for row, column, reason in problems]
        more = f"\n… and {total - len(problems)} more" if total > len(problems) else ""
        super().__init__(f"{total} problems, nothing imported:\n" + "\n".join(lines) + more)


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def read_rows(path: Path, required: tuple[str, ...], columns: tuple[str, ...]) -> Iterator[tuple[int, dict]]:
    """(line number, row) of a UTF-8 CSV file, once its header has every required column and no other."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or ())]
        if missing:
            raise ImportRefused(
                [(1, column, N_("column missing from the header")) for column in missing], len(missing)
            )
        unknown = [column for column in reader.fieldnames if column not in columns]
        if unknown:
            raise ImportRefused([(1, column, N_("unknown column")) for column in unknown], len(unknown))
        yield from enumerate(reader, start=2)


def in_savepoint(session: Session, work, path: Path, today: dt.date, progress: Progress = no_progress):
    """Run an import in a savepoint: a refused file (or any error) leaves the database as it was."""
    savepoint = session.begin_nested()
    try:
        report = work(session, path, today, progress)
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return report


def count_rows(path: Path) -> int:
    """Rows of a CSV file (its lines but the header): what a progress bar counts to."""
    with path.open("rb") as handle:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1)


# Checks of the columns several files share: each appends its problem and returns the value as stored.


def empty_required(raw: dict, required: tuple[str, ...]) -> Problems:
    """An "is empty" problem for each required column the row leaves blank."""
    return [(column, N_("is empty")) for column in required if not (raw.get(column) or "").strip()]


def demand_number(raw: dict, problems: Problems) -> str:
    number = normalize_number(raw["number"])
    if not NUMBER.match(number):
        problems.append(("number", N_("must have 18 characters: 13 digits, then the desk code")))
    return number


def commune_code(value: str, communes: set[str], problems: Problems) -> str:
    """A commune's INSEE code, which must be the territory's (a blank one is left to `empty_required`)."""
    value = value.strip()
    if value and value not in communes:
        problems.append(("commune", N_("is not a commune of the territory")))
    return value


def dwelling_type(value: str) -> str:
    """T1…T5 as the demands model writes them; "T5+", "T6"… are T5 (T5 means T5 and more)."""
    value = value.strip().upper().rstrip("+")
    if value.startswith("T") and value[1:].isdigit() and int(value[1:]) >= 5:
        return "T5"
    return value


def dwelling_of_stock(value: str, problems: Problems) -> str:
    """The dwelling type of an allocated or counted dwelling (T6 and more count as T5)."""
    dwelling = dwelling_type(value)
    if dwelling not in DWELLING_TYPES:
        problems.append(("dwelling_type", N_("must be T1, T2, T3, T4 or T5 (T5 and more)")))
    return dwelling


def landlord_name(value: str, problems: Problems) -> str:
    value = value.strip()
    if len(value) > MAX_LANDLORD:
        problems.append(("landlord", N_("is longer than %(count)s characters", count=MAX_LANDLORD)))
    return value
