"""Latency of pages rendered in-process (Flask test client, no HTTP server), on SQLite and PostgreSQL.

Usage: python bench/render.py [--requests N]. Prints one line per backend and page, last line JSON.
PostgreSQL is read from PORTAL_TEST_POSTGRES_URL (default: the local test server); a database of its
own is created and dropped.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database, temporary_postgres_database

from portal import create_app

PAGES = {
    "information page": "/fr/informations/qui-peut-demander",
    # A query string bypasses the page cache: this is the cost of rendering the page from scratch.
    "information page, uncached": "/fr/informations/qui-peut-demander?render=1",
    "eligibility": "/fr/eligibilite",
    "home": "/fr/",
    "legal (ar)": "/ar/mentions-legales",
    "site map": "/fr/plan-du-site",
    "404": "/fr/x",
}


def measure(url: str, folder: Path, requests: int) -> dict[str, dict[str, float]]:
    settings = bench_settings(url, folder)
    init_database(url, folder)
    app = create_app(settings)
    client = app.test_client()
    figures = {}
    for name, path in PAGES.items():
        for _ in range(20):
            client.get(path)
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        figures[name] = {
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "per_s": round(1000 / statistics.mean(timings), 1),
        }
    app.extensions["portal.db"].engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, args.requests)
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, args.requests)
    for backend, pages in results.items():
        for page, figures in pages.items():
            print(
                f"{backend:10} {page:12} p50 {figures['p50_ms']:6.2f} ms  p95 {figures['p95_ms']:6.2f} ms  "
                f"{figures['per_s']:7.1f} req/s (one process, test client)"
            )
    print(json.dumps({"benchmark": "render", "requests": args.requests, "results": results}))


if __name__ == "__main__":
    main()
