"""CSV files of demands for the import tests and the benchmark, made from a seed."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from portal.cotation.dictionary import read_dictionary
from portal.demands import services
from portal.demands.imports.demands import columns
from tests.support import CONTENT_DIR

DICTIONARY = read_dictionary(CONTENT_DIR / "cotation" / "facts.yaml")
COLUMNS = columns(DICTIONARY)
# The yes/no facts the demonstration grids read (drawn from the main random stream, as always).
FLAG_FACTS = (
    "dalo",
    "pdalhpd",
    "violence",
    "disability",
    "eviction",
    "homeless",
    "temporary_housing",
    "hosted",
    "overcrowding",
    "job_distance",
    "urban_renewal",
    "under_occupation",
)
HOUSING_SITUATIONS = ("private_tenant", "with_family", "with_third_party", "temporary", "homeless")

COMMUNES = ("72181", "72003", "72095", "72008", "72213")


def demand_rows(count: int, seed: int = 7, hash_every: int = 1000):
    """Rows of valid demands; one Argon2 hash is made and reused, to keep big files quick to write."""
    rng = random.Random(seed)
    more = random.Random(seed + 1)  # the facts added later: the main stream stays as it was
    shared_hash = services.hash_lookup("0720325000001G0101", dt.date(1980, 1, 1))
    for index in range(count):
        filed_on = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
        allocated = rng.random() < 0.1
        row = {
            # Six digits of sequence per desk code: beyond 999,999 rows the desk code changes.
            "number": f"072{filed_on:%m%y}{index % 999_999 + 1:06d}G{index // 999_999:04d}",
            "lookup_hash": shared_hash,
            "filed_on": filed_on.isoformat(),
            "renewed_on": "",
            "status": "allocated" if allocated else "active",
            "mutation": "1" if rng.random() < 0.2 else "0",
            "dwelling_type": rng.choice(("T1", "T2", "T3", "T4", "T5")),
            "first_commune": rng.choice(COMMUNES),
            "other_communes": "",
            "household_size": str(rng.randint(1, 6)),
            "allocated_on": (filed_on + dt.timedelta(days=rng.randint(30, 900))).isoformat()
            if allocated
            else "",
            "checked": "",
            "housing_cost_ratio": f"{rng.uniform(10, 60):.1f}",
            "refusals": str(rng.choice((0, 0, 1))),
        }
        for flag in FLAG_FACTS:
            row[flag] = "1" if rng.random() < 0.05 else "0"
        size = int(row["household_size"])
        row.update(
            dependants=str(more.randint(0, size - 1)),
            single_parent="1" if size > 1 and more.random() < 0.15 else "0",
            income=str(more.randint(6000, 45000)),
            rent=str(more.randint(250, 900)),
            housing_situation=more.choice(HOUSING_SITUATIONS),
            separated_on=(filed_on - dt.timedelta(days=more.randint(0, 700))).isoformat()
            if more.random() < 0.1
            else "",
        )
        yield row


def write_csv(path: Path, rows, columns=COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def event_rows(demands: list[dict], seed: int = 8):
    """A history for the given demand rows: renewals, committee decisions, offers and refusals."""
    from portal.demands.services import normalize_number

    rng = random.Random(seed)
    for demand in demands:
        filed_on = dt.date.fromisoformat(demand["filed_on"])
        number = normalize_number(demand["number"])
        if rng.random() < 0.5:
            yield {"number": number, "kind": "renewed", "occurred_on": filed_on + dt.timedelta(days=360)}
        if rng.random() < 0.3:
            day = filed_on + dt.timedelta(days=rng.randint(30, 300))
            yield {
                "number": number,
                "kind": "offer",
                "occurred_on": day,
                "dwelling_type": demand["dwelling_type"],
                "commune": demand["first_commune"],
            }
            yield {
                "number": number,
                "kind": "decision",
                "occurred_on": day + dt.timedelta(days=10),
                "rank": rng.choice((1, 2, 3)),
                "reasons": "Candidat classé après un ménage prioritaire.",
            }
            if rng.random() < 0.5:
                yield {
                    "number": number,
                    "kind": "refusal",
                    "occurred_on": day + dt.timedelta(days=20),
                    "reasons": "Logement trop éloigné du travail.",
                }


def write_events_csv(path: Path, rows) -> Path:
    from portal.demands.imports.events import EVENT_COLUMNS

    return write_csv(path, rows, EVENT_COLUMNS)
