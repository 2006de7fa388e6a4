"""The applicant's situation page with the outcome curve and the what-if, at scale, on SQLite and PostgreSQL.

Usage: python bench/chances.py [--demands N] (default 1,000,000, of which about 100,000 allocated).
The demands file is imported with `portal demands import` (which scores every demand, then counts what
past demands became: the time of that count is read from its output). Then, in this process, the
situation page of 200 active demands drawn at random is asked through the app (a look-up session made
directly: the look-up's deliberate Argon2 cost is measured by bench/cotation.py), twice: first as after
a restart (the histograms each process keeps are still to read), then again. The same 200 demands' outcome
and what-if alone are timed too.
Target: the situation page with curve and what-if, p95 < 100 ms on both backends. Last line JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database, open_session, temporary_postgres_database
from cotation import bench_content, child
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' CSV writer

from portal import clock, create_app, db
from portal.demands.models import Allocation, Demand, DemandEvent, DemandOutcome
from portal.demands.presenting import chances_context
from portal.demands.services import forget_histograms
from tests.demand_files import demand_rows, write_csv

SAMPLE = 200


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[int(len(ordered) * 0.95) - 1], 1)


def measure(url: str, folder: Path, csv_path: Path, content: Path) -> dict:
    environ = dict(
        os.environ,
        PORTAL_DATABASE_URL=url,
        PORTAL_INSTANCE_DIR=str(folder),
        PORTAL_CONTENT_DIR=str(content),
        PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
        PORTAL_GUIDES_PRERENDER="0",
    )
    init_database(url, folder, environ)
    started = time.perf_counter()
    _, _, output = child(["demands", "import", str(csv_path)], environ)
    import_and_score_s = time.perf_counter() - started
    found = re.search(r"Outcomes of past demands counted \((\d+) segment-months\) in ([\d.]+) s", output)
    assert found, output
    app = create_app(bench_settings(url, folder, content))
    pages: list[list[float]] = [[], []]
    alone: list[float] = []
    with app.app_context():
        dbs = db.session()
        counts = {
            "demands": dbs.scalar(select(func.count()).select_from(Demand)),
            "allocations": dbs.scalar(
                select(func.count()).select_from(DemandEvent).where(DemandEvent.kind == "allocation")
            ),
            "outcome_rows": dbs.scalar(select(func.count()).select_from(DemandOutcome)),
            "allocation_details": dbs.scalar(select(func.count()).select_from(Allocation)),
        }
        ids = list(
            dbs.scalars(select(Demand.id).where(Demand.status == "active", Demand.score_total.is_not(None)))
        )
        sample = random.Random(11).sample(ids, min(SAMPLE, len(ids)))
        client = app.test_client()
        forget_histograms()
        for timings in pages:
            for demand_id in sample:
                open_session(client, "lookup", 15, demand_id=demand_id)
                started = time.perf_counter()
                response = client.get("/fr/ma-demande/situation")
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
                assert b"what-if-title" in response.data and b"outcome-title" in response.data
        today = clock.today()
        for demand_id in sample:
            demand = dbs.get(Demand, demand_id)
            started = time.perf_counter()
            chances_context(demand, today, ())
            alone.append((time.perf_counter() - started) * 1000)
            dbs.expunge_all()
    app.extensions["portal.db"].engine.dispose()
    return {
        **counts,
        "import_and_score_s": round(import_and_score_s, 1),
        "outcomes_rebuild_s": float(found.group(2)),
        "page_first_p50_ms": round(statistics.median(pages[0]), 1),
        "page_first_p95_ms": p95(pages[0]),
        "page_p50_ms": round(statistics.median(pages[1]), 1),
        "page_p95_ms": p95(pages[1]),
        "chances_alone_p95_ms": p95(alone),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demands", type=int, default=1_000_000)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        content = bench_content(folder)
        csv_path = write_csv(folder / "demands.csv", demand_rows(args.demands))
        results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, csv_path, content)
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, csv_path, content)
    for backend, figures in results.items():
        print(
            f"{backend:10} {figures['demands']:,} demands, {figures['allocations']:,} allocations; "
            f"outcomes counted in {figures['outcomes_rebuild_s']} s ({figures['outcome_rows']:,} rows); "
            f"situation page p50 {figures['page_p50_ms']} ms p95 {figures['page_p95_ms']} ms "
            f"(after a restart: p95 {figures['page_first_p95_ms']} ms); "
            f"curve and what-if alone p95 {figures['chances_alone_p95_ms']} ms"
        )
    print(json.dumps({"benchmark": "chances", "demands": args.demands, "results": results}))


if __name__ == "__main__":
    main()
