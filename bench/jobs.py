"""Long work through the job queue against the same work inside the web request, on both backends.

Usage: python bench/jobs.py [--demands N] [--backend sqlite|postgresql|both] (default 1,000,000 demands:
about half an hour for both backends on two cores; --demands 100000 for a quick look).

What is measured, through the partners' workspace (the app in this process, with a test client, signed
in as the EPCI's administrator and reviewer): a demands file of N generated demands uploaded (checked),
then confirmed (applied: the demands written, every demand scored, the public figures computed), then a
draft of the general grid activated today (every demand scored again). The guides' pre-rendering that
follows a new grid is turned off in both runs (bench/guides.py measures it). Each is measured twice, on
a fresh database each time:

- inline: the queue runs each job inside the request that starts it (what the portal did before the
  queue: the request answers when the work is done);
- queued: a `portal worker` process consumes the jobs (SQLite storage in the instance folder on the SQLite
  backend, Redis at PORTAL_BENCH_REDIS_URL, default redis://127.0.0.1:6379/13, on PostgreSQL); the request
  answers with the job's page, and the work is followed through the job's JSON state, as the page's
  script does (every 0.5 s).

Figures per backend: the time until each request answers, the total time from the first request to the
end of the work, its ratio to inline (target: within 10 %), and the consumer's peak memory (resident size
of the worker and its child processes, sampled every 0.1 s). Last line JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyotp
from _common import bench_settings, init_database, temporary_postgres_database
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' CSV writer

from portal import clock, create_app, db
from portal.cotation import operations
from portal.jobs import enqueue
from portal.jobs.records import reap
from portal.partners import accounts
from portal.partners.models import Membership, Organisation, User
from tests.demand_files import demand_rows, write_csv
from tests.pagecheck import csrf_token, parse

PORTAL = str(Path(sys.executable).with_name("portal"))
REDIS_URL = os.environ.get("PORTAL_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PASSWORD = "trois mots bien choisis pour le banc"
POLL_SECONDS = 0.5


def make_app(url: str, folder: Path, queued: bool, redis_url: str):
    settings = bench_settings(url, folder)
    settings = dataclasses.replace(
        settings,
        jobs_immediate=not queued,
        redis_url=redis_url,
        guides_prerender=False,
        import_max_mb=1024,  # a million demands make a file of about 185 MB
    )
    app = create_app(settings)
    app.extensions["portal.limiter"].enabled = False
    return app


def administrator(app) -> User:
    """The EPCI's administrator and reviewer: imports files and activates grids (with a second factor)."""
    with app.app_context():
        session = db.session()
        epci = Organisation(slug="bench-epci", name="Métropole du banc", kind="epci")
        session.add(epci)
        session.flush()
        user = User(
            email="admin@banc.fr",
            name="Admin",
            password_hash=accounts.hash_password(PASSWORD),
            totp_secret=pyotp.random_base32(),
        )
        user.memberships = [Membership(organisation_id=epci.id, role=role) for role in ("admin", "reviewer")]
        session.add(user)
        session.commit()
        return user.totp_secret


