"""The observatory at scale, on SQLite and PostgreSQL: every indicator of the territory, filtered figures,
the public snapshot's refresh and one commune's public figures.

Usage: python bench/observatory.py [--demands N] [--allocations M] [--backends sqlite,postgresql]
(defaults 1,000,000 demands of which 100,000 allocated; a smaller N runs faster).

The data set is written once as the four CSV files the portal imports (demands, events, allocations,
stock), then imported into each backend through the real importers (import_demands, import_events,
import_allocations, import_stock), in a child process so that this process's peak memory is the
measurement's own. The demands are not scored (the observatory does not read scores). On PostgreSQL the
tables are ANALYZEd after the import, as autovacuum would soon do; SQLite has no statistics by default.

Data: demands filed over six years before the day measured, about one in eight for the largest commune
(Le Mans) as in the demo; ~M allocated over the last two years (allocation event from the demands file,
details in the allocations file: landlord, priority public, QPV, income quartile); renewals for half the
demands, ~4 % struck off with their event; a stock count for the last two years.

Measured in this process: (a) observatory() for the whole territory with every commune, median of 3;
(b) the same filtered to the largest commune, to one dwelling type, to one landlord; (c) refresh() (the
snapshot of every commune, committed); (d) one commune's public figures, p50/p95 over 500 requests across
the communes: through /api/v1/communes/<insee>/figures and the test client when the app has that route,
else public_figures() directly (the output says which); (e) this process's peak memory.
Targets: (a) < 5 s, (d) p95 < 200 ms. Last line JSON.

Measured on 2026-11-28 (2 cores shared with other test runs, 1M demands, 100k allocations): (a) SQLite
3.1 s, PostgreSQL 1.3 s; (c) 3.0 s and 1.4 s; (d) p95 0.9 ms and 1.1 ms through the API.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database, temporary_postgres_database
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' CSV writer

from portal import create_app, db
from portal.cotation.engine import FLAG_FACTS
from portal.demands.imports.allocations import ALLOCATION_COLUMNS, import_allocations
from portal.demands.imports.demands import COLUMNS, import_demands
from portal.demands.imports.events import EVENT_COLUMNS, import_events
from portal.demands.imports.stock import STOCK_COLUMNS, import_stock
from portal.demands.models import DWELLING_TYPES
from portal.demands.services import hash_lookup
from portal.observatory import services
from portal.observatory.figures import Period
from portal.observatory.indicators import Filters, observatory
from portal.territory.models import Commune

DAY = dt.date(2026, 11, 1)  # the day measured: "last year" is the twelve months before it
BIG_COMMUNE = "72181"  # Le Mans: most demands wish for it
LANDLORDS = ("OPH-AGGLO", "BAILLEUR-DEP", "ESH-DEMO")
TYPE_WEIGHTS = (8, 22, 36, 25, 9)
FILES = ("demands.csv", "events.csv", "allocations.csv", "stock.csv")
TARGET_TERRITORY_S = 5.0
TARGET_PUBLIC_P95_MS = 200.0
REQUESTS = 500


# --- the data set ---------------------------------------------------------------------------------


def _writer(path: Path, columns):
    handle = path.open("w", newline="", encoding="utf-8")
    writer = csv.DictWriter(handle, fieldnames=columns)
    writer.writeheader()
    return handle, writer


def write_files(
    folder: Path, communes: dict[str, int], demands: int, allocations: int, seed: int = 8
) -> None:
    """The four files, streamed: demands (with allocated_on), events, allocations' details and stock."""
    rng = random.Random(seed)
    shared_hash = hash_lookup("0720325000001G0101", dt.date(1980, 1, 1))
    codes = list(communes)
    weights = [8 if insee == BIG_COMMUNE else 1 for insee in codes]
    handles = []
    try:
        opened = [
            _writer(folder / name, columns)
            for name, columns in zip(FILES[:3], (COLUMNS, EVENT_COLUMNS, ALLOCATION_COLUMNS), strict=True)
        ]
        handles = [handle for handle, _ in opened]
        demand_out, event_out, allocation_out = (writer for _, writer in opened)
        share = allocations / demands
        for index in range(demands):
            allocated = rng.random() < share
            struck = not allocated and rng.random() < 0.04
            if allocated:
                allocated_on = DAY - dt.timedelta(days=rng.randint(1, 730))
                filed_on = allocated_on - dt.timedelta(days=rng.randint(20, 1500))
            else:
                filed_on = DAY - dt.timedelta(days=rng.randint(1, 6 * 365))
            dwelling = rng.choices(DWELLING_TYPES, TYPE_WEIGHTS)[0]
            commune = rng.choices(codes, weights)[0]
            number = f"072{filed_on:%m%y}{index % 999_999 + 1:06d}G{index // 999_999:04d}"
            renewed_on = None
            if rng.random() < 0.5 and (DAY - filed_on).days > 370:
                renewed_on = filed_on + dt.timedelta(
                    days=365 * rng.randint(1, (DAY - filed_on).days // 366 or 1)
                )
                if renewed_on >= DAY or (allocated and renewed_on > allocated_on):
                    renewed_on = None
            row = {
                "number": number,
                "lookup_hash": shared_hash,
                "filed_on": filed_on.isoformat(),
                "renewed_on": renewed_on.isoformat() if renewed_on else "",
                "status": "allocated" if allocated else "struck_off" if struck else "active",
                "mutation": "1" if rng.random() < 0.2 else "0",
                "dwelling_type": dwelling,
                "first_commune": commune,
                "other_communes": "",
                "household_size": str(rng.randint(1, 6)),
                "allocated_on": allocated_on.isoformat() if allocated else "",
                "checked": "",
                "housing_cost_ratio": "",
                "refusals": "",
            }
            for flag in FLAG_FACTS:
                row[flag] = "1" if rng.random() < (0.08 if flag == "pdalhpd" else 0.03) else "0"
            demand_out.writerow(row)
            if renewed_on:
                event_out.writerow(
                    {"number": number, "kind": "renewed", "occurred_on": renewed_on.isoformat()}
                )
            if struck:
                off = filed_on + dt.timedelta(days=rng.randint(1, max(1, (DAY - filed_on).days - 1)))
                event_out.writerow({"number": number, "kind": "struck_off", "occurred_on": off.isoformat()})
            if allocated:
                elsewhere = rng.random() < 0.1  # sometimes allocated elsewhere, or another type
                allocation_out.writerow(
                    {
                        "number": number,
                        "allocated_on": allocated_on.isoformat(),
                        "commune": rng.choices(codes, weights)[0] if elsewhere else commune,
                        "dwelling_type": rng.choice(DWELLING_TYPES) if elsewhere else dwelling,
                        "landlord": rng.choice(LANDLORDS),
                        "priority": rng.choice(
                            ("none", "none", "none", "dalo", "accord_collectif", "other_priority")
                        ),
                        "qpv": "1" if rng.random() < 0.3 else "0",
                        "lowest_quartile": rng.choice(("0", "0", "1", "")),
                    }
                )
    finally:
        for handle in handles:
            handle.close()
    handle, stock_out = _writer(folder / FILES[3], STOCK_COLUMNS)
    with handle:
        for insee, population in communes.items():
            dwellings = (population or 2000) * (0.35 if insee == BIG_COMMUNE else 0.08) / 2.1
            for year in (DAY.year - 1, DAY.year):
                for dwelling, weight in zip(DWELLING_TYPES, TYPE_WEIGHTS, strict=True):
                    for landlord in LANDLORDS:
                        for financing in ("PLAI", "PLUS", "PLS"):
                            count = dwellings * weight / 100 / len(LANDLORDS) / 3 * rng.uniform(0.8, 1.2)
                            stock_out.writerow(
                                {
                                    "year": year,
                                    "commune": insee,
                                    "dwelling_type": dwelling,
                                    "landlord": landlord,
                                    "dwellings": max(1, round(count)),
                                    "financing": financing,
                                }
                            )


def build(url: str, folder: Path) -> None:
    """(Child process) import the four files through the portal's importers; print their times as JSON."""
    app = create_app(bench_settings(url, folder))
    timings = {}
    with app.app_context():
        session = db.session()
        for name, importer in zip(
            FILES, (import_demands, import_events, import_allocations, import_stock), strict=True
        ):
            started = time.perf_counter()
            importer(session, folder / name, DAY)
            session.commit()
            timings[name.removesuffix(".csv")] = round(time.perf_counter() - started, 1)
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
            session.commit()
    app.extensions["portal.db"].engine.dispose()
    timings["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(timings))


# --- the measures ---------------------------------------------------------------------------------


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median_of(work, runs: int = 3) -> float:
    return round(statistics.median(timed(work) for _ in range(runs)), 3)


def public_requests(app, session, communes: list[str]) -> tuple[str, list[float]]:
    """REQUESTS look-ups of one commune's figures, across the communes; (how, milliseconds each)."""
    rng = random.Random(3)
    picks = [rng.choice(communes) for _ in range(REQUESTS)]
    api = any(rule.rule == "/api/v1/communes/<insee>/figures" for rule in app.url_map.iter_rules())
    timings = []
    if api:
        app.extensions["portal.limiter"].enabled = False
        client = app.test_client()
        for insee in picks:
            started = time.perf_counter()
            response = client.get(f"/api/v1/communes/{insee}/figures")
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"/api/v1/communes/{insee}/figures answered {response.status_code}")
        return "API /api/v1/communes/<insee>/figures (test client)", timings
    for insee in picks:
        started = time.perf_counter()
        figures = services.public_figures(session, DAY, insee)
        timings.append((time.perf_counter() - started) * 1000)
        if figures is None:
            raise RuntimeError(f"no public figures for {insee}")
    return "public_figures() directly (no API route yet)", timings


def measure(url: str, folder: Path) -> dict:
    init_database(url, folder)
    result = subprocess.run(
        [sys.executable, __file__, "--build", url, "--folder", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"build failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    imports = json.loads(result.stdout.strip().splitlines()[-1])
    app = create_app(bench_settings(url, folder))
    period = Period.year_before(DAY)
    figures: dict = {"imports": imports}
    with app.app_context():
        session = db.session()
        communes = list(session.scalars(select(Commune.insee).order_by(Commune.insee)))
        whole = observatory(session, Filters(period), communes)
        figures["check"] = {
            "active": whole.territory.active_demands,
            "allocations": whole.territory.allocations,
            "wait_median_months": whole.territory.wait_median_months,
            "stock": whole.territory.stock,
        }
        figures["territory_s"] = median_of(lambda: observatory(session, Filters(period), communes))
        figures["commune_s"] = median_of(lambda: observatory(session, Filters(period, commune=BIG_COMMUNE)))
        figures["type_s"] = median_of(
            lambda: observatory(session, Filters(period, dwelling_type="T3"), communes)
        )
        figures["landlord_s"] = median_of(
            lambda: observatory(session, Filters(period, landlord=LANDLORDS[0]), communes)
        )

        def refresh() -> None:
            services.refresh(session, DAY)
            session.commit()

        figures["refresh_s"] = median_of(refresh)
        services.forget()
        figures["first_read_ms"] = round(
            timed(lambda: services.public_figures(session, DAY, BIG_COMMUNE)) * 1000, 1
        )
        how, timings = public_requests(app, session, communes)
        timings.sort()
        figures["public"] = {
            "how": how,
            "requests": len(timings),
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        }
        figures["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        figures["communes"] = len(communes)
        figures["demands"] = session.scalar(text("SELECT count(*) FROM demand"))
        figures["allocations"] = session.scalar(text("SELECT count(*) FROM allocation"))
        figures["events"] = session.scalar(text("SELECT count(*) FROM demand_event"))
    app.extensions["portal.db"].engine.dispose()
    return figures


def populations(folder: Path) -> dict[str, int]:
    """The territory's communes (`portal init` on a scratch SQLite database) and their populations."""
    url = f"sqlite:///{folder / 'communes.db'}"
    init_database(url, folder)
    app = create_app(bench_settings(url, folder))
    with app.app_context():
        rows = dict(
            db.session().execute(select(Commune.insee, Commune.population).order_by(Commune.insee)).all()
        )
    app.extensions["portal.db"].engine.dispose()
    return rows


def table(results: dict) -> None:
    def verdict(value: float, target: float) -> str:
        return "ok" if value < target else "MISSED"

    for backend, f in results.items():
        imports = f["imports"]
        print(
            f"\n{backend}: {f['demands']:,} demands, {f['allocations']:,} allocations, "
            f"{f['events']:,} events, {f['communes']} communes; imports (s) demands {imports['demands']}, "
            f"events {imports['events']}, allocations {imports['allocations']}, stock {imports['stock']} "
            f"(child peak {imports['peak_mb']} MB)"
        )
        rows = (
            (
                "(a) territory, every commune, all indicators",
                f"{f['territory_s']:.2f} s",
                verdict(f["territory_s"], TARGET_TERRITORY_S),
            ),
            ("(b) one commune (Le Mans)", f"{f['commune_s']:.2f} s", ""),
            ("(b) one dwelling type (T3)", f"{f['type_s']:.2f} s", ""),
            ("(b) one landlord", f"{f['landlord_s']:.2f} s", ""),
            ("(c) refresh (snapshot of every commune)", f"{f['refresh_s']:.2f} s", ""),
            ("(d) first read after a refresh", f"{f['first_read_ms']} ms", ""),
            (
                f"(d) public figures p50 / p95 ({f['public']['requests']})",
                f"{f['public']['p50_ms']} / {f['public']['p95_ms']} ms",
                verdict(f["public"]["p95_ms"], TARGET_PUBLIC_P95_MS),
            ),
            ("(e) peak memory of the measuring process", f"{f['peak_mb']} MB", ""),
        )
        for label, value, note in rows:
            print(f"  {label:48} {value:>18}  {note}")
        print(f"  public figures measured through: {f['public']['how']}")
        print(f"  check: {f['check']}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--allocations", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--build", help=argparse.SUPPRESS)  # child: import the files into this database
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, Path(args.folder))
        return
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_files(folder, populations(folder), args.demands, args.allocations)
        print(f"files written in {time.perf_counter() - started:.0f} s", flush=True)
        for backend in backends:
            if backend == "sqlite":
                results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder)
            elif backend == "postgresql":
                with temporary_postgres_database() as url:
                    results["postgresql"] = measure(url, folder)
            else:
                parser.error(f"unknown backend {backend}")
            print(f"{backend} measured", flush=True)
    table(results)
    print(
        json.dumps(
            {
                "benchmark": "observatory",
                "demands": args.demands,
                "allocations": args.allocations,
                "targets": {"territory_s": TARGET_TERRITORY_S, "public_p95_ms": TARGET_PUBLIC_P95_MS},
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
