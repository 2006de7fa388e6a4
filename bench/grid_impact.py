"""The grid editor's impact page and activation at scale, on SQLite and PostgreSQL.

Usage: python bench/grid_impact.py [--demands N] (default 100,000; 1,000,000 takes some minutes).
Each backend gets a database of its own (`portal init`, then `portal demands import` of N generated
demands, which scores them). Then, in this process: a draft copied from the general grid with the DALO
criterion changed, its impact (every active general demand scored twice, ranks compared in each queue),
and the recompute an activation today runs. Peak memory is this process's maximum resident size.
Last line JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database, temporary_postgres_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' CSV writer

from portal import clock, create_app, db
from portal.cotation import operations
from portal.cotation.services import stored_grids
from portal.demands.impact import grid_impact
from portal.demands.scoring import recompute
from tests.demand_files import demand_rows, write_csv

PORTAL = str(Path(sys.executable).with_name("portal"))


def import_demands(url: str, folder: Path, csv_path: Path) -> None:
    environ = dict(
        os.environ,
        PORTAL_DATABASE_URL=url,
        PORTAL_INSTANCE_DIR=str(folder),
        PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
    )
    subprocess.run([PORTAL, "demands", "import", str(csv_path)], env=environ, check=True, capture_output=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, folder: Path, csv_path: Path) -> dict:
    init_database(url, folder)
    import_demands(url, folder, csv_path)
    app = create_app(bench_settings(url, folder))
    app.extensions["portal.limiter"].enabled = False
    today = clock.today()
    with app.app_context():
        session = db.session()
        draft = operations.create_draft(session, None, None, "general", today)
        operations.change_criterion(session, None, None, draft, "dalo", {"points": 80})
        session.commit()
        before_mb = peak_mb()
        started = time.perf_counter()
        impact = grid_impact(session, operations.grid_file(draft), today, None)
        impact_s = time.perf_counter() - started
        impact_mb = peak_mb()
        operations.activate(session, None, None, draft, today, today)
        session.commit()
        grids = stored_grids(session)
        session.close()
        started = time.perf_counter()
        scored, changed = recompute(db.database().sessions, grids, today, None)
        recompute_s = time.perf_counter() - started
    app.extensions["portal.db"].engine.dispose()
    return {
        "impact_s": round(impact_s, 1),
        "impact_demands": impact.demands,
        "queues": impact.segment_count,
        "up": impact.up,
        "down": impact.down,
        "peak_mb_before": round(before_mb),
        "peak_mb_after_impact": round(impact_mb),
        "activation_recompute_s": round(recompute_s, 1),
        "rescored": scored,
        "changed": changed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demands", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = write_csv(folder / "demands.csv", demand_rows(args.demands))
        if args.backend in ("sqlite", "both"):
            results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, csv_path)
        if args.backend in ("postgresql", "both"):
            with temporary_postgres_database() as url:
                results["postgresql"] = measure(url, folder, csv_path)
    for backend, figures in results.items():
        print(
            f"{backend:10} impact of a draft on {figures['impact_demands']:,} active demands in "
            f"{figures['impact_s']} s ({figures['queues']} queues, {figures['up']:,} up, "
            f"{figures['down']:,} down; peak {figures['peak_mb_after_impact']} MB, "
            f"{figures['peak_mb_before']} MB before); "
            f"activation recompute {figures['activation_recompute_s']} s "
            f"({figures['rescored']:,} scored, {figures['changed']:,} changed)"
        )
    print(json.dumps({"benchmark": "grid_impact", "demands": args.demands, "results": results}))


if __name__ == "__main__":
    main()
