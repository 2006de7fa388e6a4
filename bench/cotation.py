"""Demands at scale, on SQLite and PostgreSQL: import rate and peak memory, full recompute, position query.

Usage: python bench/cotation.py [--demands N] (default 1,000,000; a smaller N runs faster).
The import and the full recompute that follows it run as `portal demands import`, in a child process
whose peak memory is read from the operating system; the times are the ones the command prints.
The position p95 excludes the look-up's deliberate Argon2 cost, which is reported apart.
Targets: import >= 20,000 rows/s with < 500 MB peak, recompute < 60 s, position p95 < 30 ms.
Last line JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database, temporary_postgres_database
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' CSV writer

from portal import create_app, db
from portal.demands.models import Demand
from portal.demands.services import HASHER, queue_position
from tests.demand_files import demand_rows, write_csv

PORTAL = str(Path(sys.executable).with_name("portal"))


def child(args: list[str], environ: dict) -> tuple[float, float, str]:
    """Run a portal command; (seconds, peak memory of the child in MB, its output)."""
    started = time.perf_counter()
    result = subprocess.run([PORTAL, *args], env=environ, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"portal {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, result.stdout.strip()


def measure(url: str, folder: Path, csv_path: Path, count: int) -> dict:
    init_database(url, folder)
    environ = dict(
        os.environ,
        PORTAL_DATABASE_URL=url,
        PORTAL_INSTANCE_DIR=str(folder),
        PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
    )
    # The command imports, then scores every demand (a full recompute); it prints both times.
    _, peak_mb, output = child(["demands", "import", str(csv_path)], environ)
    import_seconds = float(re.search(r"imported in ([\d.]+) s", output).group(1))
    recompute_seconds = float(re.search(r"scored in ([\d.]+) s", output).group(1))
    settings = bench_settings(url, folder)
    app = create_app(settings)
    timings = []
    with app.app_context():
        session = db.session()
        ids = list(session.scalars(select(Demand.id).where(Demand.status == "active")))
        rng = random.Random(5)
        for demand_id in rng.sample(ids, min(300, len(ids))):
            demand = session.get(Demand, demand_id)
            started = time.perf_counter()
            queue_position(session, demand)
            timings.append((time.perf_counter() - started) * 1000)
            session.expunge_all()
    app.extensions["portal.db"].engine.dispose()
    timings.sort()
    return {
        "import": {
            "seconds": round(import_seconds, 1),
            "rows_per_s": round(count / import_seconds),
            "peak_mb": round(peak_mb),
        },
        "recompute_s": round(recompute_seconds, 1),
        "position": {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demands", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    for _ in range(5):
        HASHER.verify(HASHER.hash("0720325000001G0101|1980-01-01"), "0720325000001G0101|1980-01-01")
    argon2_ms = (time.perf_counter() - started) / 5 * 1000 / 2  # one hash and one check per round
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = write_csv(folder / "demands.csv", demand_rows(args.demands))
        results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, csv_path, args.demands)
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, csv_path, args.demands)
    for backend, figures in results.items():
        print(
            f"{backend:10} import {figures['import']['rows_per_s']:>8,} rows/s "
            f"({figures['import']['seconds']} s, peak {figures['import']['peak_mb']} MB)  "
            f"recompute {figures['recompute_s']} s  position p50 {figures['position']['p50_ms']} ms "
            f"p95 {figures['position']['p95_ms']} ms"
        )
    print(f"argon2 look-up cost (apart): about {argon2_ms:.0f} ms per check")
    print(
        json.dumps(
            {
                "benchmark": "cotation",
                "demands": args.demands,
                "argon2_ms": round(argon2_ms, 1),
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
