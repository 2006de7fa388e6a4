"""The urban-renewal rehousing follow-up of a large operation: its dashboard, its pages, its file.

Usage: python bench/rehousing.py [--households N] [--offers M] [--seed S] (default 2,000 households and
10,000 offers, seed 11).
An operation of N households is written in a database (SQLite, then PostgreSQL; `portal init` first),
drawn like a demolition of large estates: 55 % rehoused after a few refusals, 25 % with offers under way,
12 % not started, 8 % gone otherwise; M offers in all from six partners (landlords, Action Logement, a
commune), in or outside the QPV, new or not, with rents before and after housing benefit. Measured on each
backend: the dashboard's figures (the grouped queries) and the dashboard page through the app, signed in
as the EPCI's editor, 100 times each; the households' list page and a household's page; checking and
importing a file of N households (what a request does, bounded by the file's 5,000 lines).
Target: the dashboard p95 < 200 ms on both backends. Last line JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from _common import bench_settings, init_database, open_session, temporary_postgres_database
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app, db
from portal.partners.models import Membership, Organisation, User
from portal.rehousing import dashboard, households, operations
from portal.rehousing.models import Commitment, Household, Offer, Operation

TYPES = ("T1", "T2", "T3", "T4", "T5")
RENT = {"T1": 310, "T2": 400, "T3": 480, "T4": 560, "T5": 640}
COMMUNES = ("72181", "72095", "72003", "72008", "72054", "72073", "72155", "72200")
PARTNERS = (
    ("Le Mans Métropole Habitat", "landlord"),
    ("Sarthe Habitat", "landlord"),
    ("Podeliha", "landlord"),
    ("CDC Habitat", "landlord"),
    ("Action Logement Services", "action_logement"),
    ("Ville du Mans", "commune"),
)
TODAY = dt.date(2026, 12, 7)
RUNS = 100


def p95_of(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[int(len(ordered) * 0.95) - 1] if ordered else 0.0


def draw_households(rng: random.Random, count: int, offers: int) -> list[tuple[dict, str, int]]:
    """(household values, status, number of offers) for each household, the offers summing to `offers`."""
    drawn = []
    for index in range(count):
        persons = rng.choices((1, 2, 3, 4, 5, 6), (28, 25, 18, 15, 9, 5))[0]
        wished = TYPES[min(4, max(0, persons - 1 + rng.choice((-1, 0, 0, 1))))]
        status = rng.choices(("rehoused", "in_progress", "not_started", "left"), (55, 25, 12, 8))[0]
        before = Decimal(RENT[wished] + rng.randint(-60, 60))
        values = {
            "reference": f"LMH-{index:05d}",
            "persons": persons,
            "children": max(0, persons - 2),
            "current_type": TYPES[min(4, persons)],
            "rent": before,
            "rent_after_aid": None
            if rng.random() < 0.1
            else (before * Decimal("0.45")).quantize(Decimal("1")),
            "wished_type": wished,
            "wished_communes": rng.sample(COMMUNES, rng.randint(0, 3)),
            "accessibility": rng.random() < 0.15,
            "ageing_or_disability": rng.random() < 0.2,
            "stay_in_neighbourhood": rng.random() < 0.3,
            "rent_ceiling": Decimal(RENT[wished] // 2),
            "survey_on": dt.date(2025, 10, 1) + dt.timedelta(days=rng.randint(0, 300)),
            "followed_by": rng.choice(("Mme Martin", "M. Petit", "Mme Leroy")),
        }
        drawn.append([values, status, 1 if status in ("rehoused", "in_progress") else 0])
    # The remaining offers go to the households that had some, a few each (refusals before the last).
    with_offers = [item for item in drawn if item[2]]
    for _ in range(offers - sum(item[2] for item in drawn)):
        rng.choice(with_offers)[2] += 1
    return [tuple(item) for item in drawn]


def write_operation(url: str, drawn, rng: random.Random) -> int:
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        partners = []
        for name, kind in PARTNERS:
            organisation = Organisation(slug=name.lower().replace(" ", "-"), name=name, kind=kind)
            session.add(organisation)
            partners.append(organisation)
        epci = Organisation(slug="bench-epci", name="Le Mans Métropole", kind="epci")
        session.add(epci)
        session.flush()
        user = User(
            email="bench@metropole.fr",
            name="Bench",
            memberships=[Membership(organisation_id=epci.id, role="editor")],
        )
        session.add(user)
        operation = Operation(
            name="Les Sablons – Bellevue", neighbourhood="Les Sablons", qpv_code="QN07201M",
            commune_insee="72181", landlord_id=partners[0].id, buildings="", dwellings=len(drawn),
            announced_on=dt.date(2025, 6, 1), rehousing_starts_on=dt.date(2025, 10, 1),
            demolition_on=dt.date(2027, 12, 1),
        )  # fmt: skip
        session.add(operation)
        session.flush()
        session.execute(
            insert(Commitment),
            [
                {
                    "operation_id": operation.id,
                    "organisation_id": partner.id,
                    "dwelling_type": kind,
                    "offers": 60,
                }
                for partner in partners
                for kind in TYPES
            ],
        )
        session.execute(
            insert(Household),
            [
                {**values, "operation_id": operation.id, "status": status,
                 "left_reason": "own_means" if status == "left" else "",
                 "ended_on": dt.date(2026, 6, 1) if status == "left" else None}
                for values, status, _count in drawn
            ],
        )  # fmt: skip
        ids = {
            reference: ident
            for reference, ident in session.execute(select(Household.reference, Household.id))
        }
        rows, ended = [], {}
        for values, status, count in drawn:
            day = values["survey_on"] + dt.timedelta(days=rng.randint(20, 60))
            for number in range(count):
                last = number == count - 1
                kind = values["wished_type"]
                decision = "refused"
                if last and status == "rehoused":
                    decision = "accepted"
                elif last and status == "in_progress" and rng.random() < 0.5:
                    decision = "pending"
                moved = day + dt.timedelta(days=40) if decision == "accepted" else None
                rows.append(
                    {
                        "household_id": ids[values["reference"]], "operation_id": operation.id,
                        "brought_by_id": rng.choice(partners).id, "landlord_name": "Bailleur",
                        "commune_insee": rng.choice(COMMUNES), "in_qpv": rng.random() < 0.3,
                        "recent": rng.random() < 0.25, "dwelling_type": kind, "step_free": rng.random() < 0.4,
                        "rent": Decimal(RENT[kind] + rng.randint(-40, 80)),
                        "rent_after_aid": Decimal(RENT[kind] // 2 + rng.randint(-50, 50)),
                        "suitable": rng.random() < 0.8, "offered_on": day, "decision": decision,
                        "refusal_reason": "location" if decision == "refused" else "",
                        "decided_on": day + dt.timedelta(days=10) if decision != "pending" else None,
                        "moved_on": moved,
                    }
                )  # fmt: skip
                if moved:
                    ended[ids[values["reference"]]] = moved
                day += dt.timedelta(days=rng.randint(15, 45))
        for start in range(0, len(rows), 2000):
            session.execute(insert(Offer), rows[start : start + 2000])
        for household_id, moved in ended.items():
            session.get(Household, household_id).ended_on = moved
        operation_id = operation.id
    engine.dispose()
    return operation_id


def measure(url: str, folder: Path, drawn, rng: random.Random, sample_file: bytes) -> dict:
    environ = dict(
        os.environ, PORTAL_DATABASE_URL=url, PORTAL_INSTANCE_DIR=str(folder), PORTAL_ENV="development",
        PORTAL_LOG_LEVEL="WARNING",
    )  # fmt: skip
    init_database(url, folder, environ)
    started = time.perf_counter()
    operation_id = write_operation(url, drawn, rng)
    written = time.perf_counter() - started
    app = create_app(bench_settings(url, folder))
    figures_ms, page_ms, list_ms, household_ms = [], [], [], []
    with app.app_context():
        session = db.session()
        operation = session.get(Operation, operation_id)
        user = session.scalar(select(User).where(User.email == "bench@metropole.fr"))
        for _ in range(RUNS):
            started = time.perf_counter()
            found = dashboard.figures(session, operation, TODAY)
            figures_ms.append((time.perf_counter() - started) * 1000)
            session.expire_all()
        client = app.test_client()
        open_session(client, "partner", 60, user_id=user.id, session_version=user.session_version)
        base = f"/partenaires/relogement/operations/{operation_id}"
        household_ids = session.scalars(
            select(Household.id).where(Household.operation_id == operation_id)
        ).all()
        for index in range(RUNS):
            for url_path, timings in (
                (base, page_ms),
                (f"{base}/menages?page={1 + index % 40}", list_ms),
                (f"{base}/menages/{rng.choice(household_ids)}", household_ms),
            ):
                started = time.perf_counter()
                response = client.get(url_path)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url_path, response.status_code)
        # A file of every household again (a survey redone): read, checked, then written (updates).
        started = time.perf_counter()
        reading = households.read(sample_file, set(COMMUNES))
        assert not reading.problems, reading.problems[:3]
        checked = time.perf_counter() - started
        operations.import_households(session, user, operation, reading.households)
        session.commit()
        imported = time.perf_counter() - started
    app.extensions["portal.db"].engine.dispose()
    return {
        "written_s": round(written, 1),
        "rehoused": found.rehoused,
        "figures_p50_ms": round(statistics.median(figures_ms), 1),
        "figures_p95_ms": round(p95_of(figures_ms), 1),
        "dashboard_p50_ms": round(statistics.median(page_ms), 1),
        "dashboard_p95_ms": round(p95_of(page_ms), 1),
        "list_p95_ms": round(p95_of(list_ms), 1),
        "household_p95_ms": round(p95_of(household_ms), 1),
        "file_checked_s": round(checked, 2),
        "file_imported_s": round(imported, 2),
    }


def household_file(drawn) -> bytes:
    lines = [";".join(households.COLUMNS)]
    for values, _status, _count in drawn:
        cells = []
        for column in households.COLUMNS:
            value = values[column]
            if isinstance(value, bool):
                value = "oui" if value else "non"
            elif isinstance(value, list):
                value = " ".join(value)
            cells.append("" if value is None else str(value))
        lines.append(";".join(cells))
    return "\n".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--offers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    arguments = parser.parse_args()
    drawn = draw_households(random.Random(arguments.seed), arguments.households, arguments.offers)
    sample_file = household_file(drawn)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results["sqlite"] = measure(
            f"sqlite:///{folder / 'bench.db'}", folder, drawn, random.Random(1), sample_file
        )
        with temporary_postgres_database() as url:
            results["postgresql"] = measure(url, folder, drawn, random.Random(1), sample_file)
    for backend, found in results.items():
        print(
            f"{backend:10} {arguments.households} households, {arguments.offers} offers written in "
            f"{found['written_s']} s; figures p50 {found['figures_p50_ms']} ms, "
            f"p95 {found['figures_p95_ms']} ms; "
            f"dashboard page p50 {found['dashboard_p50_ms']} ms, p95 {found['dashboard_p95_ms']} ms "
            f"(target < 200 ms); households list p95 {found['list_p95_ms']} ms; a household's page p95 "
            f"{found['household_p95_ms']} ms; file of {arguments.households} households checked in "
            f"{found['file_checked_s']} s, imported in {found['file_imported_s']} s"
        )
    print(json.dumps({"households": arguments.households, "offers": arguments.offers, "database": results}))


if __name__ == "__main__":
    main()
