"""The selection of candidates for a vacant dwelling among a large territory's demands, and the yearly
flux report of a year's allocations.

Usage: python bench/selection.py [--demands N] [--allocations M] [--seed S] (default 1,000,000 demands
and 100,000 allocations, seed 5).
The demands are drawn over the territory's communes (`portal init`), the larger towns holding most: a
dwelling type near the household's size, a first commune and up to two others nearby, 85 % active, a
score from the grid's usual range, an income for most. They are written to SQLite, then PostgreSQL, with
M allocations of the last year (landlords, reservation holders the dwellings were offered to and went to,
financing, construction year). Measured on each backend:
- the candidates of 200 vacant dwellings, drawn uniformly over the communes and types (small communes as
  often as the central town: the slowest case for the index walk), and of 200 drawn like the demands;
- the flux report of the largest landlord and of the largest holder (cells, totals and forecast).
Targets: a candidate list p95 < 200 ms; a flux report < 10 s. Last line JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from _common import init_database, temporary_postgres_database
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.demands.models import DWELLING_TYPES, Allocation, Demand
from portal.information.eligibility import ceilings_on, read_all_ceilings
from portal.priority import flux, selection
from portal.territory.models import Commune

TODAY = dt.date(2026, 12, 7)
LANDLORDS = ("oph-agglo", "sarthe-habitat", "esh-ouest", "cdc-habitat", "podeliha")
HOLDERS = ("action-logement", "etat-sarthe", "le-mans-metropole")
FINANCINGS = ("PLAI", "PLUS", "PLUS", "PLUS", "PLS")


def p95_of(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0


def draw_demands(rng: random.Random, count: int, communes: list[str], weights: list[float]):
    for index in range(count):
        size = rng.choices((1, 2, 3, 4, 5, 6), (30, 27, 18, 14, 7, 4))[0]
        kind = DWELLING_TYPES[min(4, max(0, size - 1 + rng.choice((-1, 0, 0, 1))))]
        first = rng.choices(communes, weights)[0]
        others = " ".join(sorted(set(rng.choices(communes, weights, k=rng.randint(0, 2))) - {first}))
        filed = TODAY - dt.timedelta(days=rng.randint(1, 2000))
        facts = {"income": rng.randint(6000, 60000)} if rng.random() < 0.85 else {}
        if rng.random() < 0.03:
            facts["dalo"] = True
        yield {
            "number": f"072{index:010d}G0101",
            "lookup_hash": "x",
            "filed_on": filed,
            "expires_on": filed + dt.timedelta(days=365),
            "status": "active" if rng.random() < 0.85 else rng.choice(("allocated", "struck_off")),
            "mutation": rng.random() < 0.3,
            "dwelling_type": kind,
            "first_commune_insee": first,
            "other_communes": others,
            "household_size": size,
            "facts": facts,
            "checked": [],
            "score_total": rng.randint(0, 400) + (TODAY - filed).days // 30,
            "score_lines": [],
            "grid_code": "bench",
            "grid_version": 1,
        }


def draw_allocations(rng: random.Random, count: int, communes: list[str], weights: list[float]):
    for index in range(count):
        holder = rng.choice(HOLDERS + LANDLORDS[:1])
        offered = holder if rng.random() < 0.85 else rng.choice(HOLDERS)
        yield {
            "demand_number": f"073{index:010d}A0101",
            "allocated_on": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
            "commune_insee": rng.choices(communes, weights)[0],
            "dwelling_type": rng.choice(DWELLING_TYPES),
            "landlord": rng.choices(LANDLORDS, (40, 25, 15, 12, 8))[0],
            "priority": rng.choice(("none", "none", "dalo", "other_priority")),
            "in_qpv": rng.random() < 0.3,
            "lowest_quartile": rng.choice((True, False, None)),
            "offered_to": offered,
            "holder": holder,
            "financing": rng.choice(FINANCINGS),
            "built_year": rng.randint(1950, 2024) if rng.random() < 0.9 else None,
        }


def write(url: str, rows, table, batch: int = 20_000) -> float:
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as connection:
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == batch:
                connection.execute(table.insert(), chunk)
                chunk = []
        if chunk:
            connection.execute(table.insert(), chunk)
    engine.dispose()
    return time.perf_counter() - started


def measure(url: str, folder: Path, arguments) -> dict:
    environ = dict(
        os.environ, PORTAL_DATABASE_URL=url, PORTAL_INSTANCE_DIR=str(folder), PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
    )  # fmt: skip
    init_database(url, folder, environ)
    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(select(Commune.insee, Commune.ceiling_zone)).all()
    communes = [insee for insee, _zone in rows]
    zones = dict(rows)
    weights = [1 / (1 + index) ** 1.1 for index in range(len(communes))]  # the first commune is the city
    rng = random.Random(arguments.seed)
    demands_s = write(url, draw_demands(rng, arguments.demands, communes, weights), Demand.__table__)
    allocations_s = write(
        url, draw_allocations(rng, arguments.allocations, communes, weights), Allocation.__table__
    )
    ceilings = ceilings_on(read_all_ceilings(Path(__file__).resolve().parent.parent / "content"), TODAY)
    uniform = [(rng.choice(communes), rng.choice(DWELLING_TYPES)) for _ in range(200)]
    weighted = [(rng.choices(communes, weights)[0], rng.choice(DWELLING_TYPES)) for _ in range(200)]
    timings: dict[str, list[float]] = {"uniform": [], "weighted": []}
    sizes = []
    with Session(engine) as session:
        for name, asked in (("uniform", uniform), ("weighted", weighted)):
            for commune, kind in asked:
                vacancy = selection.Vacancy(
                    "oph-agglo", commune, kind, rng.choice(FINANCINGS), Decimal("480")
                )
                started = time.perf_counter()
                found = selection.candidates(session, vacancy, ceilings, zones[commune], TODAY)
                timings[name].append((time.perf_counter() - started) * 1000)
                sizes.append(len(found))
                session.expunge_all()
        reports = {}
        for scope, name in (("landlord", LANDLORDS[0]), ("holder", HOLDERS[0])):
            started = time.perf_counter()
            cells = flux.report(session, 2025, scope, (name,))
            other = "holder" if scope == "landlord" else "landlord"
            for dimensions in (
                (other,),
                ("dwelling_type",),
                ("financing",),
                ("in_qpv",),
                ("commune_insee",),
                ("period",),
            ):
                flux.totals(cells, *dimensions)
            flux.forecast(session, 2025, cells)
            reports[scope] = {"seconds": round(time.perf_counter() - started, 2), "cells": len(cells)}
    engine.dispose()
    return {
        "demands_written_s": round(demands_s, 1),
        "allocations_written_s": round(allocations_s, 1),
        "candidates_uniform_p50_ms": round(statistics.median(timings["uniform"]), 1),
        "candidates_uniform_p95_ms": round(p95_of(timings["uniform"]), 1),
        "candidates_weighted_p50_ms": round(statistics.median(timings["weighted"]), 1),
        "candidates_weighted_p95_ms": round(p95_of(timings["weighted"]), 1),
        "candidates_median_listed": statistics.median(sizes),
        "flux": reports,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--allocations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=5)
    arguments = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, arguments)
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, arguments)
    for backend, found in results.items():
        print(
            f"{backend:10} {arguments.demands} demands written in {found['demands_written_s']} s; candidates "
            f"(uniform over communes and types) p50 {found['candidates_uniform_p50_ms']} ms, "
            f"p95 {found['candidates_uniform_p95_ms']} ms; (drawn like the demands) p50 "
            f"{found['candidates_weighted_p50_ms']} ms, p95 {found['candidates_weighted_p95_ms']} ms "
            f"(target < 200 ms; median {found['candidates_median_listed']} listed); flux report of "
            f"{arguments.allocations} allocations: landlord {found['flux']['landlord']['seconds']} s, holder "
            f"{found['flux']['holder']['seconds']} s (target < 10 s)"
        )
    print(
        json.dumps({"demands": arguments.demands, "allocations": arguments.allocations, "database": results})
    )


if __name__ == "__main__":
    main()
