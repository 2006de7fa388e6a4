"""Latency of the base pages through the whole Flask stack, on SQLite and PostgreSQL.

Usage: python bench/pages.py [--requests N]. Prints one line per backend and page, last line JSON.
PostgreSQL is read from PORTAL_TEST_POSTGRES_URL (default: the local test server); a database of its
own is created and dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from portal import create_app, migrations
from portal.config import load_settings
from portal.db import make_engine
from portal.territory.services import read_territory, sync_communes

PAGES = {"home": "/fr/", "legal (ar)": "/ar/mentions-legales", "site map": "/fr/plan-du-site", "404": "/fr/x"}
POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def prepare(url: str, content_dir: Path) -> None:
    engine = make_engine(url)
    migrations.upgrade(engine)
    with sessionmaker(engine).begin() as session:
        sync_communes(session, read_territory(content_dir))
    engine.dispose()


def measure(url: str, folder: Path, requests: int) -> dict[str, dict[str, float]]:
    settings = load_settings(
        environ={},
        env="testing",
        instance_dir=folder,
        secret_key="bench",
        database_url=url,
        ratelimit_default="1000000 per minute",
    )
    prepare(url, settings.content_dir)
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
        admin = create_engine(make_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
        name = f"portal_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
            results["postgresql"] = measure(url, folder, args.requests)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    for backend, pages in results.items():
        for page, figures in pages.items():
            print(
                f"{backend:10} {page:12} p50 {figures['p50_ms']:6.2f} ms  p95 {figures['p95_ms']:6.2f} ms  "
                f"{figures['per_s']:7.1f} req/s (one process, test client)"
            )
    print(json.dumps({"benchmark": "pages", "requests": args.requests, "results": results}))


if __name__ == "__main__":
    main()
