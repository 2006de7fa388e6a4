"""The "near me, open now, level 2" desk search on a national-size network, on SQLite and PostgreSQL.

Loads 10,000 desks and 50,000 opening slots (spread over metropolitan France, denser around cities), then
measures the search that returns the 10 nearest open desks of level 2 or more, through the service
function and through the API (/api/v1/desks, Flask test client). Target: p95 under 20 ms on each backend.
Usage: python bench/desks.py [--desks N] [--runs N]. Last line JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from _common import bench_settings, init_database, temporary_postgres_database
from sqlalchemy import insert, select

from portal import clock, create_app, db
from portal.clock import PARIS
from portal.desks import services
from portal.desks.models import Desk, OpeningSlot
from portal.desks.services import Filters
from portal.partners.models import Organisation
from portal.territory.models import Commune

MOMENT = dt.datetime(2026, 11, 30, 10, 30, tzinfo=PARIS)  # a Monday morning
HALF_DAYS = [
    (day, opens, closes)
    for day in range(5)
    for opens, closes in ((dt.time(9), dt.time(12)), (dt.time(13, 30), dt.time(17)))
]
CITIES = [
    (48.0061, 0.1996),
    (48.8566, 2.3522),
    (45.764, 4.8357),
    (43.2965, 5.3698),
    (43.6047, 1.4442),
    (47.2184, -1.5536),
    (44.8378, -0.5792),
    (50.6292, 3.0573),
    (48.5734, 7.7521),
    (48.1173, -1.6778),
]


def fill(session, count: int, seed: int = 72) -> int:
    """Insert `count` synthetic desks with about five slots each; returns the number of slots."""
    rng = random.Random(seed)
    organisation = session.scalar(select(Organisation.id))
    communes = list(session.scalars(select(Commune.insee)))
    desks, slots = [], []
    first_id = (session.scalar(select(Desk.id).order_by(Desk.id.desc()).limit(1)) or 0) + 1
    for offset in range(count):
        if rng.random() < 0.6:  # around a city
            lat0, lon0 = rng.choice(CITIES)
            lat, lon = rng.gauss(lat0, 0.15), rng.gauss(lon0, 0.2)
        else:
            lat, lon = rng.uniform(42.5, 51), rng.uniform(-4.5, 8)
        desk_id = first_id + offset
        desks.append(
            {
                "id": desk_id,
                "key": f"bench-{desk_id}",
                "organisation_id": organisation,
                "name": f"Guichet {desk_id}",
                "level": rng.choice((1, 2, 2, 3)),
                "address": "1 rue de l'Exemple",
                "postcode": "72000",
                "commune_insee": rng.choice(communes),
                "latitude": lat,
                "longitude": lon,
                "phone": "",
                "email": "",
                "website": "",
                "on_site": True,
                "by_phone": False,
                "online": False,
                "access_mode": rng.choice(("walk_in", "appointment", "both")),
                "step_free": rng.random() < 0.7,
                "accessibility_notes": "",
                "languages": rng.choice(("fr", "fr en", "fr ar", "fr en es")),
                "publics": "",
                "documents": "",
                "directions": "",
                "hours_confirmed_on": dt.date(2026, 9, 1),
                "updated_on": dt.date(2026, 9, 1),
                "demo": True,
            }
        )
        # Five of the ten weekday half-days: about half the desks are open on Monday morning.
        for weekday, opens, closes in rng.sample(HALF_DAYS, 5):
            slots.append({"desk_id": desk_id, "weekday": weekday, "opens": opens, "closes": closes})
    session.execute(insert(Desk), desks)
    session.execute(insert(OpeningSlot), slots)
    return len(slots)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def measure(url: str, folder: Path, count: int, runs: int) -> dict:
    init_database(url, folder)
    settings = bench_settings(url, folder)
    app = create_app(settings)
    app.extensions["portal.limiter"].enabled = False  # the benchmark is one client asking many times
    with app.app_context(), db.database().sessions.begin() as session:
        slot_count = fill(session, count)
    clock.now = lambda: MOMENT
    rng = random.Random(7)
    points = [(rng.gauss(lat, 0.05), rng.gauss(lon, 0.05)) for lat, lon in rng.choices(CITIES, k=runs)]
    filters = Filters(min_level=2, open_now=True)
    service_ms, api_ms = [], []
    with app.app_context():
        for point in points[:20]:  # warm the connection pool and caches
            services.search_desks(db.session(), moment=MOMENT, filters=filters, point=point, limit=10)
        for point in points:
            session = db.database().sessions()
            start = time.perf_counter()
            found = services.search_desks(session, moment=MOMENT, filters=filters, point=point, limit=10)
            service_ms.append((time.perf_counter() - start) * 1000)
            session.close()
            assert len(found) == 10
    client = app.test_client()
    for lat, lon in points:
        start = time.perf_counter()
        response = client.get(f"/api/v1/desks?lat={lat:.5f}&lon={lon:.5f}&open_now=1&level=2&limit=10")
        api_ms.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and response.get_json()["count"] == 10
    app.extensions["portal.db"].engine.dispose()
    return {
        "desks": count + 30,
        "slots": slot_count,
        "service": {
            "p50_ms": round(statistics.median(service_ms), 2),
            "p95_ms": round(percentile(service_ms, 0.95), 2),
        },
        "api": {"p50_ms": round(statistics.median(api_ms), 2), "p95_ms": round(percentile(api_ms, 0.95), 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--desks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results["sqlite"] = measure(f"sqlite:///{folder / 'bench.db'}", folder, args.desks, args.runs)
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, args.desks, args.runs)
    for backend, figures in results.items():
        for path in ("service", "api"):
            p50, p95 = figures[path]["p50_ms"], figures[path]["p95_ms"]
            print(
                f"{backend:10} {path:8} {figures['desks']} desks {figures['slots']} slots  "
                f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  (target: p95 < 20 ms)"
            )
    print(
        json.dumps(
            {
                "benchmark": "desks",
                "search": "near me, open now, level 2, 10 desks",
                "runs": args.runs,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
