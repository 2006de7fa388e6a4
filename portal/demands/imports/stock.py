"""Importing the social housing stock file, shaped like the public extracts of the national register of
social landlords' dwellings (RPLS): how many social dwellings each landlord has, per commune and type.

Same rules as the other files (portal/demands/imports/demands.py): read as a stream, every bad row
reported with its row, column and reason, refused whole with nothing written when any row is bad.

Columns (UTF-8, comma-separated, a header line):
  year              the year of the count (the RPLS counts the stock on 1 January), e.g. 2025
  commune           INSEE code of a commune of the territory
  dwelling_type     T1 to T5 (T5 means T5 and more; "T5+" and "T6" are read as T5)
  landlord          the landlord's code or name (plain text, 200 characters at most)
  dwellings         the number of dwellings, a whole number, 0 or more
  financing         optional: PLAI, PLUS, PLS or PLI (how the dwellings were financed); empty if unknown
A row is one (year, commune, dwelling type, landlord, financing): the same five twice is refused.

One import replaces the stored rows of every year the file contains and keeps the other years: a file of
2025 counts leaves 2024's alone; importing the same file twice gives the same result.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from portal.demands.imports.problems import N_
from portal.demands.imports.reading import (
    BATCH,
    MAX_REPORTED,
    ImportRefused,
    Progress,
    commune_code,
    dwelling_of_stock,
    empty_required,
    in_savepoint,
    landlord_name,
    no_progress,
    read_rows,
)
from portal.demands.models import FINANCINGS, HousingStock
from portal.territory.models import Commune

STOCK_REQUIRED = ("year", "commune", "dwelling_type", "landlord", "dwellings")
STOCK_COLUMNS = (*STOCK_REQUIRED, "financing")
FIRST_YEAR = 1950


@dataclass
class StockReport:
    rows: int = 0
    dwellings: int = 0
    years: tuple[int, ...] = ()
    replaced: int = 0  # stored rows of those years, taken away
    seconds: float = 0.0


def import_stock(
    session: Session, path: Path, today: dt.date, progress: Progress = no_progress
) -> StockReport:
    """Replace the stock of the years the file contains (see the module's docstring)."""
    return in_savepoint(session, _import_stock, path, today, progress)


def stock_row(raw: dict, communes: set[str], today: dt.date) -> tuple[dict, list[tuple[str, str]]]:
    """(values, problems) of one row."""
    problems = empty_required(raw, STOCK_REQUIRED)
    if problems:
        return {}, problems
    year = dwellings = None
    try:
        year = int(raw["year"].strip())
    except ValueError:
        problems.append(("year", N_("must be a year like 2025")))
    else:
        if not FIRST_YEAR <= year <= today.year:
            problems.append(
                ("year", N_("must be between %(low)s and %(high)s", low=FIRST_YEAR, high=today.year))
            )
    commune = commune_code(raw["commune"], communes, problems)
    dwelling = dwelling_of_stock(raw["dwelling_type"], problems)
    landlord = landlord_name(raw["landlord"], problems)
    try:
        dwellings = int(raw["dwellings"].strip())
    except ValueError:
        problems.append(("dwellings", N_("must be a whole number")))
    else:
        if dwellings < 0:
            problems.append(("dwellings", N_("must be 0 or more")))
    financing = (raw.get("financing") or "").strip().upper()
    if financing and financing not in FINANCINGS:
        problems.append(
            ("financing", N_("must be one of %(choices)s, or empty", choices=", ".join(FINANCINGS)))
        )
    values = {
        "year": year,
        "commune_insee": commune,
        "dwelling_type": dwelling,
        "landlord": landlord,
        "financing": financing,
        "dwellings": dwellings,
    }
    return values, problems


def _import_stock(session: Session, path: Path, today: dt.date, progress: Progress) -> StockReport:
    """One streamed pass: a year's stored rows go the first time the file names that year."""
    started = time.perf_counter()
    communes = set(session.scalars(select(Commune.insee)))
    report, problems, total = StockReport(), [], 0
    keys: set[tuple] = set()
    years: set[int] = set()
    batch: list[dict] = []

    def flush() -> None:
        if not total and batch:
            session.connection().execute(HousingStock.__table__.insert(), batch)

    for index, raw in read_rows(path, STOCK_REQUIRED, STOCK_COLUMNS):
        report.rows += 1
        if report.rows % BATCH == 0:
            progress(report.rows)
        values, row_problems = stock_row(raw, communes, today)
        if values and not row_problems:
            key = tuple(
                values[name] for name in ("year", "commune_insee", "dwelling_type", "landlord", "financing")
            )
            if key in keys:
                row_problems.append(
                    ("landlord", N_("this year, commune, type, landlord and financing appear twice"))
                )
            keys.add(key)
        if row_problems:
            total += len(row_problems)
            problems.extend((index, column, reason) for column, reason in row_problems)
            del problems[MAX_REPORTED:]
            batch = []
            continue
        if total:
            continue
        if values["year"] not in years:
            years.add(values["year"])  # the batch holds rows of other years only: the delete spares them
            condition = HousingStock.year == values["year"]
            report.replaced += session.scalar(select(func.count()).select_from(HousingStock).where(condition))
            session.execute(delete(HousingStock).where(condition))
        batch.append(values)
        report.dwellings += values["dwellings"]
        if len(batch) >= BATCH:
            flush()
            batch = []
    if total:
        raise ImportRefused(problems, total)
    flush()
    report.years = tuple(sorted(years))
    report.seconds = time.perf_counter() - started
    return report
