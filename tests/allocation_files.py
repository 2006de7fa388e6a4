"""CSV files of allocations for the import tests, made from demand rows (tests/demand_files.py)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from portal.demands.imports.allocations import ALLOCATION_COLUMNS
from portal.demands.services import normalize_number
from tests.demand_files import write_csv

SAMPLES = (
    Path(__file__).resolve().parent / "samples"
)  # stock.csv (good), stock_bad.csv (6 problems in 4 rows)


def allocation_rows(demands: list[dict], today: dt.date, seed: int = 9):
    """One allocation row for each allocated demand (on its allocated_on day, when not after today)."""
    rng = random.Random(seed)
    for demand in demands:
        if demand["status"] != "allocated" or dt.date.fromisoformat(demand["allocated_on"]) > today:
            continue
        yield {
            "number": normalize_number(demand["number"]),
            "allocated_on": demand["allocated_on"],
            "commune": demand["first_commune"],
            "dwelling_type": demand["dwelling_type"],
            "landlord": rng.choice(("OPH-AGGLO", "ESH-DEMO")),
            "priority": rng.choice(("none", "none", "dalo", "accord_collectif", "other_priority")),
            "qpv": rng.choice(("0", "1")),
            "lowest_quartile": rng.choice(("0", "1", "")),
        }


def write_allocations_csv(path: Path, rows) -> Path:
    return write_csv(path, rows, ALLOCATION_COLUMNS)