def sign_in(client, secret: str) -> None:
    token = csrf_token(client, "/partenaires/connexion")
    client.post(
        "/partenaires/connexion", data={"csrf_token": token, "email": "admin@banc.fr", "password": PASSWORD}
    )
    token = csrf_token(client, "/partenaires/connexion/code")
    client.post("/partenaires/connexion/code", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    assert client.get("/partenaires/").status_code == 200, "not signed in"


def timed_post(client, url: str, **kwargs) -> tuple[object, float]:
    started = time.perf_counter()
    response = client.post(url, **kwargs)
    return response, time.perf_counter() - started


def follow(client, response) -> str:
    """Wait for the job the response leads to; the address of its result."""
    location = response.headers.get("Location", "")
    assert response.status_code == 302 and "/partenaires/travaux/" in location, (
        response.status_code,
        location,
    )
    while True:
        answer = client.get(location.split("?")[0] + ".json")
        assert answer.status_code == 200, f"the job's state answered {answer.status_code}"
        state = answer.get_json()
        if state["state"] in ("done", "failed"):
            assert state["state"] == "done", state["reason"]
            return state["result_url"]
        time.sleep(POLL_SECONDS)


class Peak:
    """The largest resident size of a process and its children, sampled from /proc."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, index = [self.pid], 0
        while index < len(pids):
            try:
                tasks = Path(f"/proc/{pids[index]}/task").iterdir()
                for task in tasks:
                    pids += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
            index += 1
        return pids

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            total = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                except OSError:
                    pass
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_kb / 1024)


def start_worker(url: str, folder: Path, redis_url: str) -> subprocess.Popen:
    environ = dict(
        os.environ,
        PORTAL_DATABASE_URL=url,
        PORTAL_INSTANCE_DIR=str(folder),
        PORTAL_REDIS_URL=redis_url,
        PORTAL_ENV="development",
        PORTAL_SECRET_KEY="bench",
        PORTAL_LOG_LEVEL="WARNING",
        PORTAL_GUIDES_PRERENDER="0",
        PORTAL_IMPORT_MAX_MB="1024",
    )
    return subprocess.Popen(
        [PORTAL, "worker"],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def ready(app) -> None:
    """Wait until the consumer takes work (in production it is running before anyone uploads a file)."""
    huey = app.extensions["portal.jobs"].huey
    with app.app_context():
        enqueue(reap)
    deadline = time.monotonic() + 60
    while huey.pending_count():
        assert time.monotonic() < deadline, "the consumer did not start"
        time.sleep(0.05)


def run(url: str, folder: Path, csv_bytes: bytes, queued: bool, redis_url: str) -> dict:
    init_database(url, folder)
    app = make_app(url, folder, queued, redis_url)
    if queued:
        app.extensions["portal.jobs"].huey.flush()  # nothing left from an earlier run
    secret = administrator(app)
    client = app.test_client()
    sign_in(client, secret)
    worker = start_worker(url, folder, redis_url) if queued else None
    peak = Peak(worker.pid) if worker else None
    if worker:
        ready(app)
    try:
        figures = {}
        started = time.perf_counter()
        boundary, body = encode_multipart(
            {
                "csrf_token": csrf_token(client, "/partenaires/donnees/"),
                "kind": "demands",
                "upload": FileStorage(io.BytesIO(csv_bytes), "demandes.csv"),
            }
        )
        response, figures["upload_answer_s"] = timed_post(
            client,
            "/partenaires/donnees/",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        report = client.get(follow(client, response))
        form = parse(report).find(".//form[@id='import-confirm']")
        assert form is not None, "the file was refused"
        fields = {field.get("name"): field.get("value") for field in form.iter("input")}
        response, figures["confirm_answer_s"] = timed_post(
            client, "/partenaires/donnees/appliquer", data=fields
        )
        follow(client, response)
        figures["import_total_s"] = time.perf_counter() - started

        with app.app_context():
            session = db.session()
            draft = operations.create_draft(session, None, None, "general", clock.today())
            operations.change_criterion(session, None, None, draft, "dalo", {"points": 80})
            session.commit()
            page, lock = f"/partenaires/grilles/{draft.code}/v{draft.version}", operations.fingerprint(draft)
        started = time.perf_counter()
        fields = {
            "csrf_token": csrf_token(client, page),
            "lock": lock,
            "effective_from": clock.today().isoformat(),
        }
        response, figures["activate_answer_s"] = timed_post(client, f"{page}/activer", data=fields)
        follow(client, response)
        figures["activation_total_s"] = time.perf_counter() - started
        if peak:
            figures["consumer_peak_mb"] = peak.stop()
    finally:
        if worker:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        app.extensions["portal.db"].engine.dispose()
    return {name: round(value, 2) if isinstance(value, float) else value for name, value in figures.items()}


def measure(backend: str, folder: Path, csv_bytes: bytes) -> dict:
    results = {}
    for mode in ("inline", "queued"):
        work = folder / f"{backend}-{mode}"
        work.mkdir()
        redis_url = REDIS_URL if backend == "postgresql" and mode == "queued" else ""
        if backend == "sqlite":
            results[mode] = run(
                f"sqlite:///{work / 'portal.db'}", work, csv_bytes, mode == "queued", redis_url
            )
        else:
            with temporary_postgres_database() as url:
                results[mode] = run(url, work, csv_bytes, mode == "queued", redis_url)
        print(f"{backend} {mode}: {json.dumps(results[mode])}", file=sys.stderr, flush=True)
    for total in ("import_total_s", "activation_total_s"):
        results[total.replace("_total_s", "_ratio")] = round(
            results["queued"][total] / results["inline"][total], 3
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demands", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_bytes = write_csv(folder / "demands.csv", demand_rows(args.demands)).read_bytes()
        for backend in ("sqlite", "postgresql"):
            if args.backend in (backend, "both"):
                results[backend] = measure(backend, folder, csv_bytes)
    for backend, figures in results.items():
        inline, queued = figures["inline"], figures["queued"]
        queue = "Redis" if backend == "postgresql" else "SQLite"
        print(
            f"{backend:10} import of {args.demands:,} demands: inline, the requests answer after "
            f"{inline['upload_answer_s']} s (check) and {inline['confirm_answer_s']} s (apply), "
            f"{inline['import_total_s']} s in all; queued ({queue}), they answer in "
            f"{queued['upload_answer_s']} s and {queued['confirm_answer_s']} s, "
            f"{queued['import_total_s']} s in all (ratio {figures['import_ratio']})"
        )
        print(
            f"{'':10} activation today: inline {inline['activate_answer_s']} s to answer; queued "
            f"{queued['activate_answer_s']} s to answer, {queued['activation_total_s']} s in all "
            f"(ratio {figures['activation_ratio']}); consumer peak {queued['consumer_peak_mb']} MB"
        )
    print(json.dumps({"benchmark": "jobs", "demands": args.demands, "results": results}))


if __name__ == "__main__":
    main()
