"""Many people behind one address: public pages served from the page cache, under the portal's own
limits, by gunicorn (2 sync workers) on this machine.

Usage: python bench/public_load.py [--seconds S] [--clients N]
For each page: the throughput with the limits switched off (what the server bears), then with the
default limits (PORTAL_RATELIMIT_CACHED for kept pages, PORTAL_RATELIMIT_DEFAULT for the others) and how
many requests were refused (429). Every request comes from 127.0.0.1, as people behind a carrier's or a
desk's address do. Client and server share the machine's cores. Last line JSON.
"""

from __future__ import annotations

import argparse
import json
import signal
import tempfile
import time
from pathlib import Path

from _common import init_database
from pages import free_port, production_environ, serve
from pages import load as load_with_statuses

PATHS = ("/fr/", "/fr/informations/qui-peut-demander", "/fr/guichets")


def load(port: int, path: str, seconds: float, clients: int) -> dict:
    """The pages benchmark's load, told as pages served and requests refused."""
    figures = load_with_statuses(port, path, seconds, clients)
    statuses = figures["statuses"]
    served, refused = statuses.get(200, 0), statuses.get(429, 0)
    return {
        "ok": served,
        "refused": refused,
        "other": figures["requests"] - served - refused,
        "served_per_s": round(figures["per_s"] * served / max(1, figures["requests"]), 1),
        "p50_ms": figures["p50_ms"],
    }


def measure(folder: Path, seconds: float, clients: int, limited: bool) -> dict:
    database_url = f"sqlite:///{folder / 'bench.db'}"
    environ = production_environ(database_url, folder)
    port = free_port()
    environ["PORTAL_TRUSTED_HOSTS"] = f"127.0.0.1:{port}"
    if not limited:
        environ["PORTAL_RATELIMIT_DEFAULT"] = environ["PORTAL_RATELIMIT_CACHED"] = "100000000 per minute"
    server = serve(environ, port)
    results = {}
    try:
        for path in PATHS:
            load(port, path, 0.5, 2)  # warm the page cache of both workers
            results[path] = load(port, path, seconds, clients)
            time.sleep(1 if not limited else 61)  # a fresh minute for the next page's limits
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        init_database(f"sqlite:///{folder / 'bench.db'}", folder)
        capacity = measure(folder, args.seconds, args.clients, limited=False)
        limited = measure(folder, args.seconds, args.clients, limited=True)
    for path in PATHS:
        free, held = capacity[path], limited[path]
        print(
            f"{path:40} bears {free['served_per_s']:7.1f} req/s (p50 {free['p50_ms']} ms); with the limits: "
            f"{held['served_per_s']:7.1f} req/s served, {held['refused']} refused of "
            f"{held['ok'] + held['refused'] + held['other']}"
        )
    print(
        json.dumps(
            {
                "benchmark": "public_load",
                "seconds": args.seconds,
                "clients": args.clients,
                "capacity": capacity,
                "limited": limited,
            }
        )
    )


if __name__ == "__main__":
    main()
