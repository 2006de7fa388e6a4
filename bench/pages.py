"""Throughput and latency of a rendered information page against a static file of the same size,
both served by gunicorn (2 sync workers) on this machine, on SQLite and on PostgreSQL.

Usage: python bench/pages.py [--seconds S] [--clients N] [--backend sqlite|postgresql|both]
Prints one line per backend and target, then the page/static throughput ratio; last line JSON.
The load comes from N client threads spread over two processes, each request on a new connection
(gunicorn's sync workers do not keep connections alive). Client and server share the machine's cores,
so the ratio matters more than the absolute figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from _common import init_database, temporary_postgres_database

ROOT = Path(__file__).resolve().parent.parent
PAGE = "/fr/informations/qui-peut-demander"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, len(body)


def _client(port: int, path: str, seconds: float, threads: int, queue) -> None:
    latencies: list[float] = []
    errors = 0
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop():
        nonlocal errors
        local, failed, seen = [], 0, Counter()
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                status, _ = fetch(port, path)
            except OSError:
                failed += 1
                continue
            seen[status] += 1
            if status != 200:
                failed += 1
            local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)
            errors += failed
            statuses.update(seen)

    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((latencies, errors, statuses))


def load(port: int, path: str, seconds: float, clients: int) -> dict:
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=_client, args=(port, path, seconds, max(1, clients // 2), queue))
        for _ in range(2)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(value for latencies, _, _ in results for value in latencies)
    errors = sum(errors for _, errors, _ in results)
    statuses = sum((Counter(seen) for _, _, seen in results), Counter())
    return {
        "statuses": dict(statuses),
        "requests": len(latencies),
        "errors": errors,
        "per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2),
    }


def serve(environ: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "portal:create_app()",
        ],
        env=environ,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            if fetch(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")


def production_environ(database_url: str, folder: Path, **settings: str) -> dict:
    """The environment of the portal served as in production on this machine (SQLite or PostgreSQL, no
    Redis), with `settings` on top."""
    environ = dict(
        os.environ,
        PORTAL_ENV="production",
        PORTAL_DATABASE_URL=database_url,
        PORTAL_SECRET_KEY="bench-" + "k" * 40,
        PORTAL_INSTANCE_DIR=str(folder),
        PORTAL_PUBLIC_URL="https://logement.example.org",  # only canonical links name it
        PORTAL_LOG_LEVEL="WARNING",
        **settings,
    )
    environ.pop("PORTAL_REDIS_URL", None)
    return environ


def measure(database_url: str, folder: Path, seconds: float, clients: int) -> dict:
    environ = production_environ(database_url, folder, PORTAL_RATELIMIT_DEFAULT="100000000 per minute")
    init_database(database_url, folder)
    port = free_port()
    server = serve(environ, port)
    static = ROOT / "static" / f".bench-{uuid.uuid4().hex[:8]}.html"
    try:
        status, size = fetch(port, PAGE)
        assert status == 200, f"{PAGE} answered {status}"
        static.write_bytes(b"x" * size)
        static_path = f"/static/{static.name}"
        assert fetch(port, static_path) == (200, size)
        for path in (PAGE, static_path):  # warm both workers
            load(port, path, 1, clients)
        page = load(port, PAGE, seconds, clients)
        flat = load(port, static_path, seconds, clients)
    finally:
        static.unlink(missing_ok=True)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    return {"bytes": size, "page": page, "static": flat, "ratio": round(page["per_s"] / flat["per_s"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.backend in ("sqlite", "both"):
            results["sqlite"] = measure(
                f"sqlite:///{folder / 'bench.db'}", folder, args.seconds, args.clients
            )
        if args.backend in ("postgresql", "both"):
            with temporary_postgres_database() as url:
                results["postgresql"] = measure(url, folder, args.seconds, args.clients)
    for backend, figures in results.items():
        for target in ("page", "static"):
            item = figures[target]
            print(
                f"{backend:10} {target:6} {figures['bytes']:7d} B  {item['per_s']:8.1f} req/s  "
                f"p50 {item['p50_ms']:6.2f} ms  p95 {item['p95_ms']:6.2f} ms  errors {item['errors']}"
            )
        print(f"{backend:10} page/static throughput ratio {figures['ratio']:.2f} (goal: at least 0.50)")
    print(
        json.dumps(
            {
                "benchmark": "served",
                "path": PAGE,
                "seconds": args.seconds,
                "clients": args.clients,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
