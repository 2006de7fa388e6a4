"""Demands at scale, on SQLite and PostgreSQL: import rate and peak memory, full recompute, position query.

Usage: python bench/cotation.py [--demands N] (default 1,000,000; a smaller N runs faster).
The grid in force is a next version of the demonstration's general grid that uses the grid language: computed
facts (months of waiting, remaining income per consumption unit, rent-to-income ratio), conditions (on a
category, on children, on a checked fact), points that end or fade after a date, and refusals counted from
the events over 12 months. The import and the full recompute that follows it run as `portal demands import`,
in a child process whose peak memory is read from the operating system; then `portal demands
import-events` brings offers and refusals and scores every demand again, reading the events. The times are
the ones the commands print. The position p95 excludes the look-up's deliberate Argon2 cost, which is
reported apart.
Targets: import >= 20,000 rows/s with < 500 MB peak, recompute < 60 s, position p95 < 30 ms.
Last line JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from _common import bench_settings, init_database, temporary_postgres_database
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' CSV writer

from portal import create_app, db
from portal.config import PROJECT_ROOT
from portal.cotation.services import grid_version
from portal.demands.models import Demand
from portal.demands.services import HASHER, queue_position
from tests.demand_files import demand_rows, event_rows, write_csv, write_events_csv

LANGUAGE_CRITERIA = [
    {
        "code": "reste_a_vivre",
        "kind": "bands",
        "fact": "reste_par_uc",
        "bands": [{"min": -100000, "max": 250, "points": 20}, {"min": 250, "max": 400, "points": 10}],
    },
    {
        "code": "suroccupation_enfants",
        "kind": "condition",
        "points": 10,
        "when": "overcrowding and children_under_14 >= 1 and housing_situation != 'homeless'",
    },
    {"code": "tiers", "kind": "condition", "points": 8, "when": "housing_situation == 'with_third_party'"},
    {"code": "parent_seul", "kind": "flag", "fact": "single_parent", "points": 5, "when": "dependants >= 1"},
    {"code": "separation", "kind": "since", "fact": "separated_on", "points": 30, "months": 12},
    {"code": "perte_emploi", "kind": "since", "fact": "job_lost_on", "points": 24, "fade": 2},
    {
        "code": "violences_prouvees",
        "kind": "flag",
        "fact": "violence",
        "points": 10,
        "when": "checked(violence)",
    },
    {"code": "refus_12_mois", "kind": "events", "fact": "refusal", "points": -10, "months": 12, "cap": 3},
]


def bench_content(folder: Path) -> Path:
    """A copy of content/ whose general grid has a next version (in force from February 2026) written with
    computed facts, conditions, expiring points and refusals read from the events."""
    content = folder / "content"
    shutil.copytree(PROJECT_ROOT / "content", content, ignore=shutil.ignore_patterns("examples"))
    grid = yaml.safe_load((content / "cotation" / "general.yaml").read_text(encoding="utf-8"))
    grid.update(version=grid["version"] + 1, effective_from=dt.date(2026, 2, 1))
    grid["computed"].update(
        reste_par_uc={
            "expression": "(income / 12 - rent) / consumption_units(household_size, children_under_14)",
            "label": {"fr": "Reste à vivre par unité de consommation"},
        },
        taux_effort_calcule={"expression": "100 * rent * 12 / income", "label": {"fr": "Taux d'effort"}},
    )
    grid["criteria"] = [item for item in grid["criteria"] if item["code"] != "refus"]
    for item in LANGUAGE_CRITERIA:
        grid["criteria"].append({**item, "label": {"fr": item["code"]}, "explanation": {"fr": item["code"]}})
    (content / "cotation" / "general_bench.yaml").write_text(
        yaml.safe_dump(grid, allow_unicode=True), "utf-8"
    )
    return content


PORTAL = str(Path(sys.executable).with_name("portal"))


def child(args: list[str], environ: dict) -> tuple[float, float, str]:
    """Run a portal command; (seconds, peak memory of that command in MB, its output). The peak is the
    command's own (os.wait4), not the largest of every command run so far (`portal init` prints guides)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(
            [PORTAL, *args], env=environ, stdout=out, stderr=subprocess.STDOUT, text=True
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if process.returncode:
        raise RuntimeError(f"portal {' '.join(args)} failed:\n{output[-4000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, output.strip()


def measure(url: str, folder: Path, paths: tuple[Path, Path], count: int, content: Path) -> dict:
    csv_path, events_path = paths
    environ = dict(
        os.environ,
        PORTAL_DATABASE_URL=url,
        PORTAL_INSTANCE_DIR=str(folder),
        PORTAL_CONTENT_DIR=str(content),
        PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
        # The import's own memory, not the guides' (new figures print the public guides again).
        PORTAL_GUIDES_PRERENDER="0",
    )
    init_database(url, folder, environ)
    # The command imports, then scores every demand (a full recompute); it prints both times.
    _, peak_mb, output = child(["demands", "import", str(csv_path)], environ)
    import_seconds = float(re.search(r"imported in ([\d.]+) s", output).group(1))
    recompute_seconds = float(re.search(r"scored in ([\d.]+) s", output).group(1))
    _, _, output = child(["demands", "import-events", str(events_path)], environ)
    found = re.search(r"scored in ([\d.]+) s", output)
    assert found, output
    with_events_seconds = float(found.group(1))
    settings = bench_settings(url, folder, content)
    app = create_app(settings)
    passes: list[list[float]] = [[], []]
    with app.app_context():
        session = db.session()
        ids = list(session.scalars(select(Demand.id).where(Demand.status == "active")))
        sample = random.Random(5).sample(ids, min(300, len(ids)))
        # Twice over the same demands: first with each segment's histogram still to read (as after a
        # restart), then with the histograms each process keeps two minutes.
        for timings in passes:
            for demand_id in sample:
                demand = session.get(Demand, demand_id)
                started = time.perf_counter()
                grid_file = grid_version(session, demand.grid_code, demand.grid_version)
                queue_position(session, demand, grid_file.grid.ties)
                timings.append((time.perf_counter() - started) * 1000)
                session.expunge_all()
    app.extensions["portal.db"].engine.dispose()
    for timings in passes:
        timings.sort()
    return {
        "import": {
            "seconds": round(import_seconds, 1),
            "rows_per_s": round(count / import_seconds),
            "peak_mb": round(peak_mb),
        },
        "recompute_s": round(recompute_seconds, 1),
        "recompute_with_events_s": round(with_events_seconds, 1),
        "position": {
            "p50_ms": round(statistics.median(passes[1]), 2),
            "p95_ms": round(passes[1][int(len(passes[1]) * 0.95) - 1], 2),
            "first_in_segment_p95_ms": round(passes[0][int(len(passes[0]) * 0.95) - 1], 2),
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
        content = bench_content(folder)
        # Streamed, twice from the same seed: holding a million rows here would count in every child's
        # peak memory (a child starts as a copy of this process).
        paths = (
            write_csv(folder / "demands.csv", demand_rows(args.demands)),
            write_events_csv(folder / "events.csv", event_rows(demand_rows(args.demands))),
        )
        results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, paths, args.demands, content)
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, paths, args.demands, content)
    for backend, figures in results.items():
        print(
            f"{backend:10} import {figures['import']['rows_per_s']:>8,} rows/s "
            f"({figures['import']['seconds']} s, peak {figures['import']['peak_mb']} MB)  "
            f"recompute {figures['recompute_s']} s (with events {figures['recompute_with_events_s']} s)  "
            f"position p50 {figures['position']['p50_ms']} ms "
            f"p95 {figures['position']['p95_ms']} ms "
            f"(histograms to read: p95 {figures['position']['first_in_segment_p95_ms']} ms)"
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
